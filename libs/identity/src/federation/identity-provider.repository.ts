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

  /** Every IdP of the organisation, enabled or not, by key. */
  listOfOrganisation(organisationId: string): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { organisationId }, order: { key: 'ASC' } });
  }

  /** Every enabled IdP with its organisation, by organisation name: the sign-in page's list. */
  listEnabledWithOrganisation(): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { enabled: true }, relations: { organisation: true }, order: { organisation: { name: 'ASC' }, key: 'ASC' } });
  }

  /** The IdPs of one organisation, or of every one, with their organisation, by organisation slug then key. */
  listWithOrganisation(organisationId?: string): Promise<IdentityProviderEntity[]> {
    return this.repo.find({
      where: organisationId ? { organisationId } : {},
      relations: { organisation: true },
      order: { organisation: { slug: 'ASC' }, key: 'ASC' },
    });
  }

  findByKey(organisationId: string, key: string): Promise<IdentityProviderEntity | null> {
    return this.repo.findOneBy({ organisationId, key });
  }

  /** The IdP of (organisation, key), its row locked to the end of the transaction: a trust change is judged against it. */
  findByKeyForUpdate(organisationId: string, key: string): Promise<IdentityProviderEntity | null> {
    return this.repo
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.organisation_id = :organisationId AND i.key = :key', { organisationId, key })
      .getOne();
  }

  /** The IdP by id, its row locked to the end of the transaction. */
  findByIdForUpdate(id: string): Promise<IdentityProviderEntity | null> {
    return this.repo.createQueryBuilder('i').setLock('pessimistic_write').where('i.id = :id', { id }).getOne();
  }

  /** IdPs whose metadata comes from a URL, least recently refreshed first. */
  listWithMetadataUrl(limit: number): Promise<IdentityProviderEntity[]> {
    return this.repo.find({ where: { metadataUrl: Not(IsNull()) }, order: { metadataRefreshedAt: { direction: 'ASC', nulls: 'FIRST' } }, take: limit });
  }

  /**
   * Creates or updates the IdP of (organisation, key) in one statement, so two admins configuring the same new key at
   * once both succeed on one row. `created` tells which happened.
   */
  async save(
    values: Partial<IdentityProviderEntity> & Pick<IdentityProviderEntity, 'organisationId' | 'key'>,
  ): Promise<{ idp: IdentityProviderEntity; created: boolean }> {
    const columns = Object.keys(values).filter((k) => k !== 'organisationId' && k !== 'key');
    const result = await this.repo
      .createQueryBuilder()
      .insert()
      .into(IdentityProviderEntity)
      .values(values)
      .orUpdate([...columns.map((c) => this.repo.metadata.findColumnWithPropertyName(c)!.databaseName), 'updated_at'], ['organisation_id', 'key'])
      .returning('id, (xmax = 0) AS created')
      .execute();
    const row = (result.raw as { id: string; created: boolean }[])[0]!;
    return { idp: await this.repo.findOneByOrFail({ id: row.id }), created: row.created };
  }

  async update(id: string, values: Partial<IdentityProviderEntity>): Promise<void> {
    await this.repo.update({ id }, values);
  }
}
