import { Args, Context, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Actor,
  CREATED_AT_ID,
  CurrentActor,
  IdentityLoaders,
  Member,
  Node,
  Permission,
  RequirePermission,
  cursorKeyAfter,
  requireGlobalId,
  toMember,
  toPage,
  type RequestContext,
} from '#identity';
import { toComment } from '../comments/comment.object.js';
import { PracticeLoaders } from '../graphql/practice.loaders.js';
import { toPractice } from '../practices/practice.object.js';
import { FlagContentInput, FlagsArgs, ResolveFlagInput, UnhideContentInput } from './dto/flag.input.js';
import { Flag, FlagConnection, toFlag } from './flag.object.js';
import { FlagRepository } from './flag.repository.js';
import { FlagService } from './flag.service.js';

@Resolver(() => Flag)
export class FlagResolver {
  constructor(
    private readonly service: FlagService,
    private readonly flagRepo: FlagRepository,
    private readonly identity: IdentityLoaders,
    private readonly loaders: PracticeLoaders,
  ) {}

  @RequirePermission(Permission.FLAG_RESOLVE)
  @Query(() => FlagConnection, {
    description: "Moderators: flags on content they can read; organisation admins: flags on their organisation's content. Oldest first.",
  })
  async flags(@CurrentActor() actor: Actor, @Args() args: FlagsArgs): Promise<FlagConnection> {
    const cursor = cursorKeyAfter(args.after, CREATED_AT_ID);
    const rows = await this.flagRepo.listWorkable(actor, args.status ?? undefined, args.first, cursor);
    return toPage(rows, args.first, (f) => [f.createdAt.toISOString(), f.id], toFlag, !!cursor);
  }

  @RequirePermission(Permission.FLAG_CREATE)
  @Mutation(() => Flag, { description: 'Reports a practice or comment to the moderators.' })
  async flagContent(@CurrentActor() actor: Actor, @Args('input') input: FlagContentInput): Promise<Flag> {
    return toFlag(await this.service.flag(actor, input.subjectId, input.reason, input.note ?? ''));
  }

  @RequirePermission(Permission.FLAG_RESOLVE)
  @Mutation(() => Flag, { description: 'HIDE removes the content from every read; DISMISS keeps it.' })
  async resolveFlag(@CurrentActor() actor: Actor, @Args('input') input: ResolveFlagInput): Promise<Flag> {
    return toFlag(await this.service.resolve(actor, requireGlobalId(input.id, 'Flag'), input.action));
  }

  @RequirePermission(Permission.FLAG_RESOLVE)
  @Mutation(() => Node, {
    nullable: true,
    description:
      "Brings back a hidden Practice or Comment (moderators on content they can read, the content organisation's admins); " +
      'its flags become UNHIDDEN. Returns the content as you now read it: null for a comment whose practice or parent is still hidden.',
  })
  async unhideContent(@CurrentActor() actor: Actor, @Args('input') input: UnhideContentInput, @Context() context: RequestContext): Promise<Node | null> {
    const { type, id } = await this.service.unhide(actor, input.subjectId);
    if (type === 'Practice') {
      const practice = await this.loaders.for(context).practice.load(id);
      return practice ? toPractice(practice) : null;
    }
    const comment = await this.loaders.for(context).comment.load(id);
    return comment ? toComment(comment) : null;
  }

  @ResolveField(() => Member, { nullable: true })
  async reporter(flag: Flag, _args: unknown, context: RequestContext): Promise<Member | null> {
    return this.member(flag.reporterRowId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: 'Who hid the content or dismissed the flag.' })
  async resolvedBy(flag: Flag, _args: unknown, context: RequestContext): Promise<Member | null> {
    return flag.resolverRowId ? this.member(flag.resolverRowId, context) : null;
  }

  @ResolveField(() => Member, { nullable: true, description: 'Who brought the hidden content back.' })
  async unhiddenBy(flag: Flag, _args: unknown, context: RequestContext): Promise<Member | null> {
    return flag.unhiderRowId ? this.member(flag.unhiderRowId, context) : null;
  }

  private async member(id: string, context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(id);
    return member ? toMember(member, context.actor) : null;
  }
}
