import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Node, toGlobalId } from '#identity';
import { DeliveryStatus, type DigestDeliveryEntity } from './digest-delivery.entity.js';

registerEnumType(DeliveryStatus, { name: 'DigestDeliveryStatus' });

@ObjectType({ implements: () => [Node], description: 'One digest of a subscription: what its owner sees in the delivery log.' })
export class DigestDelivery implements Node {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'The period it covers, such as daily:2026-11-25.' })
  periodKey!: string;

  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (a permanent failure pauses the subscription).' })
  lastError!: string | null;

  @Field(() => Date, { nullable: true })
  nextAttemptAt!: Date | null;

  @Field(() => Date, { nullable: true })
  sentAt!: Date | null;

  @Field()
  createdAt!: Date;
}

export function toDigestDelivery(entity: DigestDeliveryEntity): DigestDelivery {
  return Object.assign(new DigestDelivery(), {
    id: toGlobalId('DigestDelivery', entity.id),
    periodKey: entity.periodKey,
    status: entity.status,
    attempts: entity.attempts,
    lastError: entity.lastError,
    nextAttemptAt: entity.nextAttemptAt,
    sentAt: entity.sentAt,
    createdAt: entity.createdAt,
  });
}
