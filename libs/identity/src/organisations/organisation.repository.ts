import { Injectable } from '@nestjs/common';
import { entitiesByIds, TransactionHost } from '#database';
import { In } from 'typeorm';
import { OrganisationDomainEntity } from './organisation-domain.entity.js';
import { OrganisationEntity, type OrganisationKind } from './organisation.entity.js';

export interface OrganisationFilter {
  kinds?: OrganisationKind[];
  countries?: string[];
}

/** Organisations are public, so their reads need no viewer. */
@Injectable()
export class OrganisationRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(OrganisationEntity);
  }

  findBySlug(slug: string): Promise<OrganisationEntity | null> {
    return this.repo.findOneBy({ slug });
  }

  findBySlugs(slugs: string[]): Promise<OrganisationEntity[]> {
    return slugs.length ? this.repo.findBy({ slug: In(slugs) }) : Promise.resolve([]);
  }

  findByIds(ids: readonly string[]): Promise<OrganisationEntity[]> {
    return entitiesByIds(this.tx.manager, OrganisationEntity, ids);
  }

  /** Ordered by slug; `first + 1` rows after `afterSlug`. */
  list(filter: OrganisationFilter, first: number, afterSlug?: string): Promise<OrganisationEntity[]> {
    const qb = this.repo.createQueryBuilder('o');
    if (filter.kinds?.length) qb.andWhere('o.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.countries?.length) qb.andWhere('o.country IN (:...countries)', { countries: filter.countries });
    if (afterSlug !== undefined) qb.andWhere('o.slug > :after', { after: afterSlug });
    return qb
      .orderBy('o.slug', 'ASC')
      .limit(first + 1)
      .getMany();
  }

  async save(values: Partial<OrganisationEntity> & Pick<OrganisationEntity, 'slug' | 'name' | 'kind' | 'country' | 'region'>): Promise<OrganisationEntity> {
    const existing = await this.findBySlug(values.slug);
    if (existing) {
      await this.repo.update({ id: existing.id }, { name: values.name, kind: values.kind, country: values.country, region: values.region });
      return this.repo.findOneByOrFail({ id: existing.id });
    }
    const inserted = await this.repo.insert(values);
    return this.repo.findOneByOrFail({ id: inserted.identifiers[0]!.id as string });
  }

  domainsOf(organisationIds: readonly string[]): Promise<OrganisationDomainEntity[]> {
    return organisationIds.length
      ? this.tx.manager.getRepository(OrganisationDomainEntity).find({ where: { organisationId: In([...organisationIds]) }, order: { domain: 'ASC' } })
      : Promise.resolve([]);
  }

  /** Domains among `domains` that belong to an organisation other than `organisationId`. */
  async domainsTakenElsewhere(domains: string[], organisationId: string | null): Promise<OrganisationDomainEntity[]> {
    if (!domains.length) return [];
    const owned = await this.tx.manager.getRepository(OrganisationDomainEntity).findBy({ domain: In(domains) });
    return owned.filter((d) => d.organisationId !== organisationId);
  }

  async replaceDomains(organisationId: string, domains: string[]): Promise<void> {
    const repo = this.tx.manager.getRepository(OrganisationDomainEntity);
    await repo.delete({ organisationId });
    if (domains.length) await repo.insert(domains.map((domain) => ({ domain, organisationId })));
  }

  async findByDomain(domain: string): Promise<OrganisationEntity | null> {
    const row = await this.tx.manager.getRepository(OrganisationDomainEntity).findOne({ where: { domain }, relations: { organisation: true } });
    return row?.organisation ?? null;
  }
}
