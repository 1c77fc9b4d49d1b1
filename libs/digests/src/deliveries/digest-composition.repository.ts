import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { PracticeEntity, PracticeStatus, practiceFilterPredicate, visiblePracticePredicate } from '#practices';
import type { EntityManager } from 'typeorm';
import type { DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';

/** The most entries one digest carries; the rest wait for the next one. */
export const MAX_ENTRIES_PER_DIGEST = 100;

/**
 * How far a digest looks back past the newest practice already recorded for its subscription. A practice whose
 * publication committed after a later one (a slow transaction, another server's clock) is still found; the unique
 * (subscription, practice) entry, not this window, keeps it from going out twice.
 */
export const LATE_PUBLICATION_GRACE_MS = 60 * 60 * 1000;

/**
 * What a subscription's next digest holds: published practices the subscriber may read now (the read rule, for the
 * subscriber), matching the subscription's filter, new since its last digest (published since it was made, or since
 * the newest practice it recorded, less {@link LATE_PUBLICATION_GRACE_MS}), and never sent to it before.
 */
@Injectable()
export class DigestCompositionRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The next digest's practices, for its preview. */
  pendingFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit = MAX_ENTRIES_PER_DIGEST): Promise<PracticeEntity[]> {
    // A preview tolerates a second of lag: the read replica when there is one.
    return this.tx.onReplica((manager) => this.pending(subscription, subscriber, manager).limit(limit).getMany());
  }

  /**
   * Whether the next digest would hold anything: what an IMMEDIATE fan-out asks of every subscription. On the primary:
   * it decides whether a digest goes out at all, right after a publication a lagging replica might not show yet.
   */
  async hasPending(subscription: DigestSubscriptionEntity, subscriber: Viewer): Promise<boolean> {
    return (await this.pending(subscription, subscriber).select('p.id', 'id').limit(1).getRawMany()).length > 0;
  }

  /**
   * Records the next digest's practices as entries of `deliveryId` in one statement (composing and recording in the
   * database, without carrying the practices to the worker and back); the ids recorded, which leave out any practice
   * that a concurrent delivery of the same subscription took first.
   */
  async recordPending(subscription: DigestSubscriptionEntity, subscriber: Viewer, deliveryId: string, limit = MAX_ENTRIES_PER_DIGEST): Promise<string[]> {
    const [select, params] = this.pending(subscription, subscriber)
      .select('p.id', 'id')
      .addSelect('p.published_at', 'published_at')
      .limit(limit)
      .getQueryAndParameters();
    const subscriptionParam = `$${params.length + 1}::uuid`;
    // One statement: the entries, and the subscription's look-back moved to the newest practice recorded.
    const rows: { practice_id: string }[] = await this.tx.manager.query(
      `WITH pending AS (${select}),
       recorded AS (
         INSERT INTO digest_entry (subscription_id, practice_id, delivery_id)
         SELECT ${subscriptionParam}, pending.id, $${params.length + 2}::uuid FROM pending
         ON CONFLICT DO NOTHING RETURNING practice_id),
       moved AS (
         UPDATE digest_subscription s SET composed_through = GREATEST(s.composed_through, x.through)
         FROM (SELECT max(pending.published_at) AS through FROM pending JOIN recorded ON recorded.practice_id = pending.id) x
         WHERE s.id = ${subscriptionParam} AND x.through IS NOT NULL)
       SELECT practice_id FROM recorded`,
      [...params, subscription.id, deliveryId],
    );
    return rows.map((r) => r.practice_id);
  }

  /** The newest practices matching the subscription that the subscriber may read now: its Atom feed. */
  recentFor(subscription: DigestSubscriptionEntity, subscriber: Viewer, limit: number): Promise<PracticeEntity[]> {
    // A feed tolerates a second of lag: the read replica when there is one.
    return this.tx.onReplica((manager) =>
      this.matching(subscription, subscriber, manager).orderBy('p.published_at', 'DESC').addOrderBy('p.id', 'DESC').limit(limit).getMany(),
    );
  }

  /** Matching, new since the last digest, never sent to it before; oldest first (practice_published_idx). */
  private pending(subscription: DigestSubscriptionEntity, subscriber: Viewer, manager = this.tx.manager) {
    const lookBack = subscription.composedThrough && new Date(subscription.composedThrough.getTime() - LATE_PUBLICATION_GRACE_MS);
    const since = lookBack && lookBack > subscription.createdAt ? lookBack : subscription.createdAt;
    return this.matching(subscription, subscriber, manager)
      .andWhere('p.published_at >= :since', { since })
      .andWhere('NOT EXISTS (SELECT 1 FROM digest_entry e WHERE e.subscription_id = :subscriptionId AND e.practice_id = p.id)', {
        subscriptionId: subscription.id,
      })
      .orderBy('p.published_at', 'ASC')
      .addOrderBy('p.id', 'ASC');
  }

  private matching(subscription: DigestSubscriptionEntity, subscriber: Viewer, manager: EntityManager = this.tx.manager) {
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
    return manager
      .getRepository(PracticeEntity)
      .createQueryBuilder('p')
      .where(visible.sql, visible.params)
      .andWhere('p.status = :published', { published: PracticeStatus.PUBLISHED })
      .andWhere(filter.sql, filter.params);
  }
}
