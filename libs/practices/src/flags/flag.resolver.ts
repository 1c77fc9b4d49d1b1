import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, IdentityLoaders, Member, Permission, RequirePermission, decodeCursor, requireGlobalId, toMember, toPage, type RequestContext } from '#identity';
import { FlagContentInput, FlagsArgs, ResolveFlagInput } from './dto/flag.input.js';
import { Flag, FlagConnection, toFlag } from './flag.object.js';
import { FlagRepository } from './flag.repository.js';
import { FlagService } from './flag.service.js';

@Resolver(() => Flag)
export class FlagResolver {
  constructor(
    private readonly service: FlagService,
    private readonly flagRepo: FlagRepository,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequirePermission(Permission.FLAG_RESOLVE)
  @Query(() => FlagConnection, { description: "Moderators: flags on content they can read; organisation admins: flags on their organisation's content. Oldest first." })
  async flags(@CurrentActor() actor: Actor, @Args() args: FlagsArgs): Promise<FlagConnection> {
    const cursor = args.after ? decodeCursor(args.after, ['timestamp', 'uuid']) : undefined;
    const rows = await this.flagRepo.listWorkable(actor, args.status ?? undefined, args.first, cursor && { createdAt: String(cursor[0]), id: String(cursor[1]) });
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

  @ResolveField(() => Member, { nullable: true })
  async reporter(@Parent() flag: Flag, @Context() context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(flag.reporterRowId);
    return member ? toMember(member, context.actor) : null;
  }
}
