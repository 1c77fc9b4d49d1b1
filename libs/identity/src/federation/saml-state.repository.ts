import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { SamlAssertionEntity } from './saml-assertion.entity.js';
import { SamlRequestEntity } from './saml-request.entity.js';

/** Requests in flight and assertions seen, in PostgreSQL so that every API process agrees. */
@Injectable()
export class SamlStateRepository {
  constructor(private readonly tx: TransactionHost) {}

  async saveRequest(values: Pick<SamlRequestEntity, 'id' | 'identityProviderId' | 'returnTo' | 'browserBinding' | 'expiresAt'>): Promise<void> {
    await this.tx.manager.getRepository(SamlRequestEntity).insert(values);
  }

  /** A live request by id, whoever it was for (the caller checks the IdP and the browser). */
  findLiveRequest(id: string, now: Date): Promise<SamlRequestEntity | null> {
    return this.tx.manager.getRepository(SamlRequestEntity).createQueryBuilder('r').where('r.id = :id AND r.expires_at > :now', { id, now }).getOne();
  }

  /** Consumes a request; true for the one caller that removed it. */
  async consumeRequest(id: string): Promise<boolean> {
    const result = await this.tx.manager.getRepository(SamlRequestEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records an assertion ID; false when it was seen before. One INSERT under the primary key, so two copies of a
   * response arriving at once cannot both pass.
   */
  async recordAssertion(identityProviderId: string, assertionId: string, expiresAt: Date): Promise<boolean> {
    const result = await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(SamlAssertionEntity)
      .values({ identityProviderId, assertionId, expiresAt })
      .orIgnore()
      .returning('assertion_id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** Forgets expired requests and assertions (the worker runs this on a schedule). */
  async purgeExpired(now: Date): Promise<void> {
    await this.tx.manager.getRepository(SamlRequestEntity).createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
    await this.tx.manager.getRepository(SamlAssertionEntity).createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
  }
}
