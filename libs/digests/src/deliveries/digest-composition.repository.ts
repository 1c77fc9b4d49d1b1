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

  /** The next digest's practices, for its preview. */
  pendingFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit = MAX_ENTRIES_PER_DIGEST): Promise<PracticeEntity[]> {
    return this.pending(subscription, subscriber).limit(limit).getMany();
  }

  /** Whether the next digest would hold anything: what an IMMEDIATE fan-out asks of every subscription. */
  async hasPending(subscription: DigestSubscriptionEntity, subscriber: Viewer): Promise<boolean> {
    return (await this.pending(subscription, subscriber).select('p.id', 'id').limit(1).getRawMany()).length > 0;
  }

  /**
   * Records the next digest's practices as entries of `deliveryId` in one statement (composing and recording in the
   * database, without carrying the practices to the worker and back); the ids recorded, which leave out any practice
   * that a concurrent delivery of the same subscription took first.
   */
  async recordPending(subscription: DigestSubscriptionEntity, subscriber: Viewer, deliveryId: string, limit = MAX_ENTRIES_PER_DIGEST): Promise<string[]> {
    const [select, params] = this.pending(subscription, subscriber).select('p.id', 'id').limit(limit).getQueryAndParameters();
    const rows: { practice_id: string }[] = await this.tx.manager.query(
      `INSERT INTO digest_entry (subscription_id, practice_id, delivery_id)
       SELECT $${params.length + 1}::uuid, pending.id, $${params.length + 2}::uuid FROM (${select}) pending
       ON CONFLICT DO NOTHING RETURNING practice_id`,
      [...params, subscription.id, deliveryId],
    );
    return rows.map((r) => r.practice_id);
  }

  /** The newest practices matching the subscription that the subscriber may read now: its Atom feed. */
  recentFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit: number): Promise<PracticeEntity[]> {
    return this.matching(subscription, subscriber).orderBy('p.published_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getMany();
  }

  /** Matching, published since the subscription began, never sent to it before; oldest first (practice_published_idx). */
  private pending(subscription: DigestSubscriptionEntity, subscriber: Viewer) {
    return this.matching(subscription, subscriber)
      .andWhere('p.published_at >= :since', { since: subscription.createdAt })
      .andWhere('NOT EXISTS (SELECT 1 FROM digest_entry e WHERE e.subscription_id = :subscriptionId AND e.practice_id = p.id)', { subscriptionId: subscription.id })
      .orderBy('p.published_at', 'ASC')
      .addOrderBy('p.id', 'ASC');
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
