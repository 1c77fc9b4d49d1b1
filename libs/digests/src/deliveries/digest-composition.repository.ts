import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { PracticeEntity, PracticeStatus, practiceFilterPredicate, visiblePracticePredicate } from '#practices';
import type { DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';

/** The most entries one digest carries; the rest wait for the next one. */
export const MAX_ENTRIES_PER_DIGEST = 100;

/**
 * What a subscription's next digest holds: published practices the subscriber may read now (the read rule, for the
 * subscriber), matching the subscription's filter, published since it was made, and never sent to it before.
 */
@Injectable()
export class DigestCompositionRepository {
  constructor(private readonly tx: TransactionHost) {}

  pendingFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit = MAX_ENTRIES_PER_DIGEST): Promise<PracticeEntity[]> {
    return this.matching(subscription, subscriber)
      .andWhere('p.published_at >= :since', { since: subscription.createdAt })
      .andWhere('NOT EXISTS (SELECT 1 FROM digest_entry e WHERE e.subscription_id = :subscriptionId AND e.practice_id = p.id)', { subscriptionId: subscription.id })
      .orderBy('p.published_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The newest practices matching the subscription that the subscriber may read now: its Atom feed. */
  recentFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit: number): Promise<PracticeEntity[]> {
    return this.matching(subscription, subscriber).orderBy('p.published_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getMany();
  }

  private matching(subscription: DigestSubscriptionEntity, subscriber: Viewer) {
    const visible = visiblePracticePredicate(subscriber, 'p');
    const filter = practiceFilterPredicate(
      {
        query: subscription.filter.query,
        tagSlugs: subscription.filter.tags,
        organisationSlugs: subscription.filter.organisationSlugs,
        organisationKinds: subscription.filter.organisationKinds,
        countries: subscription.filter.countries,
      },
      'p',
    );
    return this.tx.manager
      .getRepository(PracticeEntity)
      .createQueryBuilder('p')
      .where(visible.sql, visible.params)
      .andWhere('p.status = :published', { published: PracticeStatus.PUBLISHED })
      .andWhere(filter.sql, filter.params);
  }
}
