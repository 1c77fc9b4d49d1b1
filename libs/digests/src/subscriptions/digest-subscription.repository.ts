import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { In, IsNull } from 'typeorm';
import { DigestFrequency, DigestSubscriptionEntity } from './digest-subscription.entity.js';

/** Subscriptions are read by their owner only: every read here is scoped to a member. */
@Injectable()
export class DigestSubscriptionRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(DigestSubscriptionEntity);
  }

  listOfMember(memberId: string): Promise<DigestSubscriptionEntity[]> {
    return this.repo.find({ where: { memberId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  countOfMember(memberId: string): Promise<number> {
    return this.repo.countBy({ memberId });
  }

  /** Serialises changes to one member's set of subscriptions until the transaction ends (the per-member limit). */
  async lockMemberSubscriptions(memberId: string): Promise<void> {
    await this.tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`digest-subscriptions:${memberId}`]);
  }

  findOfMember(memberId: string, id: string): Promise<DigestSubscriptionEntity | null> {
    return this.repo.findOneBy({ id, memberId });
  }

  /** For the feed and unsubscribe links, which carry their own proof instead of a signed-in member. */
  findByIdForLink(id: string): Promise<DigestSubscriptionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** Subscriptions with their members, in one query: what deliveries start from. */
  findManyWithMember(ids: readonly string[]): Promise<DigestSubscriptionEntity[]> {
    if (!ids.length) return Promise.resolve([]);
    return this.repo
      .createQueryBuilder('s')
      .innerJoinAndSelect('s.member', 'm')
      .where('s.id IN (:...ids)', { ids: [...ids] })
      .getMany();
  }

  async insert(
    values: Partial<DigestSubscriptionEntity> & Pick<DigestSubscriptionEntity, 'memberId' | 'name' | 'frequency' | 'channel'>,
  ): Promise<DigestSubscriptionEntity> {
    const result = await this.repo.insert(values);
    return this.repo.findOneByOrFail({ id: result.identifiers[0]!.id as string });
  }

  async update(id: string, values: Partial<DigestSubscriptionEntity>): Promise<DigestSubscriptionEntity> {
    await this.repo.update({ id }, values);
    return this.repo.findOneByOrFail({ id });
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  /** Unpaused subscriptions of one frequency. */
  listActive(frequency: DigestFrequency): Promise<DigestSubscriptionEntity[]> {
    return this.repo.find({ where: { frequency, pausedAt: IsNull() }, order: { id: 'ASC' } });
  }

  /**
   * Unpaused DAILY and WEEKLY subscriptions, least recently attempted first, locked (skipping those another
   * scheduler holds) until the transaction ends.
   */
  lockScheduledByWatermark(limit: number, after?: { lastAttemptedAt: Date | null; id: string }): Promise<DigestSubscriptionEntity[]> {
    const qb = this.repo
      .createQueryBuilder('s')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('s.paused_at IS NULL AND s.frequency IN (:...frequencies)', { frequencies: [DigestFrequency.DAILY, DigestFrequency.WEEKLY] })
      .orderBy('s.last_attempted_at', 'ASC', 'NULLS FIRST')
      .addOrderBy('s.id', 'ASC')
      .limit(limit);
    if (after) {
      // Keyset over (watermark NULLS FIRST, id).
      qb.andWhere(
        after.lastAttemptedAt === null
          ? '(s.last_attempted_at IS NOT NULL OR s.id > :afterId)'
          : '(s.last_attempted_at > :afterAt OR (s.last_attempted_at = :afterAt AND s.id > :afterId))',
        { afterAt: after.lastAttemptedAt, afterId: after.id },
      );
    }
    return qb.getMany();
  }

  /** Moves the scheduling watermark of these subscriptions to `at`, in one statement. */
  async markAttempted(ids: string[], at: Date): Promise<void> {
    if (ids.length) await this.repo.update({ id: In(ids) }, { lastAttemptedAt: at });
  }

  /** Stops every subscription of a member at once (deactivation). */
  async pauseAllOfMember(memberId: string, at: Date, reason: string): Promise<number> {
    const result = await this.repo.update({ memberId, pausedAt: IsNull() }, { pausedAt: at, pauseReason: reason });
    return result.affected ?? 0;
  }
}
