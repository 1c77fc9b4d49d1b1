import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { IsNull } from 'typeorm';
import { DigestSubscriptionEntity } from './digest-subscription.entity.js';

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

  findOfMember(memberId: string, id: string): Promise<DigestSubscriptionEntity | null> {
    return this.repo.findOneBy({ id, memberId });
  }

  /** For the feed and unsubscribe links, which carry their own proof instead of a signed-in member. */
  findByIdForLink(id: string): Promise<DigestSubscriptionEntity | null> {
    return this.repo.findOneBy({ id });
  }

  async insert(values: Partial<DigestSubscriptionEntity> & Pick<DigestSubscriptionEntity, 'memberId' | 'name' | 'frequency' | 'channel'>): Promise<DigestSubscriptionEntity> {
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

  /** Stops every subscription of a member at once (deactivation). */
  async pauseAllOfMember(memberId: string, at: Date, reason: string): Promise<number> {
    const result = await this.repo.update({ memberId, pausedAt: IsNull() }, { pausedAt: at, pauseReason: reason });
    return result.affected ?? 0;
  }
}
