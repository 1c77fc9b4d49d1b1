import { Args, Context, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import {
  Actor,
  ConnectionArgs,
  CREATED_AT_ID,
  CurrentActor,
  IdentityLoaders,
  Member,
  Permission,
  RequirePermission,
  cursorKeyAfter,
  requireGlobalId,
  toMember,
  toPage,
  type RequestContext,
} from '#identity';
import { PracticeLoaders, commentPageKey } from '../graphql/practice.loaders.js';
import { Practice, toPractice } from '../practices/practice.object.js';
import { Comment, CommentConnection, toComment } from './comment.object.js';
import { CommentRepository } from './comment.repository.js';
import { CommentService } from './comment.service.js';
import { AddCommentInput, DeleteCommentInput, EditCommentInput } from './dto/comment.input.js';

/** Comments and their fields; per-row fields without arguments take (parent, args, context), as practices' do. */
@Resolver(() => Comment)
export class CommentResolver {
  constructor(
    private readonly service: CommentService,
    private readonly comments: CommentRepository,
    private readonly loaders: PracticeLoaders,
    private readonly identity: IdentityLoaders,
  ) {}

  @RequirePermission(Permission.COMMENT_WRITE)
  @Mutation(() => Comment)
  async addComment(@CurrentActor() actor: Actor, @Args('input') input: AddCommentInput): Promise<Comment> {
    const practiceId = requireGlobalId(input.practiceId, 'Practice', 'practiceId');
    const parentId = input.parentId ? requireGlobalId(input.parentId, 'Comment', 'parentId') : null;
    return toComment(await this.service.add(actor, practiceId, input.body, parentId));
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Mutation(() => Comment, { description: 'Only the author edits a comment.' })
  async editComment(@CurrentActor() actor: Actor, @Args('input') input: EditCommentInput): Promise<Comment> {
    return toComment(await this.service.edit(actor, requireGlobalId(input.id, 'Comment'), input.body));
  }

  @RequirePermission(Permission.COMMENT_WRITE)
  @Mutation(() => Comment, { description: 'Soft delete by the author: the body goes, replies stay.' })
  async deleteComment(@CurrentActor() actor: Actor, @Args('input') input: DeleteCommentInput): Promise<Comment> {
    return toComment(await this.service.delete(actor, requireGlobalId(input.id, 'Comment')));
  }

  @ResolveField(() => Member, { nullable: true, description: 'Null for anonymous callers.' })
  async author(comment: Comment, _args: unknown, context: RequestContext): Promise<Member | null> {
    const member = await this.identity.for(context).member.load(comment.authorRowId);
    return member ? toMember(member, context.actor) : null;
  }

  @ResolveField(() => Practice)
  async practice(comment: Comment, _args: unknown, context: RequestContext): Promise<Practice> {
    return toPractice((await this.loaders.for(context).practice.load(comment.practiceRowId))!);
  }

  @ResolveField(() => Comment, { nullable: true, description: 'The comment this replies to.' })
  async parent(comment: Comment, _args: unknown, context: RequestContext): Promise<Comment | null> {
    if (!comment.parentRowId) return null;
    const parent = await this.loaders.for(context).comment.load(comment.parentRowId);
    return parent ? toComment(parent) : null;
  }

  @ResolveField(() => Int)
  replyCount(comment: Comment, _args: unknown, context: RequestContext): Promise<number> {
    return this.loaders.for(context).replyCount.load(comment.rowId);
  }

  @ResolveField(() => CommentConnection, { description: 'Replies, oldest first (one level only).' })
  async replies(@Parent() comment: Comment, @Args() args: ConnectionArgs, @Context() context: RequestContext): Promise<CommentConnection> {
    const cursor = cursorKeyAfter(args.after, CREATED_AT_ID);
    if (comment.parentRowId) return toPage([], args.first, () => [], toComment, false);
    const rows = cursor
      ? await this.comments.listVisible(context.actor.viewer, comment.practiceRowId, comment.rowId, args.first, cursor)
      : await this.loaders.for(context).commentPage.load(commentPageKey('parent', comment.rowId, args.first));
    return toPage(rows, args.first, (c) => [c.createdAt.toISOString(), c.id], toComment, !!cursor);
  }
}
