import { Actor, OPERATOR, Permission, Role, TokenScope, permissionsOf } from '#identity';
import {
  isOperator,
  mayConfirmIdentityProviderTrust,
  mayGrantPlatformRoles,
  mayManageIdentityProviders,
  mayManageMember,
  mayManageMembers,
  mayManageOrganisations,
  mayReadAudit,
  mayReadEmail,
  mayReadEveryAudit,
  Operator,
} from '../../libs/identity/src/access/identity-access.js';

/**
 * The identity access rules, one per question: who is refused matters as much as who is let in, so each rule is
 * asked of an admin of another organisation, a member without an admin role, the anonymous caller and a token too
 * narrow for the question, beside the platform admin and (where the CLI needs it) the operator.
 */
describe('identity access rules', () => {
  const KENT = 'org-kent';
  const LEEDS = 'org-leeds';
  const token = (scopes: TokenScope[]) => ({ id: 'token-1', scopes, expiresAt: new Date('2030-01-01T00:00:00Z') });

  const platformAdmin = Actor.member('m-platform', LEEDS, [Role.PLATFORM_ADMIN]);
  const kentAdmin = Actor.member('m-kent-admin', KENT, [Role.ORG_ADMIN]);
  const leedsAdmin = Actor.member('m-leeds-admin', LEEDS, [Role.ORG_ADMIN]);
  const kentContributor = Actor.member('m-kent-contributor', KENT, [Role.CONTRIBUTOR]);
  const moderator = Actor.member('m-moderator', KENT, [Role.MODERATOR]);
  const anonymous = Actor.anonymous();
  const kentAdminReadToken = Actor.member('m-kent-admin', KENT, [Role.ORG_ADMIN], token([TokenScope.READ, TokenScope.WRITE]));
  const kentAdminAdminToken = Actor.member('m-kent-admin', KENT, [Role.ORG_ADMIN], token([TokenScope.ADMIN]));

  const kentMember = { id: 'm-kent-other', organisationId: KENT, roles: [Role.CONTRIBUTOR] };
  const kentPlatformAdmin = { id: 'm-kent-platform', organisationId: KENT, roles: [Role.PLATFORM_ADMIN] };

  it('the rules rest on the role table: only ORG_ADMIN and PLATFORM_ADMIN grant managing members and IdPs and reading the audit log', () => {
    for (const permission of [Permission.MEMBER_MANAGE, Permission.IDP_MANAGE, Permission.AUDIT_READ]) {
      const granting = Object.values(Role).filter((role) => permissionsOf([role], null).has(permission));
      expect(granting.sort()).toEqual([Role.ORG_ADMIN, Role.PLATFORM_ADMIN]);
    }
  });

  describe('the operator', () => {
    it('is one value, told apart from every actor a request can carry', () => {
      expect(isOperator(OPERATOR)).toBe(true);
      for (const actor of [platformAdmin, kentAdmin, kentContributor, anonymous, kentAdminAdminToken]) expect(isOperator(actor)).toBe(false);
      expect(OPERATOR.memberId).toBeNull();
    });

    it('cannot be forged from a plain object, nor built anew', () => {
      // @ts-expect-error the private member keeps the type nominal: nothing but the one operator passes for it
      const forged: Operator = { memberId: null };
      expect(isOperator(forged)).toBe(false);
      // @ts-expect-error the constructor is private: OPERATOR is the only one
      const build = () => new Operator();
      expect(typeof build).toBe('function');
    });

    it('reads no audit log and no e-mail address: those rules do not take it', () => {
      // @ts-expect-error the audit rules take a request's actor only
      const audit = () => mayReadAudit(OPERATOR, KENT);
      // @ts-expect-error the e-mail rule takes a request's actor only
      const email = () => mayReadEmail(OPERATOR, kentMember);
      // @ts-expect-error listing an organisation's members is for the pages and the API, not the CLI
      const members = () => mayManageMembers(OPERATOR, KENT);
      expect([audit, email, members].every((f) => typeof f === 'function')).toBe(true);
    });
  });

  describe('mayManageOrganisations', () => {
    it('lets platform admins and the operator in', () => {
      expect(mayManageOrganisations(platformAdmin)).toBe(true);
      expect(mayManageOrganisations(OPERATOR)).toBe(true);
    });

    it('refuses organisation admins, other members and the anonymous caller', () => {
      for (const actor of [kentAdmin, kentContributor, moderator, anonymous]) expect(mayManageOrganisations(actor)).toBe(false);
    });
  });

  describe("mayManageMembers (an organisation's member list)", () => {
    it("lets the organisation's admins and platform admins in", () => {
      expect(mayManageMembers(kentAdmin, KENT)).toBe(true);
      expect(mayManageMembers(kentAdminAdminToken, KENT)).toBe(true);
      expect(mayManageMembers(platformAdmin, KENT)).toBe(true);
    });

    it('refuses an admin of another organisation, members without an admin role, the anonymous caller and a token without the admin scope', () => {
      for (const actor of [leedsAdmin, kentContributor, moderator, anonymous, kentAdminReadToken]) expect(mayManageMembers(actor, KENT)).toBe(false);
    });
  });

  describe('mayManageMember (roles, deactivation)', () => {
    it("lets the member's organisation's admins, platform admins and the operator in", () => {
      expect(mayManageMember(kentAdmin, kentMember)).toBe(true);
      expect(mayManageMember(platformAdmin, kentMember)).toBe(true);
      expect(mayManageMember(OPERATOR, kentMember)).toBe(true);
    });

    it('lets only platform admins and the operator manage a platform admin, even of the organisation', () => {
      expect(mayManageMember(kentAdmin, kentPlatformAdmin)).toBe(false);
      expect(mayManageMember(platformAdmin, kentPlatformAdmin)).toBe(true);
      expect(mayManageMember(OPERATOR, kentPlatformAdmin)).toBe(true);
    });

    it('refuses an admin of another organisation, members without an admin role, the anonymous caller and a token without the admin scope', () => {
      for (const actor of [leedsAdmin, kentContributor, moderator, anonymous, kentAdminReadToken]) expect(mayManageMember(actor, kentMember)).toBe(false);
    });
  });

  describe('mayGrantPlatformRoles', () => {
    it('lets platform admins and the operator grant MODERATOR and PLATFORM_ADMIN, and no organisation admin', () => {
      expect(mayGrantPlatformRoles(platformAdmin)).toBe(true);
      expect(mayGrantPlatformRoles(OPERATOR)).toBe(true);
      for (const actor of [kentAdmin, kentContributor, moderator, anonymous]) expect(mayGrantPlatformRoles(actor)).toBe(false);
    });
  });

  describe('mayManageIdentityProviders', () => {
    it("lets the organisation's admins, platform admins and the operator in", () => {
      expect(mayManageIdentityProviders(kentAdmin, KENT)).toBe(true);
      expect(mayManageIdentityProviders(platformAdmin, KENT)).toBe(true);
      expect(mayManageIdentityProviders(OPERATOR, KENT)).toBe(true);
    });

    it('refuses an admin of another organisation, members without an admin role, the anonymous caller and a token without the admin scope', () => {
      for (const actor of [leedsAdmin, kentContributor, moderator, anonymous, kentAdminReadToken]) expect(mayManageIdentityProviders(actor, KENT)).toBe(false);
    });
  });

  describe('mayConfirmIdentityProviderTrust', () => {
    it("lets platform admins and the operator confirm, and not the organisation's own admins", () => {
      expect(mayConfirmIdentityProviderTrust(platformAdmin)).toBe(true);
      expect(mayConfirmIdentityProviderTrust(OPERATOR)).toBe(true);
      for (const actor of [kentAdmin, leedsAdmin, kentContributor, moderator, anonymous]) expect(mayConfirmIdentityProviderTrust(actor)).toBe(false);
    });
  });

  describe('mayReadAudit and mayReadEveryAudit', () => {
    it("lets the organisation's admins read its log, and platform admins every log", () => {
      expect(mayReadAudit(kentAdmin, KENT)).toBe(true);
      expect(mayReadAudit(platformAdmin, KENT)).toBe(true);
      expect(mayReadEveryAudit(platformAdmin)).toBe(true);
    });

    it('refuses an admin of another organisation, members without an admin role, the anonymous caller and a token without the admin scope', () => {
      for (const actor of [leedsAdmin, kentContributor, moderator, anonymous, kentAdminReadToken]) expect(mayReadAudit(actor, KENT)).toBe(false);
    });

    it('gives no organisation admin the whole log', () => {
      for (const actor of [kentAdmin, kentContributor, anonymous]) expect(mayReadEveryAudit(actor)).toBe(false);
    });
  });

  describe('mayReadEmail', () => {
    it("lets the member, their organisation's admins and platform admins read it", () => {
      expect(mayReadEmail(Actor.member(kentMember.id, KENT, [Role.CONTRIBUTOR]), kentMember)).toBe(true);
      expect(mayReadEmail(kentAdmin, kentMember)).toBe(true);
      expect(mayReadEmail(platformAdmin, kentMember)).toBe(true);
    });

    it('refuses an admin of another organisation, another member of the organisation and the anonymous caller', () => {
      for (const actor of [leedsAdmin, kentContributor, moderator, anonymous]) expect(mayReadEmail(actor, kentMember)).toBe(false);
    });

    it("refuses a token that reads as the public (no read scope), even an admin's", () => {
      expect(mayReadEmail(kentAdminAdminToken, kentMember)).toBe(false);
      expect(mayReadEmail(kentAdminReadToken, kentMember)).toBe(true);
    });
  });
});
