import { Field, ID, ObjectType } from '@nestjs/graphql';
import { Connection, Node, toGlobalId } from '#identity';
import type { CommentEntity } from './comment.entity.js';

@ObjectType({ implements: () => [Node], description: 'A comment on a practice, or a reply to one.' })
export class Comment implements Node {
  @Field(() => ID)
  id!: string;

  rowId!: string;
  practiceRowId!: string;
  authorRowId!: string;
  parentRowId!: string | null;

  @Field(() => String, { nullable: true, description: 'Markdown as written; null once deleted.' })
  body!: string | null;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  editedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  deletedAt!: Date | null;
}

@ObjectType()
export class CommentConnection extends Connection(Comment) {}

export function toComment(entity: CommentEntity): Comment {
  return Object.assign(new Comment(), {
    id: toGlobalId('Comment', entity.id),
    rowId: entity.id,
    practiceRowId: entity.practiceId,
    authorRowId: entity.authorId,
    parentRowId: entity.parentId,
    body: entity.deletedAt ? null : entity.body,
    createdAt: entity.createdAt,
    editedAt: entity.editedAt,
    deletedAt: entity.deletedAt,
  });
}
