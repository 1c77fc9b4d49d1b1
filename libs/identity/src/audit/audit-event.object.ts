import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import GraphQLJSON from '../graphql/json.scalar.js';
import { Connection } from '../graphql/connection.js';
import { toGlobalId } from '../graphql/global-id.js';
import { Node } from '../graphql/node.interface.js';
import { AuditAction, type AuditEventEntity } from './audit-event.entity.js';

registerEnumType(AuditAction, { name: 'AuditAction' });

@ObjectType({ implements: () => [Node], description: "A security-relevant change; organisation admins read their organisation's, platform admins all." })
export class AuditEvent implements Node {
  @Field(() => ID)
  id!: string;

  @Field()
  occurredAt!: Date;

  @Field(() => AuditAction)
  action!: AuditAction;

  @Field(() => ID, { nullable: true, description: 'Global ID of the member who acted.' })
  actorId!: string | null;

  @Field(() => String, { nullable: true })
  subjectType!: string | null;

  @Field(() => ID, { nullable: true, description: 'Global ID of what the event is about.' })
  subjectId!: string | null;

  @Field(() => GraphQLJSON)
  details!: Record<string, unknown>;
}

@ObjectType()
export class AuditEventConnection extends Connection(AuditEvent) {}

export function toAuditEvent(entity: AuditEventEntity): AuditEvent {
  return Object.assign(new AuditEvent(), {
    id: toGlobalId('AuditEvent', entity.id),
    occurredAt: entity.occurredAt,
    action: entity.action,
    actorId: entity.actorMemberId ? toGlobalId('Member', entity.actorMemberId) : null,
    subjectType: entity.subjectType,
    subjectId: entity.subjectType && entity.subjectId ? toGlobalId(entity.subjectType, entity.subjectId) : null,
    details: entity.details,
  });
}
