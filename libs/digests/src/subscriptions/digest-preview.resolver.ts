import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, Permission, RequirePermission, requireGlobalId } from '#identity';
import { Practice, toPractice } from '#practices';
import { DigestSubscriptionService } from './digest-subscription.service.js';

@ObjectType({ description: 'What the next digest of a subscription would hold, as its owner may read now (and no more than the calling token may read).' })
export class DigestPreview {
  @Field(() => Int)
  count!: number;

  @Field(() => [Practice])
  entries!: Practice[];
}

@Resolver(() => DigestPreview)
export class DigestPreviewResolver {
  constructor(private readonly subscriptions: DigestSubscriptionService) {}

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Query(() => DigestPreview)
  async digestPreview(@CurrentActor() actor: Actor, @Args('subscriptionId', { type: () => ID }) subscriptionId: string): Promise<DigestPreview> {
    const entries = await this.subscriptions.preview(actor, requireGlobalId(subscriptionId, 'DigestSubscription', 'subscriptionId'));
    return { count: entries.length, entries: entries.map(toPractice) };
  }
}
