import { Args, Field, ID, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, MemberRepository, Permission, RequirePermission, commonViewer, requireGlobalId } from '#identity';
import { Practice, toPractice } from '#practices';
import { DigestCompositionRepository } from '../deliveries/digest-composition.repository.js';
import { DigestSubscriptionService } from './digest-subscription.service.js';
import { subscriberViewer } from './subscriber-viewer.js';

@ObjectType({ description: 'What the next digest of a subscription would hold, as its owner may read now (and no more than the calling token may read).' })
export class DigestPreview {
  @Field(() => Int)
  count!: number;

  @Field(() => [Practice])
  entries!: Practice[];
}

@Resolver(() => DigestPreview)
export class DigestPreviewResolver {
  constructor(
    private readonly subscriptions: DigestSubscriptionService,
    private readonly composition: DigestCompositionRepository,
    private readonly members: MemberRepository,
  ) {}

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Query(() => DigestPreview)
  async digestPreview(@CurrentActor() actor: Actor, @Args('subscriptionId', { type: () => ID }) subscriptionId: string): Promise<DigestPreview> {
    const subscription = await this.subscriptions.require(actor, requireGlobalId(subscriptionId, 'DigestSubscription', 'subscriptionId'));
    const owner = (await this.members.findForSignIn(subscription.memberId))!;
    // What the digest carries, and no more than this caller may read (a token without `read` sees the public's view).
    const entries = await this.composition.pendingFor(subscription, commonViewer(subscriberViewer(subscription, owner), actor.viewer));
    return { count: entries.length, entries: entries.map(toPractice) };
  }
}
