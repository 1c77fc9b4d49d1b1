import { Args, Context, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  ConnectionArgs,
  CREATED_AT_ID,
  cursorKeyAfter,
  IdentityLoaders,
  Member,
  Organisation,
  decodeCursor,
  toMember,
  toOrganisation,
  toPage,
  type RequestContext,
} from '#identity';
import { AdoptionConnection, toAdoption } from '../adoptions/adoption.object.js';
import { AdoptionRepository } from '../adoptions/adoption.repository.js';
import { CommentConnection, toComment } from '../comments/comment.object.js';
import { CommentRepository } from '../comments/comment.repository.js';
import { PracticeLoaders, commentPageKey } from '../graphql/practice.loaders.js';
import { RevisionConnection, toRevision } from '../revisions/revision.object.js';
import { RevisionRepository } from '../revisions/revision.repository.js';
import { Tag, toTag } from '../tags/tag.object.js';
import { Practice } from './practice.object.js';

/**
 * Related objects of a practice, each through a per-request loader or one keyset query. Fields without arguments take
 * GraphQL's own (parent, args, context) rather than parameter decorators: Nest then calls them directly, not through
 * its per-call pipeline, and a page of twenty practices calls them a hundred times.
 */
@Resolver(() => Practice)
export class PracticeFieldsResolver {
  constructor(
    private readonly loaders: PracticeLoaders,
    private readonly identity: IdentityLoaders,
    private readonly commentRepo: CommentRepository,
    private readonly adoptionRepo: AdoptionRepository,
    private readonly revisionRepo: RevisionRepository,
  ) {}

  @ResolveField(() => [Tag])
  async tags(practice: Practice, _args: unknown, context: RequestContext): Promise<Tag[]> {
    return (await this.loaders.for(context).tags.load(practice.rowId)).map(toTag);
  }

  @ResolveField(() => Organisation)
  async organisation(practice: Practice, _args: unknown, context: RequestContext): Promise<Organisation> {
    return toOrganisation((await this.identity.for(context).organisation.load(practice.organisationRowId))!);
  }

  @ResolveField(() => Member, { nullable: true, description: 'Null for anonymous callers.' })
  async author(practice: Practice, _args: unknown, context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(practice.authorRowId);
    return member ? toMember(member, context.actor) : null;
  }

  @ResolveField(() => [Organisation], { description: 'For TLP_AMBER: the other organisations that may read it.' })
  async audience(practice: Practice, _args: unknown, context: RequestContext): Promise<Organisation[]> {
    const ids = await this.loaders.for(context).audience.load(practice.rowId);
    const rows = await this.identity.for(context).organisation.loadMany(ids);
    return rows.filter((o): o is Exclude<typeof o, Error | null> => !!o && !(o instanceof Error)).map(toOrganisation);
  }

  @ResolveField(() => Int)
  commentCount(practice: Practice, _args: unknown, context: RequestContext): Promise<number> {
    return this.loaders.for(context).commentCount.load(practice.rowId);
  }

  @ResolveField(() => Int)
  adoptionCount(practice: Practice, _args: unknown, context: RequestContext): Promise<number> {
    return this.loaders.for(context).adoptionCount.load(practice.rowId);
  }

  @ResolveField(() => CommentConnection, { description: 'Top-level comments, oldest first; replies hang off each.' })
  async comments(@Parent() practice: Practice, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<CommentConnection> {
    const cursor = cursorKeyAfter(args.after, CREATED_AT_ID);
    const rows = cursor
      ? await this.commentRepo.listVisible(context.actor.viewer, practice.rowId, null, args.first, cursor)
      : await this.loaders.for(context).commentPage.load(commentPageKey('practice', practice.rowId, args.first));
    return toPage(rows, args.first, (c) => [c.createdAt.toISOString(), c.id], toComment, !!cursor);
  }

  @ResolveField(() => AdoptionConnection, { description: 'Newest first.' })
  async adoptions(@Parent() practice: Practice, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<AdoptionConnection> {
    const cursor = cursorKeyAfter(args.after, CREATED_AT_ID);
    const rows = await this.adoptionRepo.listVisible(context.actor.viewer, practice.rowId, args.first, cursor);
    return toPage(rows, args.first, (a) => [a.createdAt.toISOString(), a.id], toAdoption, !!cursor);
  }

  @ResolveField(() => RevisionConnection, { description: 'Full history, newest revision first.' })
  async revisions(@Parent() practice: Practice, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<RevisionConnection> {
    const cursor = args.after ? decodeCursor(args.after, ['integer']) : undefined;
    const rows = await this.revisionRepo.listVisible(context.actor.viewer, practice.rowId, args.first, cursor ? Number(cursor[0]) : undefined);
    return toPage(rows, args.first, (r) => [r.revision], toRevision, !!cursor);
  }
}
