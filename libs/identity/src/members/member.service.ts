import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import { ApiTokenRepository } from '../api-tokens/api-token.repository.js';
import { isOperator, mayGrantPlatformRoles, mayManageMember, mayManageMembers, type Operator } from '../access/identity-access.js';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Actor } from '../auth/actor.js';
import { PLATFORM_GRANTED_ROLES, Role } from '../auth/permissions.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { normaliseDomain } from '../organisations/organisation.service.js';
import { SessionRepository } from '../sessions/session.repository.js';
import { MemberLifecycle } from './member-lifecycle.js';
import type { MemberEntity } from './member.entity.js';
import { MemberRepository } from './member.repository.js';

@Injectable()
export class MemberService {
  private readonly logger = new Logger(MemberService.name);

  constructor(
    private readonly members: MemberRepository,
    private readonly organisations: OrganisationRepository,
    private readonly tokens: ApiTokenRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditService,
    private readonly lifecycle: MemberLifecycle,
    private readonly tx: TransactionHost,
  ) {}

  /**
   * Invites a member, for the operator CLI: the member exists with its roles and no IdP subject, and the first SAML
   * sign-in with this address through an IdP of the organisation claims it (see SamlSignInService). The address must
   * fall within the organisation's domains. An invitation does not expire; deactivating the member withdraws it.
   */
  async create(values: { organisationSlug: string; email: string; name: string; roles: Role[] }): Promise<MemberEntity> {
    const email = values.email.trim().toLowerCase();
    return this.tx.run(async () => {
      const organisation = await this.organisations.findBySlug(values.organisationSlug);
      if (!organisation) throw new IdentityError(IdentityErrorCode.ORGANISATION_NOT_FOUND, `No organisation has the slug "${values.organisationSlug}".`, 'org');
      const domains = (await this.organisations.domainsOf([organisation.id])).map((d) => d.domain);
      const domain = normaliseDomain(email.split('@')[1] ?? '');
      if (!domains.includes(domain)) {
        throw new IdentityError(
          IdentityErrorCode.EMAIL_OUTSIDE_DOMAINS,
          `email: ${email} is not within ${organisation.slug}'s domains (${domains.join(', ') || 'none set'})`,
          'email',
        );
      }
      if (await this.members.findByEmail(email))
        throw new IdentityError(IdentityErrorCode.EMAIL_TAKEN, `email: a member with ${email} already exists`, 'email');
      const member = await this.members.insert({ organisationId: organisation.id, email, name: values.name.trim(), roles: [...new Set(values.roles)] });
      await this.audit.record({
        action: AuditAction.MEMBER_CREATED,
        actorMemberId: null,
        organisationId: organisation.id,
        subjectType: 'Member',
        subjectId: member.id,
        details: { roles: member.roles },
      });
      return member;
    });
  }

  /**
   * An organisation's members (deactivated ones too), by name, for whoever manages its members: its admins and
   * platform admins.
   * @throws IdentityError PERMISSION_DENIED for anyone else.
   */
  async listOfOrganisation(actor: Actor, organisationId: string, first: number, after?: { name: string; id: string }): Promise<MemberEntity[]> {
    if (!mayManageMembers(actor, organisationId))
      throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Only the organisation's admins and platform admins list its members.");
    return this.members.listOfOrganisation(organisationId, first, after);
  }

  /**
   * The member `actor` may manage ({@link mayManageMember}).
   * @throws IdentityError PERMISSION_DENIED (a member signed-in members may see) or MEMBER_NOT_FOUND.
   */
  async requireManageable(actor: Actor | Operator, memberId: string): Promise<MemberEntity> {
    const member = await this.members.findForSignIn(memberId);
    const allowed = member && mayManageMember(actor, member);
    if (!member || !allowed) {
      if (member && !isOperator(actor) && actor.signedIn && actor.viewer.memberId) {
        // Members are visible to every signed-in member, so saying "forbidden" reveals nothing new.
        throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Only your organisation's admins and platform admins manage this member.");
      }
      throw new IdentityError(IdentityErrorCode.MEMBER_NOT_FOUND, 'No such member.', 'id');
    }
    return member;
  }

  /** Sets a member's roles, audited with the roles before and after. */
  async setRoles(actor: Actor | Operator, memberId: string, roles: Role[]): Promise<MemberEntity & { rolesBefore: Role[] }> {
    const wanted = [...new Set(roles)].sort();
    if (wanted.includes(Role.PLATFORM_ADMIN) && !mayGrantPlatformRoles(actor)) {
      throw new IdentityError(IdentityErrorCode.ROLE_NOT_ASSIGNABLE, 'roles: only platform admins grant PLATFORM_ADMIN', 'roles');
    }
    return this.tx.run(async () => {
      const member = await this.requireManageable(actor, memberId);
      if (member.deactivatedAt) throw new IdentityError(IdentityErrorCode.INVALID_INPUT, 'This member has been deactivated.', 'id');
      this.requirePlatformGrantsKept(actor, member.roles, wanted);
      const before = [...member.roles].sort();
      await this.members.setRoles(member.id, wanted);
      await this.audit.record({
        action: AuditAction.ROLES_CHANGED,
        actorMemberId: actor.memberId,
        organisationId: member.organisationId,
        subjectType: 'Member',
        subjectId: member.id,
        details: { before, after: wanted },
      });
      return { ...member, roles: wanted, rolesBefore: before };
    });
  }

  /**
   * Only platform admins grant or remove the platform-granted roles (MODERATOR acts on every organisation's content):
   * anyone else must leave each of them as the member has it.
   * @throws IdentityError ROLE_NOT_ASSIGNABLE naming the role.
   */
  private requirePlatformGrantsKept(actor: Actor | Operator, current: Role[], wanted: Role[]): void {
    if (mayGrantPlatformRoles(actor)) return;
    const changed = PLATFORM_GRANTED_ROLES.find((role) => current.includes(role) !== wanted.includes(role));
    if (!changed) return;
    const message = current.includes(changed)
      ? `roles: this member is a ${changed}, which only platform admins remove; keep ${changed} in the list to change their other roles`
      : `roles: only platform admins grant ${changed}`;
    throw new IdentityError(IdentityErrorCode.ROLE_NOT_ASSIGNABLE, message, 'roles');
  }

  /**
   * Deactivates at once: tokens revoked, and every hook (sessions, subscriptions) run in the same transaction.
   * Deactivating a deactivated member changes nothing (and ends nothing).
   */
  async deactivate(actor: Actor | Operator, memberId: string, at = new Date()): Promise<MemberEntity & { tokensRevoked: number; sessionsEnded: number }> {
    return this.tx.run(async () => {
      const member = await this.requireManageable(actor, memberId);
      if (member.deactivatedAt) return { ...member, tokensRevoked: 0, sessionsEnded: 0 };
      await this.members.deactivate(member.id, at);
      const revoked = await this.tokens.revokeAllOfMember(member.id, at);
      const sessionsEnded = await this.sessions.revokeAllOfMember(member.id, at);
      await this.lifecycle.deactivated(member.id, at);
      await this.audit.record({
        action: AuditAction.MEMBER_DEACTIVATED,
        actorMemberId: actor.memberId,
        organisationId: member.organisationId,
        subjectType: 'Member',
        subjectId: member.id,
        details: { tokensRevoked: revoked, sessionsEnded },
      });
      this.logger.log({ msg: 'member deactivated', memberId: member.id, tokensRevoked: revoked });
      return { ...member, deactivatedAt: at, tokensRevoked: revoked, sessionsEnded };
    });
  }
}
