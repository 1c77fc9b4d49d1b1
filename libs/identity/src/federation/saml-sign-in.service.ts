import { Injectable, Logger } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Profile } from '@node-saml/node-saml';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { IDP_ASSIGNABLE_ROLES, Role, rolesAfterIdpAssertion } from '../auth/permissions.js';
import type { MemberEntity } from '../members/member.entity.js';
import { MemberRepository } from '../members/member.repository.js';
import type { OrganisationEntity } from '../organisations/organisation.entity.js';
import { OrganisationRepository } from '../organisations/organisation.repository.js';
import { SessionService } from '../sessions/session.service.js';
import { LASTING_NAMEID_FORMATS, NAMEID_FORMAT, mapProfile } from './attribute-mapping.js';
import { trustChangeUnconfirmed, type IdentityProviderEntity } from './identity-provider.entity.js';
import { MemberIdentityRepository } from './member-identity.repository.js';
import { SamlRefusal, checkValidatedResponse } from './saml-response-checks.js';
import { SamlStateRepository } from './saml-state.repository.js';

export interface CompletedSignIn {
  member: MemberEntity;
  cookie: string;
}

/**
 * What follows node-saml's validation of a response: our own checks, the replay record, the member (created on
 * first sign-in, or the operator's invitation claimed; keyed on the IdP record and NameID), and a fresh session.
 */
@Injectable()
export class SamlSignInService {
  private readonly logger = new Logger(SamlSignInService.name);

  constructor(
    private readonly members: MemberRepository,
    private readonly identities: MemberIdentityRepository,
    private readonly organisations: OrganisationRepository,
    private readonly state: SamlStateRepository,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly tx: TransactionHost,
  ) {}

  /** @throws SamlRefusal with the reason, for the audit log and the person. */
  async complete(
    organisation: OrganisationEntity,
    idp: IdentityProviderEntity,
    profile: Profile,
    acsUrl: string,
    userAgent: string | null,
    now = new Date(),
  ): Promise<CompletedSignIn> {
    const responseXml = profile.getSamlResponseXml?.();
    const assertionXml = profile.getAssertionXml?.();
    if (!responseXml || !assertionXml) throw new SamlRefusal('MALFORMED', 'The response carried no assertion.');
    const { assertionId, notOnOrAfter } = checkValidatedResponse(responseXml, assertionXml, { acsUrl, idpEntityId: idp.entityId });
    const format = profile.nameIDFormat || NAMEID_FORMAT.unspecified;
    if (!LASTING_NAMEID_FORMATS.includes(format)) {
      throw new SamlRefusal(
        'TRANSIENT_NAMEID',
        `Your identity provider sent a NameID of format ${format}, which changes at every sign-in. Ask its administrator to release a persistent NameID (or the e-mail address as NameID) to this service.`,
      );
    }
    const mapped = mapProfile(profile, idp.attributeMapping);
    if (!mapped.email) {
      throw new SamlRefusal(
        'NO_EMAIL',
        "Your identity provider did not send an e-mail address. Ask its administrator to release 'mail' (or the emailaddress claim) to this service.",
      );
    }
    const domains = (await this.organisations.domainsOf([organisation.id])).map((d) => d.domain);
    const domain = mapped.email.split('@')[1]!;
    if (!domains.includes(domain)) {
      throw new SamlRefusal(
        'DOMAIN_NOT_ALLOWED',
        `${mapped.email} is not an address of ${organisation.name}, so its identity provider cannot sign it in here.`,
      );
    }
    return this.tx.run(async () => {
      const fresh = await this.state.recordAssertion(idp.id, assertionId, notOnOrAfter ?? new Date(now.getTime() + 3_600_000));
      if (!fresh) throw new SamlRefusal('REPLAYED', 'This sign-in response was already used. Start again from the sign-in page.');
      const member = await this.memberFor(organisation, idp, profile.nameID, format, mapped.email!, mapped.name, mapped.roles);
      const { cookie } = await this.sessions.start(
        member,
        { identityProviderId: idp.id, nameId: profile.nameID, sessionIndex: profile.sessionIndex ?? null, userAgent },
        now,
      );
      await this.audit.record({
        action: AuditAction.SIGN_IN,
        actorMemberId: member.id,
        organisationId: organisation.id,
        subjectType: 'Member',
        subjectId: member.id,
        details: { identityProvider: idp.key },
      });
      return { member, cookie };
    });
  }

  private async memberFor(
    organisation: OrganisationEntity,
    idp: IdentityProviderEntity,
    nameId: string,
    format: string,
    email: string,
    name: string | undefined,
    roles: Role[],
  ): Promise<MemberEntity> {
    const known = await this.identities.find(idp.id, nameId);
    const rolesFromIdp = idp.attributeMapping.roles !== undefined;
    if (known?.member) {
      const member = known.member;
      this.requireMaySignIn(member, idp);
      const updates: Partial<MemberEntity> = {};
      if (name && name !== member.name) updates.name = name;
      if (email !== member.email && !(await this.members.findByEmail(email))) updates.email = email;
      // An IdP that sends roles decides the roles it may grant; roles a platform admin granted stay.
      if (rolesFromIdp) updates.roles = rolesAfterIdpAssertion(roles, member.roles);
      if (Object.keys(updates).length) await this.members.update(member.id, updates);
      return { ...member, ...updates };
    }
    const existing = await this.members.findByEmail(email);
    if (existing) return this.claimInvitation(existing, organisation, idp, nameId, format, name, rolesFromIdp ? roles : []);
    const member = await this.members.insert({ organisationId: organisation.id, email, name: name ?? email, roles: rolesFromIdp ? roles : [] });
    await this.identities.insert({ identityProviderId: idp.id, nameId, nameIdFormat: format, memberId: member.id });
    this.logger.log({ msg: 'member created at first sign-in', memberId: member.id, identityProviderId: idp.id });
    return member;
  }

  /**
   * A member the operator invited (`member:create`: no IdP subject linked yet) is claimed by the first sign-in with
   * its address through an IdP of its own organisation: the subject is linked, once, and the roles the operator
   * granted stay (with those the IdP may assert added). Anyone else with that address is refused as before.
   */
  private async claimInvitation(
    found: MemberEntity,
    organisation: OrganisationEntity,
    idp: IdentityProviderEntity,
    nameId: string,
    format: string,
    name: string | undefined,
    asserted: Role[],
  ): Promise<MemberEntity> {
    const inUse = () =>
      new SamlRefusal(
        'EMAIL_IN_USE',
        `An account with ${found.email} already exists and is not linked to this identity provider. Ask a platform admin to link them.`,
      );
    if (found.organisationId !== organisation.id) throw inUse();
    // Locked, so of two first sign-ins with different subjects at once, the second finds the first one's link.
    const member = await this.members.findForUpdate(found.id);
    if (!member || (await this.identities.anyOfMember(member.id))) throw inUse();
    this.requireMaySignIn(member, idp);
    const updates: Partial<MemberEntity> = { roles: [...new Set([...member.roles, ...asserted.filter((r) => IDP_ASSIGNABLE_ROLES.includes(r))])] };
    if (name && name !== member.name) updates.name = name;
    await this.members.update(member.id, updates);
    await this.identities.insert({ identityProviderId: idp.id, nameId, nameIdFormat: format, memberId: member.id });
    await this.audit.record({
      action: AuditAction.MEMBER_INVITATION_CLAIMED,
      actorMemberId: member.id,
      organisationId: member.organisationId,
      subjectType: 'Member',
      subjectId: member.id,
      details: { identityProvider: idp.key, roles: updates.roles },
    });
    this.logger.log({ msg: 'member invitation claimed at first sign-in', memberId: member.id, identityProviderId: idp.id });
    return { ...member, ...updates };
  }

  /** @throws SamlRefusal for a deactivated member, and for a platform admin through an IdP whose trust change is unconfirmed. */
  private requireMaySignIn(member: MemberEntity, idp: IdentityProviderEntity): void {
    if (member.deactivatedAt) throw new SamlRefusal('DEACTIVATED', "Your account on this service has been deactivated. Ask your organisation's admin.");
    // Whoever changes an IdP's trust controls whom it signs in: a platform admin only once a platform admin agreed.
    if (member.roles.includes(Role.PLATFORM_ADMIN) && trustChangeUnconfirmed(idp)) {
      throw new SamlRefusal(
        'TRUST_CHANGE_UNCONFIRMED',
        `Your account holds the platform admin role, and the trust settings of ${idp.name} (its entity ID, signing certificates or metadata source) were changed on ${idp.trustChangedAt!.toISOString().slice(0, 10)} by someone who is not a platform admin. A platform admin must confirm that change before platform admins can sign in through this identity provider. Ask another platform admin to confirm it.`,
      );
    }
  }
}
