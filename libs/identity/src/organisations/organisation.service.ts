import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import { mayManageOrganisations, type Operator } from '../access/identity-access.js';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Actor } from '../auth/actor.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { OrganisationEntity, OrganisationKind } from './organisation.entity.js';
import { OrganisationRepository } from './organisation.repository.js';

export interface OrganisationValues {
  slug: string;
  name: string;
  kind: OrganisationKind;
  country: string;
  region?: string | null;
  /** Replaces the domains; left out (or null), they stay as they were. */
  emailDomains?: string[] | null;
}

/** Lower-cased, trimmed, without a leading "@"; the one form domains are stored and compared in. */
export function normaliseDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

@Injectable()
export class OrganisationService {
  private readonly logger = new Logger(OrganisationService.name);

  constructor(
    private readonly organisations: OrganisationRepository,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  async requireBySlug(slug: string): Promise<OrganisationEntity> {
    const organisation = await this.organisations.findBySlug(slug);
    if (!organisation) throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, `No organisation has the slug "${slug}".`, 'slug');
    return organisation;
  }

  /**
   * Creates or updates an organisation by slug, for platform admins and the operator ({@link mayManageOrganisations}),
   * who alone set domains; a domain belongs to one organisation.
   */
  async upsert(actor: Actor | Operator, values: OrganisationValues): Promise<OrganisationEntity> {
    if (!mayManageOrganisations(actor)) {
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, 'Only platform admins create and change organisations.');
    }
    const domains = values.emailDomains == null ? undefined : [...new Set(values.emailDomains.map(normaliseDomain))];
    const invalid = domains?.find((d) => !DOMAIN.test(d));
    if (invalid !== undefined) {
      throw new IdentityError(IdentityErrorCode.INVALID_INPUT, `emailDomains: "${invalid}" is not a domain name such as kent.gov.uk`, 'emailDomains');
    }
    return this.tx.run(async () => {
      const existing = await this.organisations.findBySlug(values.slug);
      if (domains) {
        const taken = await this.organisations.domainsTakenElsewhere(domains, existing?.id ?? null);
        if (taken.length) {
          throw new IdentityError(
            IdentityErrorCode.DOMAIN_TAKEN,
            `emailDomains: ${taken.map((d) => d.domain).join(', ')} already belongs to another organisation`,
            'emailDomains',
          );
        }
      }
      const saved = await this.organisations.save({
        slug: values.slug,
        name: values.name,
        kind: values.kind,
        country: values.country.toUpperCase(),
        // Left out on an update: kept as it was.
        region: values.region === undefined ? (existing?.region ?? null) : values.region,
      });
      if (domains) await this.organisations.replaceDomains(saved.id, domains);
      await this.audit.record({
        action: existing ? AuditAction.ORGANISATION_UPDATED : AuditAction.ORGANISATION_CREATED,
        actorMemberId: actor.memberId,
        organisationId: saved.id,
        subjectType: 'Organisation',
        subjectId: saved.id,
        details: domains ? { emailDomains: domains } : {},
      });
      this.logger.log({ msg: existing ? 'organisation updated' : 'organisation created', organisationId: saved.id });
      return saved;
    });
  }

  /** The organisation's e-mail domains, alphabetical. */
  async domainsOf(slug: string): Promise<string[]> {
    const organisation = await this.requireBySlug(slug);
    return (await this.organisations.domainsOf([organisation.id])).map((d) => d.domain);
  }

  /**
   * Adds and removes some of an organisation's e-mail domains, through {@link upsert} (so with its validation, its
   * one-organisation-per-domain rule and its audit event). Removing a domain the organisation does not have is
   * refused, as a typo would otherwise pass unnoticed; adding only ones it has changes and records nothing.
   */
  async changeDomains(actor: Actor | Operator, slug: string, change: { add: string[]; remove: string[] }): Promise<{ before: string[]; after: string[] }> {
    return this.tx.run(async () => {
      const organisation = await this.requireBySlug(slug);
      // Sorted here, not by the database's collation, so that the two lists compare.
      const before = (await this.organisations.domainsOf([organisation.id])).map((d) => d.domain).sort();
      const remove = change.remove.map(normaliseDomain);
      const missing = remove.filter((d) => !before.includes(d));
      if (missing.length) {
        throw new IdentityError(
          IdentityErrorCode.INVALID_INPUT,
          `emailDomains: ${missing.join(', ')} is not a domain of ${slug} (its domains: ${before.join(', ') || 'none'})`,
          'emailDomains',
        );
      }
      const after = [...new Set([...before.filter((d) => !remove.includes(d)), ...change.add.map(normaliseDomain)])].sort();
      if (after.join() === before.join()) return { before, after };
      const { name, kind, country } = organisation;
      await this.upsert(actor, { slug: organisation.slug, name, kind, country, emailDomains: after });
      return { before, after };
    });
  }
}
