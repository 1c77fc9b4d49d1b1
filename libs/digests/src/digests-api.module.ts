import { Module, type OnModuleInit } from '@nestjs/common';
import { IdentityGraphqlModule, IdentityModule, NodeRegistry, accessRuleOf } from '#identity';
import { PracticesModule } from '#practices';
import { toDigestDelivery } from './deliveries/digest-delivery.object.js';
import { DigestDeliveryRepository } from './deliveries/digest-delivery.repository.js';
import { toDigestSubscription } from './subscriptions/digest-subscription.object.js';
import { DigestSubscriptionRepository } from './subscriptions/digest-subscription.repository.js';
import { DigestPreviewResolver } from './subscriptions/digest-preview.resolver.js';
import { DigestSubscriptionResolver } from './subscriptions/digest-subscription.resolver.js';
import { DigestSubscriptionFieldsResolver } from './subscriptions/digest-subscription-fields.resolver.js';
import { DigestSubscriptionService } from './subscriptions/digest-subscription.service.js';
import { DigestsModule } from './digests.module.js';
import { UnsubscribeController } from './email/unsubscribe.controller.js';
import { FeedEntries } from './feeds/feed-entries.js';
import { PublicFeedController } from './feeds/public-feed.controller.js';
import { SubscriptionFeedController } from './feeds/subscription-feed.controller.js';

/** What the API serves of digests: resolvers, feeds and unsubscribe links. */
@Module({
  imports: [DigestsModule, IdentityModule, PracticesModule, IdentityGraphqlModule],
  controllers: [PublicFeedController, SubscriptionFeedController, UnsubscribeController],
  providers: [FeedEntries, DigestSubscriptionResolver, DigestSubscriptionFieldsResolver, DigestPreviewResolver],
})
export class DigestsApiModule implements OnModuleInit {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly subscriptions: DigestSubscriptionRepository,
    private readonly service: DigestSubscriptionService,
    private readonly deliveries: DigestDeliveryRepository,
  ) {}

  onModuleInit(): void {
    this.registry.register(
      'DigestSubscription',
      async (id, context) => {
        const row = context.actor.memberId ? await this.subscriptions.findOfMember(context.actor.memberId, id) : null;
        return row ? toDigestSubscription(row, this.service.secretsOf(row, context.actor)) : null;
      },
      accessRuleOf(DigestSubscriptionResolver, 'digestSubscriptions'),
    );
    this.registry.register(
      'DigestDelivery',
      async (id, context) => {
        const row = context.actor.memberId ? await this.deliveries.findOfMember(context.actor.memberId, id) : null;
        return row ? toDigestDelivery(row) : null;
      },
      accessRuleOf(DigestSubscriptionResolver, 'digestSubscriptions'),
    );
  }
}
