import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import pg from 'pg';
import { DeliveryStatus, DigestDeliveryEntity } from './digest-delivery.entity.js';
import { DigestEntryEntity } from './digest-entry.entity.js';

@Injectable()
export class DigestDeliveryRepository {
  private readonly logger = new Logger(DigestDeliveryRepository.name);

  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(DigestDeliveryEntity);
  }

  /**
   * The delivery of (subscription, period), created if new, locked until the transaction ends so two workers on the
   * same schedule take turns; `created` tells whether this call made it. With `sentAt`, a new one is recorded as sent
   * then (a delivery that has nothing to send beyond its entries).
   */
  async claim(subscriptionId: string, periodKey: string, messageId: string, sentAt?: Date): Promise<{ delivery: DigestDeliveryEntity; created: boolean }> {
    const state = sentAt ? { status: DeliveryStatus.SENT, sentAt, attempts: 1 } : { status: DeliveryStatus.PENDING, sentAt: null, attempts: 0 };
    const inserted = await this.repo
      .createQueryBuilder()
      .insert()
      .into(DigestDeliveryEntity)
      .values({ subscriptionId, periodKey, messageId, ...state })
      .orIgnore()
      .returning('id, created_at')
      .execute();
    const [row] = inserted.raw as { id: string; created_at: Date }[];
    // A row this transaction inserted is its own until it commits: a concurrent claim waits on its key.
    if (row) {
      const delivery = this.repo.create({
        id: row.id,
        subscriptionId,
        periodKey,
        messageId,
        ...state,
        lastError: null,
        nextAttemptAt: null,
        createdAt: row.created_at,
      });
      return { delivery, created: true };
    }
    const delivery = await this.repo
      .createQueryBuilder('d')
      .setLock('pessimistic_write')
      .where('d.subscription_id = :subscriptionId AND d.period_key = :periodKey', { subscriptionId, periodKey })
      .getOneOrFail();
    return { delivery, created: false };
  }

  async entryPracticeIds(deliveryId: string): Promise<string[]> {
    const rows = await this.tx.manager.getRepository(DigestEntryEntity).find({ where: { deliveryId }, order: { createdAt: 'ASC' } });
    return rows.map((r) => r.practiceId);
  }

  /**
   * Takes the delivery's advisory lock on a connection of its own, so only one worker sends it at a time; the lock
   * goes with the connection if the worker dies. Null when another worker holds it.
   */
  async trySendLock(id: string): Promise<(() => Promise<void>) | null> {
    // Outside the pool: holding a pooled connection while the send needs others could exhaust the pool.
    const client = new pg.Client({ connectionString: (this.tx.manager.connection.options as { url: string }).url, connectionTimeoutMillis: 10_000 });
    // A connection lost while the send runs must not take the worker down: the lock went with it, and the retry
    // resends under the same Message-ID.
    client.on('error', (error) => this.logger.warn({ msg: 'send lock connection lost', deliveryId: id, error: error.message }));
    await client.connect();
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [`digest-delivery:${id}`]);
    if (!rows[0]?.locked) {
      await client.end();
      return null;
    }
    return async () => {
      await client.end(); // ending the session releases its advisory lock
    };
  }

  findById(id: string): Promise<DigestDeliveryEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async remove(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async markSent(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { status: DeliveryStatus.SENT, sentAt: at, attempts: () => 'attempts + 1', lastError: null, nextAttemptAt: null });
  }

  async markAttemptFailed(id: string, error: string, nextAttemptAt: Date | null, final: boolean): Promise<DigestDeliveryEntity> {
    await this.repo.update(
      { id },
      { status: final ? DeliveryStatus.FAILED : DeliveryStatus.PENDING, attempts: () => 'attempts + 1', lastError: error.slice(0, 1000), nextAttemptAt },
    );
    return this.repo.findOneByOrFail({ id });
  }

  /** A delivery of one of the member's subscriptions (its owner's read rule), or null. */
  findOfMember(memberId: string, id: string): Promise<DigestDeliveryEntity | null> {
    return this.repo.createQueryBuilder('d').innerJoin('d.subscription', 's').where('d.id = :id AND s.member_id = :memberId', { id, memberId }).getOne();
  }

  /** A subscription's deliveries, newest first: the log its owner reads. */
  listOfSubscription(subscriptionId: string, limit: number): Promise<DigestDeliveryEntity[]> {
    return this.repo.find({ where: { subscriptionId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** The newest delivery of each of the member's subscriptions that has one. */
  latestOfMember(memberId: string): Promise<DigestDeliveryEntity[]> {
    return this.repo
      .createQueryBuilder('d')
      .innerJoin('d.subscription', 's')
      .where('s.member_id = :memberId', { memberId })
      .distinctOn(['d.subscription_id'])
      .orderBy('d.subscription_id')
      .addOrderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .getMany();
  }
}
