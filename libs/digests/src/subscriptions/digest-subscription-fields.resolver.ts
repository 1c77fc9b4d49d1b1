import { Args, Int, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { DigestDelivery, toDigestDelivery } from '../deliveries/digest-delivery.object.js';
import { DigestDeliveryRepository } from '../deliveries/digest-delivery.repository.js';
import { DigestError, DigestErrorCode } from '../digests.errors.js';
import { DigestSubscription } from './digest-subscription.object.js';

const MAX_DELIVERIES = 100;

@Resolver(() => DigestSubscription)
export class DigestSubscriptionFieldsResolver {
  constructor(private readonly deliveryRepository: DigestDeliveryRepository) {}

  /** Only ever asked on a subscription its owner loaded, so the log is the owner's too. */
  @ResolveField(() => [DigestDelivery], { description: `The delivery log, newest first: the last \`last\` deliveries (1 to ${MAX_DELIVERIES}).` })
  async deliveries(
    @Parent() subscription: DigestSubscription,
    @Args('last', { type: () => Int, nullable: true, defaultValue: 20 }) last: number,
  ): Promise<DigestDelivery[]> {
    if (last < 1 || last > MAX_DELIVERIES) {
      throw new DigestError(DigestErrorCode.INVALID_INPUT, `last must be between 1 and ${MAX_DELIVERIES}.`, 'last');
    }
    const rows = await this.deliveryRepository.listOfSubscription(subscription.rowId, last);
    return rows.map(toDigestDelivery);
  }
}
