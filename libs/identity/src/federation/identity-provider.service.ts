import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, OutboundRequestError, outboundRequest } from '#config';
import { TransactionHost } from '#database';
import { mayConfirmIdentityProviderTrust, mayManageIdentityProviders, type Operator } from '../access/identity-access.js';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Actor } from '../auth/actor.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { normaliseDomain } from '../organisations/organisation.service.js';
import { isSlug } from '../organisations/slug.js';
import { trustChangeUnconfirmed, type AttributeMapping, type IdentityProviderEntity } from './identity-provider.entity.js';
import { IdentityProviderRepository } from './identity-provider.repository.js';
import { parseIdpMetadata, type IdpMetadata } from './metadata/idp-metadata.js';
import { verifyMetadataAggregate } from './metadata/metadata-aggregate.js';
import { METADATA_MAX_CHARACTERS, MetadataError } from './metadata/metadata.errors.js';
import { spUrls } from './saml-urls.js';

export interface IdentityProviderSettings {
  organisationSlug: string;
  key?: string;
  name?: string;
  metadataXml?: string | null;
  metadataUrl?: string | null;
  wantAuthnResponseSigned?: boolean | null;
  wantAssertionsSigned?: boolean | null;
  attributeMapping?: AttributeMapping | null;
  enabled?: boolean | null;
  /** The metadata is a federation's signed aggregate: its signing certificate (PEM) and the entity to take. */
  federationCertificate?: string | null;
  entityId?: string | null;
}

/**
 * Whether saving `next` widens whom the IdP record trusts: a new IdP, another entity ID, a signing certificate not
 * trusted before, or another metadata source (URL, or the federation certificate its aggregate is checked with).
 * Dropping a certificate or going back from a URL to pasted metadata trusts no one new.
 */
function changesTrust(
  existing: IdentityProviderEntity | null,
  next: Pick<IdentityProviderEntity, 'entityId' | 'certificates' | 'metadataUrl' | 'federationCertificate'>,
): boolean {
  if (!existing) return true;
  if (next.entityId !== existing.entityId) return true;
  if (next.certificates.some((c) => !existing.certificates.includes(c))) return true;
  if (next.metadataUrl === null) return false;
  return next.metadataUrl !== existing.metadataUrl || (next.federationCertificate ?? '').trim() !== (existing.federationCertificate ?? '').trim();
}

/** What a refresh of an IdP's metadata did: the certificates' SHA-256 fingerprints it added and removed, or its error. */
export type MetadataRefresh =
  { ok: true; certificatesAdded: string[]; certificatesRemoved: string[]; endpointsChanged: boolean } | { ok: false; error: string };

/** SHA-256 fingerprint of a base64 DER certificate, as administrators compare them. */
function fingerprint(certificateBase64: string): string {
  return createHash('sha256')
    .update(Buffer.from(certificateBase64, 'base64'))
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:')
    .toUpperCase();
}

@Injectable()
export class IdentityProviderService {
  private readonly logger = new Logger(IdentityProviderService.name);

  constructor(
    private readonly idps: IdentityProviderRepository,
    private readonly organisations: OrganisationRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * Every IdP of `organisation`, enabled or not, for whoever manages them: its admins and platform admins.
   * @throws IdentityError PERMISSION_DENIED for anyone else.
   */
  async listOfOrganisation(actor: Actor, organisation: Pick<OrganisationEntity, 'id'>): Promise<IdentityProviderEntity[]> {
    if (!mayManageIdentityProviders(actor, organisation.id)) {
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Only the organisation's admins and platform admins see its identity providers.");
    }
    return this.idps.listOfOrganisation(organisation.id);
  }

  /** The values an IdP's administrator needs for `organisation`: this service's entity ID, ACS, SLO and metadata URLs. */
  serviceProviderUrls(organisation: Pick<OrganisationEntity, 'slug'>): { entityId: string; acs: string; slo: string; metadata: string } {
    const { entityId, acs, slo, metadata } = spUrls(this.config, organisation.slug);
    return { entityId, acs, slo, metadata };
  }

  /**
   * Creates or updates an organisation's IdP from metadata XML or a metadata URL (fetched through the outbound
   * helper). The IdP can only sign in addresses of the organisation's own domains, which only platform admins set.
   */
  async configure(actor: Actor | Operator, settings: IdentityProviderSettings): Promise<IdentityProviderEntity> {
    const organisation = await this.organisations.findBySlug(settings.organisationSlug);
    if (!organisation)
      throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, `No organisation has the slug "${settings.organisationSlug}".`, 'organisationSlug');
    if (!mayManageIdentityProviders(actor, organisation.id)) {
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Only the organisation's admins and platform admins configure its identity providers.");
    }
    if ((settings.metadataXml != null) === (settings.metadataUrl != null)) {
      throw new IdentityError(IdentityErrorCode.INVALID_INPUT, 'metadataXml / metadataUrl: give exactly one of them', 'metadataXml');
    }
    if (!!settings.federationCertificate !== !!settings.entityId) {
      throw new IdentityError(IdentityErrorCode.INVALID_INPUT, 'federationCertificate / entityId: a federation aggregate needs both', 'entityId');
    }
    const key = settings.key ?? 'main';
    if (!isSlug(key) || key.length > 64) {
      throw new IdentityError(
        IdentityErrorCode.INVALID_INPUT,
        'key: lower-case letters, digits and single hyphens, at most 64 characters (such as "main")',
        'key',
      );
    }
    const metadataXml = settings.metadataXml ?? (await this.fetchMetadata(settings.metadataUrl!));
    const metadata = this.parse(
      metadataXml,
      settings.federationCertificate ? { certificate: settings.federationCertificate, entityId: settings.entityId! } : null,
    );
    return this.tx.run(async () => {
      const existing = await this.idps.findByKeyForUpdate(organisation.id, key);
      const fromMetadata = this.fromMetadata(metadata);
      const metadataUrl = settings.metadataUrl ?? null;
      const federationCertificate = settings.federationCertificate ?? null;
      const trustChanged = changesTrust(existing, { ...fromMetadata, metadataUrl, federationCertificate });
      const trust = this.trustAfterChange(actor, existing, trustChanged);
      const { idp: saved, created } = await this.idps.save({
        organisationId: organisation.id,
        key,
        name: settings.name ?? existing?.name ?? `${organisation.name} sign-in`,
        ...fromMetadata,
        metadataUrl,
        metadataXml,
        federationCertificate,
        metadataRefreshedAt: new Date(),
        metadataError: null,
        wantAuthnResponseSigned: settings.wantAuthnResponseSigned ?? existing?.wantAuthnResponseSigned ?? true,
        wantAssertionsSigned: settings.wantAssertionsSigned ?? existing?.wantAssertionsSigned ?? true,
        attributeMapping: settings.attributeMapping ?? existing?.attributeMapping ?? {},
        enabled: settings.enabled ?? existing?.enabled ?? true,
        ...trust,
      });
      await this.audit.record({
        action: AuditAction.IDP_CHANGED,
        actorMemberId: actor.memberId,
        organisationId: organisation.id,
        subjectType: 'IdentityProvider',
        subjectId: saved.id,
        details: {
          key,
          entityId: saved.entityId,
          certificates: saved.certificates.length,
          created,
          trustChanged,
          trustConfirmed: !trustChangeUnconfirmed(saved),
        },
      });
      if (trustChangeUnconfirmed(saved)) {
        this.logger.warn({
          msg: 'IdP trust changed; platform admins cannot sign in through it until a platform admin confirms',
          identityProviderId: saved.id,
          actorId: actor.memberId ?? undefined,
        });
      }
      return saved;
    });
  }

  /**
   * The trust columns a configuration writes. The configuration of whoever confirms trust (a platform admin, the
   * operator) is confirmed as saved, since the trust saved is theirs; anyone else's change of trust awaits a platform
   * admin's confirmation. Settings that leave trust as it was leave the columns alone.
   */
  private trustAfterChange(actor: Actor | Operator, existing: IdentityProviderEntity | null, trustChanged: boolean): Partial<IdentityProviderEntity> {
    const now = new Date();
    const by = actor.memberId;
    const changed = trustChanged ? { trustChangedAt: now, trustChangedByMemberId: by } : {};
    if (mayConfirmIdentityProviderTrust(actor)) {
      const confirming = trustChanged || (existing !== null && trustChangeUnconfirmed(existing));
      return { ...changed, ...(confirming ? { trustConfirmedAt: now, trustConfirmedByMemberId: by } : {}) };
    }
    return trustChanged ? { ...changed, trustConfirmedAt: null, trustConfirmedByMemberId: null } : {};
  }

  /**
   * A platform admin confirms the IdP's changed trust, after which members holding PLATFORM_ADMIN sign in through it
   * again. Audited with what was confirmed; confirming an IdP with nothing to confirm changes nothing.
   */
  async confirmTrust(actor: Actor, id: string): Promise<IdentityProviderEntity> {
    return this.tx.run(async () => {
      const idp = await this.idps.findByIdForUpdate(id);
      if (!idp || !mayManageIdentityProviders(actor, idp.organisationId)) {
        throw new IdentityError(IdentityErrorCode.IDP_NOT_FOUND, 'No identity provider has this id (or you do not manage it).', 'id');
      }
      if (!mayConfirmIdentityProviderTrust(actor)) {
        throw new IdentityError(
          IdentityErrorCode.PERMISSION_DENIED,
          "Only platform admins confirm a change of an identity provider's trust (its entity ID, signing certificates or metadata source).",
        );
      }
      if (!trustChangeUnconfirmed(idp)) return idp;
      const confirmed = { trustConfirmedAt: new Date(), trustConfirmedByMemberId: actor.memberId };
      await this.idps.update(idp.id, confirmed);
      await this.audit.record({
        action: AuditAction.IDP_TRUST_CONFIRMED,
        actorMemberId: actor.memberId,
        organisationId: idp.organisationId,
        subjectType: 'IdentityProvider',
        subjectId: idp.id,
        details: {
          key: idp.key,
          entityId: idp.entityId,
          metadataUrl: idp.metadataUrl,
          certificates: idp.certificates.map(fingerprint),
          trustChangedAt: idp.trustChangedAt!.toISOString(),
          trustChangedByMemberId: idp.trustChangedByMemberId,
        },
      });
      this.logger.log({ msg: 'IdP trust confirmed', identityProviderId: idp.id, actorId: actor.memberId });
      return { ...idp, ...confirmed };
    });
  }

  /**
   * Fetches an IdP's metadata URL again (the worker's schedule, and the operator's `idp:refresh`). A failure keeps
   * the metadata in force and records why; new certificates replace the old ones, so a rollover announced in metadata
   * is followed.
   * @returns what changed, or why the refresh failed; nothing for an IdP configured from a file.
   */
  async refresh(idp: IdentityProviderEntity, now = new Date()): Promise<MetadataRefresh | null> {
    if (!idp.metadataUrl) return null;
    try {
      const xml = await this.fetchMetadata(idp.metadataUrl);
      const metadata = this.parse(xml, idp.federationCertificate ? { certificate: idp.federationCertificate, entityId: idp.entityId } : null);
      if (metadata.entityId !== idp.entityId)
        throw new IdentityError(
          IdentityErrorCode.IDP_METADATA_INVALID,
          `the metadata now names ${metadata.entityId}, not ${idp.entityId}; reconfigure the IdP to accept the change`,
        );
      const values = this.fromMetadata(metadata);
      const changed: MetadataRefresh = {
        ok: true,
        certificatesAdded: values.certificates.filter((c) => !idp.certificates.includes(c)).map(fingerprint),
        certificatesRemoved: idp.certificates.filter((c) => !values.certificates.includes(c)).map(fingerprint),
        endpointsChanged: values.ssoUrl !== idp.ssoUrl || values.sloUrl !== idp.sloUrl,
      };
      await this.tx.run(async () => {
        await this.idps.update(idp.id, { ...values, metadataXml: xml, metadataRefreshedAt: now, metadataError: null });
        // New signing certificates change whose signatures sign people in: the organisation's admins see it.
        if (changed.certificatesAdded.length || changed.certificatesRemoved.length) {
          await this.audit.record({
            action: AuditAction.IDP_CHANGED,
            actorMemberId: null,
            organisationId: idp.organisationId,
            subjectType: 'IdentityProvider',
            subjectId: idp.id,
            details: { key: idp.key, certificates: values.certificates.length, reason: 'metadata refresh' },
          });
        }
      });
      this.logger.log({ msg: 'IdP metadata refreshed', identityProviderId: idp.id, certificates: metadata.signingCertificates.length });
      return changed;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await this.idps.update(idp.id, { metadataError: message.slice(0, 1000), metadataRefreshedAt: now });
      this.logger.warn({ msg: 'IdP metadata refresh failed', identityProviderId: idp.id, error: message });
      return { ok: false, error: message };
    }
  }

  /**
   * For the operator CLI: the IdPs of one organisation (`slug`), or of all, with their organisation, by organisation
   * slug then key.
   */
  async listForOperator(slug?: string): Promise<IdentityProviderEntity[]> {
    const organisation = slug === undefined ? null : await this.organisations.findBySlug(slug);
    if (slug !== undefined && !organisation)
      throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, `No organisation has the slug "${slug}".`, 'org');
    return this.idps.listWithOrganisation(organisation?.id);
  }

  /**
   * For the operator CLI: refreshes now, as the worker's schedule does, the IdP `key` of the organisation, or without a
   * key every IdP of it that has a metadata URL.
   * @throws IdentityError ORGANISATION_NOT_FOUND, IDP_NOT_FOUND, or INVALID_INPUT for an IdP configured from a file.
   */
  async refreshNow(slug: string, key?: string, now = new Date()): Promise<{ idp: IdentityProviderEntity; result: MetadataRefresh }[]> {
    const organisation = await this.organisations.findBySlug(slug);
    if (!organisation) throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, `No organisation has the slug "${slug}".`, 'org');
    const all = await this.idps.listOfOrganisation(organisation.id);
    const chosen = key === undefined ? all.filter((i) => i.metadataUrl) : all.filter((i) => i.key === key);
    if (key !== undefined && !chosen.length) {
      throw new IdentityError(
        IdentityErrorCode.IDP_NOT_FOUND,
        `${slug} has no identity provider with the key "${key}" (its keys: ${all.map((i) => i.key).join(', ') || 'none'}).`,
        'key',
      );
    }
    if (!chosen.length) throw new IdentityError(IdentityErrorCode.IDP_NOT_FOUND, `${slug} has no identity provider configured from a metadata URL.`, 'org');
    const withoutUrl = chosen.find((i) => !i.metadataUrl);
    if (withoutUrl) {
      throw new IdentityError(
        IdentityErrorCode.INVALID_INPUT,
        `The identity provider "${withoutUrl.key}" of ${slug} was configured from a metadata file, not a URL: run idp:configure with the new file.`,
        'key',
      );
    }
    const results: { idp: IdentityProviderEntity; result: MetadataRefresh }[] = [];
    for (const idp of chosen) results.push({ idp, result: (await this.refresh(idp, now))! });
    return results;
  }

  /** Which organisation and IdPs sign in an e-mail domain: for an anonymous caller choosing where to go. */
  async discover(
    emailDomain: string,
  ): Promise<{ organisation: OrganisationEntity; idps: IdentityProviderEntity[]; loginUrl: (idp: IdentityProviderEntity) => string } | null> {
    const organisation = await this.organisations.findByDomain(normaliseDomain(emailDomain));
    if (!organisation) return null;
    const idps = await this.idps.listEnabledOfOrganisation(organisation.id);
    const login = spUrls(this.config, organisation.slug).login;
    return { organisation, idps, loginUrl: (idp) => (idps.length > 1 ? `${login}?idp=${encodeURIComponent(idp.key)}` : login) };
  }

  private fromMetadata(metadata: IdpMetadata): Pick<IdentityProviderEntity, 'entityId' | 'ssoUrl' | 'sloUrl' | 'certificates' | 'signAuthnRequests'> {
    return {
      entityId: metadata.entityId,
      ssoUrl: metadata.ssoRedirectUrl,
      sloUrl: metadata.sloUrl ?? null,
      certificates: metadata.signingCertificates,
      signAuthnRequests: metadata.wantAuthnRequestsSigned,
    };
  }

  /** One IdP's metadata, or one entity of a federation aggregate whose signature checks out against its certificate. */
  private parse(xml: string, federation: { certificate: string; entityId: string } | null): IdpMetadata {
    // Demo mode's own IdP lives on http://localhost.
    const allowHttp = this.config.outboundAllowPrivateNetworks || this.config.demoMode;
    try {
      if (!federation) return parseIdpMetadata(xml, { allowHttp });
      const { entities } = verifyMetadataAggregate(xml, federation.certificate, new Date(), { allowHttp });
      const entity = entities.find((e) => e.entityId === federation.entityId);
      if (!entity) {
        throw new IdentityError(
          IdentityErrorCode.IDP_METADATA_INVALID,
          `entityId: the federation's metadata (${entities.length} identity providers) has no usable entity ${federation.entityId}`,
          'entityId',
        );
      }
      return entity;
    } catch (error) {
      if (error instanceof MetadataError) throw new IdentityError(IdentityErrorCode.IDP_METADATA_INVALID, `metadata: ${error.message}`, 'metadataXml');
      throw error;
    }
  }

  private async fetchMetadata(url: string): Promise<string> {
    try {
      const response = await outboundRequest(url, {
        allowPrivateNetworks: this.config.outboundAllowPrivateNetworks,
        maxBytes: METADATA_MAX_CHARACTERS,
        timeoutMs: 15_000,
      });
      if (response.status !== 200)
        throw new IdentityError(IdentityErrorCode.IDP_METADATA_INVALID, `metadataUrl: the server answered ${response.status}`, 'metadataUrl');
      return response.body.toString('utf8');
    } catch (error) {
      if (error instanceof OutboundRequestError)
        throw new IdentityError(IdentityErrorCode.IDP_METADATA_INVALID, `metadataUrl: ${error.message}`, 'metadataUrl');
      throw error;
    }
  }
}
