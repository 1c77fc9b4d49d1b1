import { Injectable } from '@nestjs/common';
import { AuditAction, IdentityError, IdentityErrorCode, IdentityLoaders, OrganisationService, Permission, Role, type OrganisationEntity } from '#identity';
import type { Request } from 'express';
import { single } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';
import { actorOf, loaderContext } from '../page-context.js';

/** Catalogue keys of the roles, written out so the catalogue test sees each one used. */
export const ROLE_KEYS: Record<Role, { name: string; hint: string }> = {
  [Role.CONTRIBUTOR]: { name: 'organisation.roles.contributor', hint: 'organisation.roles.contributorHint' },
  [Role.ORG_ADMIN]: { name: 'organisation.roles.orgAdmin', hint: 'organisation.roles.orgAdminHint' },
  [Role.MODERATOR]: { name: 'organisation.roles.moderator', hint: 'organisation.roles.moderatorHint' },
  [Role.PLATFORM_ADMIN]: { name: 'organisation.roles.platformAdmin', hint: 'organisation.roles.platformAdminHint' },
};

/** The order roles are offered and listed in. */
export const ROLE_ORDER: Role[] = [Role.CONTRIBUTOR, Role.ORG_ADMIN, Role.MODERATOR, Role.PLATFORM_ADMIN];

export const AUDIT_ACTION_KEYS: Record<AuditAction, string> = {
  [AuditAction.SIGN_IN]: 'organisation.audit.action.signIn',
  [AuditAction.SIGN_IN_REFUSED]: 'organisation.audit.action.signInRefused',
  [AuditAction.TOKEN_CREATED]: 'organisation.audit.action.tokenCreated',
  [AuditAction.TOKEN_REVOKED]: 'organisation.audit.action.tokenRevoked',
  [AuditAction.SESSION_REVOKED]: 'organisation.audit.action.sessionRevoked',
  [AuditAction.MEMBER_CREATED]: 'organisation.audit.action.memberCreated',
  [AuditAction.ROLES_CHANGED]: 'organisation.audit.action.rolesChanged',
  [AuditAction.MEMBER_DEACTIVATED]: 'organisation.audit.action.memberDeactivated',
  [AuditAction.ORGANISATION_CREATED]: 'organisation.audit.action.organisationCreated',
  [AuditAction.ORGANISATION_UPDATED]: 'organisation.audit.action.organisationUpdated',
  [AuditAction.IDP_CHANGED]: 'organisation.audit.action.idpChanged',
  [AuditAction.VISIBILITY_CHANGED]: 'organisation.audit.action.visibilityChanged',
  [AuditAction.CONTENT_FLAGGED]: 'organisation.audit.action.contentFlagged',
  [AuditAction.FLAG_RESOLVED]: 'organisation.audit.action.flagResolved',
  [AuditAction.CONTENT_UNHIDDEN]: 'organisation.audit.action.contentUnhidden',
  [AuditAction.IDP_TRUST_CONFIRMED]: 'organisation.audit.action.idpTrustConfirmed',
  [AuditAction.MEMBER_INVITATION_CLAIMED]: 'organisation.audit.action.memberInvitationClaimed',
};

export function roleNames(roles: Role[], t: Translate): string[] {
  return ROLE_ORDER.filter((role) => roles.includes(role)).map((role) => t(ROLE_KEYS[role].name));
}

/** The organisation a page of "My organisation" is about, and how its links keep it. */
export interface OrganisationScope {
  organisation: OrganisationEntity;
  /** `?org=<slug>` when it is not the person's own organisation, else ''. */
  query: string;
  /** Whether it is the person's own organisation. */
  own: boolean;
}

/**
 * Which organisation "My organisation" shows: `?org=<slug>` (a platform admin may pick any; the services refuse
 * everyone else another organisation's members, IdPs and audit log), else the person's own. Access is not decided
 * here: each page asks its service, which refuses what the person may not see.
 */
@Injectable()
export class OrganisationScopes {
  constructor(
    private readonly organisations: OrganisationService,
    private readonly identity: IdentityLoaders,
  ) {}

  async of(req: Request, slugValue: unknown): Promise<OrganisationScope> {
    const actor = actorOf(req);
    const slug = single(slugValue);
    const organisation = slug
      ? await this.organisations.requireBySlug(slug)
      : actor.organisationId
        ? await this.identity.for(loaderContext(req)).organisation.load(actor.organisationId)
        : null;
    if (!organisation) throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, 'No organisation');
    return this.scopeOf(req, organisation);
  }

  /** The scope of the organisation with row id `organisationId` (one the person has just acted on). */
  async ofId(req: Request, organisationId: string): Promise<OrganisationScope> {
    const organisation = await this.identity.for(loaderContext(req)).organisation.load(organisationId);
    if (!organisation) throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, 'No organisation');
    return this.scopeOf(req, organisation);
  }

  private scopeOf(req: Request, organisation: OrganisationEntity): OrganisationScope {
    const own = organisation.id === actorOf(req).organisationId;
    return { organisation, own, query: own ? '' : `?org=${encodeURIComponent(organisation.slug)}` };
  }

  /** The links between the pages of "My organisation". */
  subNavigation(scope: OrganisationScope, current: 'members' | 'identityProviders' | 'audit', t: Translate) {
    return {
      label: t('organisation.subNavigation'),
      items: [
        { text: t('organisation.members.navigation'), href: `/organisation${scope.query}`, current: current === 'members' },
        { text: t('organisation.idps.navigation'), href: `/organisation/identity-providers${scope.query}`, current: current === 'identityProviders' },
        { text: t('organisation.audit.navigation'), href: `/organisation/audit${scope.query}`, current: current === 'audit' },
      ],
    };
  }

  /** Whether the person may open the platform's organisations list (platform admins), to pick another organisation. */
  static picksAny(req: Request): boolean {
    return actorOf(req).can(Permission.ORGANISATION_MANAGE);
  }
}
