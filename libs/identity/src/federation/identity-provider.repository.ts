import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { IsNull, Not } from 'typeorm';
import { IdentityProviderEntity } from './identity-provider.entity.js';

/** IdP records; their public parts (name, login URL) are shown to anyone choosing where to sign in. */
@Injectable()
export class IdentityProviderRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(IdentityProviderEntity);
  }

  findById(id: string): Promise<IdentityProviderEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The organisation's enabled IdPs, by key. */
  listEnabledOfOrganisation(organisationId: string): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { organisationId, enabled: true }, order: { key: 'ASC' } });
  }

  /** Every enabled IdP with its organisation, by organisation name: the sign-in page's list. */
  listEnabledWithOrganisation(): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { enabled: true }, relations: { organisation: true }, order: { organisation: { name: 'ASC' }, key: 'ASC' } });
  }

  findByKey(organisationId: string, key: string): Promise<IdentityProviderEntity | null> {
    return this.repo.findOneBy({ organisationId, key });
  }

  /** IdPs whose metadata comes from a URL, least recently refreshed first. */
  listWithMetadataUrl(limit: number): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { metadataUrl: Not(IsNull()) }, order: { metadataRefreshedAt: { direction: 'ASC', nulls: 'FIRST' } }, take: limit });
  }

  async save(values: Partial<IdentityProviderEntity> & Pick<IdentityProviderEntity, 'organisationId' | 'key'>): Promise<IdentityProviderEntity> {
    const existing = await this.findByKey(values.organisationId, values.key);
    if (existing) {
      await this.repo.update({ id: existing.id }, values);
      return this.repo.findOneByOrFail({ id: existing.id });
    }
    const result = await this.repo.insert(values);
    return this.repo.findOneByOrFail({ id: result.identifiers[0]!.id as string });
  }

  async update(id: string, values: Partial<IdentityProviderEntity>): Promise<void> {
    await this.repo.update({ id }, values);
  }
}
