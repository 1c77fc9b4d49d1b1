import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, Node, toGlobalId } from '#identity';
import { FlagReason, FlagStatus, type FlagEntity } from './flag.entity.js';
import { FlagAction } from './flag.service.js';

registerEnumType(FlagReason, { name: 'FlagReason' });
registerEnumType(FlagStatus, { name: 'FlagStatus' });
registerEnumType(FlagAction, { name: 'FlagAction' });

@ObjectType({ implements: () => [Node], description: "A report on a practice or comment; seen by moderators and the content organisation's admins." })
export class Flag implements Node {
  @Field(() => ID)
  id!: string;

  reporterRowId!: string;

  resolverRowId!: string | null;

  unhiderRowId!: string | null;

  @Field(() => ID, { description: 'Global ID of the flagged Practice or Comment.' })
  subjectId!: string;

  @Field(() => FlagReason)
  reason!: FlagReason;

  @Field()
  note!: string;

  @Field(() => FlagStatus)
  status!: FlagStatus;

  @Field()
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the content was hidden or the flag dismissed.' })
  resolvedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the hidden content was brought back (status UNHIDDEN).' })
  unhiddenAt!: Date | null;
}

@ObjectType()
export class FlagConnection extends Connection(Flag) {}

export function toFlag(entity: FlagEntity): Flag {
  return Object.assign(new Flag(), {
    id: toGlobalId('Flag', entity.id),
    reporterRowId: entity.reporterId,
    subjectId: entity.commentId ? toGlobalId('Comment', entity.commentId) : toGlobalId('Practice', entity.practiceId),
    reason: entity.reason,
    note: entity.note,
    status: entity.status,
    createdAt: entity.createdAt,
    resolvedAt: entity.resolvedAt,
    resolverRowId: entity.resolvedById,
    unhiddenAt: entity.unhiddenAt,
    unhiderRowId: entity.unhiddenById,
  });
}
