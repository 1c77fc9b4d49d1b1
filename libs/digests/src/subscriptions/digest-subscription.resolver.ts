import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Actor, CurrentActor, Permission, RequirePermission, requireGlobalId } from '#identity';
import { DigestSubscription, toDigestSubscription } from './digest-subscription.object.js';
import { DigestSubscriptionService } from './digest-subscription.service.js';
import {
  CreateDigestSubscriptionInput,
  DeleteDigestSubscriptionInput,
  RotateDigestSubscriptionSecretInput,
  UpdateDigestSubscriptionInput,
} from './dto/digest-subscription.input.js';

@Resolver(() => DigestSubscription)
export class DigestSubscriptionResolver {
  constructor(private readonly service: DigestSubscriptionService) {}

  private view(entity: Parameters<typeof toDigestSubscription>[0], actor: Actor): DigestSubscription {
    return toDigestSubscription(entity, this.service.secretsOf(entity, actor));
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Query(() => [DigestSubscription], { description: 'Your digest subscriptions.' })
  async digestSubscriptions(@CurrentActor() actor: Actor): Promise<DigestSubscription[]> {
    return (await this.service.list(actor)).map((s) => this.view(s, actor));
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Mutation(() => DigestSubscription)
  async createDigestSubscription(@CurrentActor() actor: Actor, @Args('input') input: CreateDigestSubscriptionInput): Promise<DigestSubscription> {
    return this.view(await this.service.create(actor, input), actor);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Mutation(() => DigestSubscription)
  async updateDigestSubscription(@CurrentActor() actor: Actor, @Args('input') input: UpdateDigestSubscriptionInput): Promise<DigestSubscription> {
    const { id, ...changes } = input;
    return this.view(await this.service.update(actor, requireGlobalId(id, 'DigestSubscription'), changes), actor);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Mutation(() => DigestSubscription, { description: 'Deletes the subscription; returns it as it was.' })
  async deleteDigestSubscription(@CurrentActor() actor: Actor, @Args('input') input: DeleteDigestSubscriptionInput): Promise<DigestSubscription> {
    return this.view(await this.service.delete(actor, requireGlobalId(input.id, 'DigestSubscription')), actor);
  }

  @RequirePermission(Permission.SUBSCRIPTION_MANAGE)
  @Mutation(() => DigestSubscription, { description: 'A new webhook secret (WEBHOOK) or feed address (ATOM); the old one stops working.' })
  async rotateDigestSubscriptionSecret(@CurrentActor() actor: Actor, @Args('input') input: RotateDigestSubscriptionSecretInput): Promise<DigestSubscription> {
    return this.view(await this.service.rotateSecret(actor, requireGlobalId(input.id, 'DigestSubscription')), actor);
  }
}
