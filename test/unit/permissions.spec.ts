import { Actor, IDP_ASSIGNABLE_ROLES, Permission, Role, TokenScope, permissionsOf, rolesAfterIdpAssertion } from '#identity';

/** The one table from roles and token scopes to permissions: a token narrows what the roles grant, never widens it. */
describe('permissionsOf', () => {
  const ALL_ROLES = Object.values(Role);
  const ALL_SCOPES = Object.values(TokenScope);
  const subsets = <T>(items: T[]): T[][] => items.reduce<T[][]>((acc, item) => [...acc, ...acc.map((s) => [...s, item])], [[]]);

  it('a CONTRIBUTOR using a [read] token may read but not write practices', () => {
    const granted = permissionsOf([Role.CONTRIBUTOR], [TokenScope.READ]);
    expect(granted.has(Permission.READ)).toBe(true);
    expect(granted.has(Permission.PRACTICE_WRITE)).toBe(false);
    expect(granted.has(Permission.COMMENT_WRITE)).toBe(false);
    expect(granted.has(Permission.TOKEN_MANAGE)).toBe(false);
  });

  it('a CONTRIBUTOR using a [read, write] token writes practices', () => {
    expect(permissionsOf([Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.WRITE]).has(Permission.PRACTICE_WRITE)).toBe(true);
  });

  it('a MODERATOR in a session (scopes null) resolves flags', () => {
    const granted = permissionsOf([Role.MODERATOR], null);
    expect(granted.has(Permission.FLAG_RESOLVE)).toBe(true);
    expect(granted.has(Permission.MEMBER_MANAGE)).toBe(false);
  });

  it('a MODERATOR whose token lacks the moderate scope does not resolve flags', () => {
    expect(permissionsOf([Role.MODERATOR], [TokenScope.READ, TokenScope.WRITE]).has(Permission.FLAG_RESOLVE)).toBe(false);
  });

  it('a PLATFORM_ADMIN manages organisations', () => {
    expect(permissionsOf([Role.PLATFORM_ADMIN], null).has(Permission.ORGANISATION_MANAGE)).toBe(true);
    expect(permissionsOf([Role.PLATFORM_ADMIN], [TokenScope.ADMIN]).has(Permission.ORGANISATION_MANAGE)).toBe(true);
  });

  it('no other role, alone or combined, gives an ORG_ADMIN what only PLATFORM_ADMIN grants', () => {
    const others = ALL_ROLES.filter((r) => r !== Role.PLATFORM_ADMIN);
    const platformOnly = [...permissionsOf([Role.PLATFORM_ADMIN], null)].filter((p) => !permissionsOf(others, null).has(p));
    expect(platformOnly).toContain(Permission.ORGANISATION_MANAGE);
    for (const roles of subsets(others)) {
      const granted = permissionsOf([Role.ORG_ADMIN, ...roles], null);
      for (const p of platformOnly) expect(granted.has(p)).toBe(false);
    }
  });

  it('every member may read, comment, adopt, flag, subscribe and manage their tokens; nobody without a role writes practices', () => {
    const plain = permissionsOf([], null);
    for (const p of [
      Permission.READ,
      Permission.COMMENT_WRITE,
      Permission.ADOPTION_WRITE,
      Permission.FLAG_CREATE,
      Permission.SUBSCRIPTION_MANAGE,
      Permission.TOKEN_MANAGE,
    ]) {
      expect(plain.has(p)).toBe(true);
    }
    for (const p of [
      Permission.PRACTICE_WRITE,
      Permission.FLAG_RESOLVE,
      Permission.MEMBER_MANAGE,
      Permission.ORGANISATION_MANAGE,
      Permission.IDP_MANAGE,
      Permission.AUDIT_READ,
    ]) {
      expect(plain.has(p)).toBe(false);
    }
  });

  it('a token never grants more than the roles do, for every combination of roles and scopes', () => {
    for (const roles of subsets(ALL_ROLES)) {
      const session = permissionsOf(roles, null);
      for (const scopes of subsets(ALL_SCOPES)) {
        for (const p of permissionsOf(roles, scopes)) expect(session.has(p)).toBe(true);
      }
    }
  });

  it('a CONTRIBUTOR with every scope still cannot manage members, organisations or the audit log', () => {
    const granted = permissionsOf([Role.CONTRIBUTOR], ALL_SCOPES);
    for (const p of [Permission.MEMBER_MANAGE, Permission.ORGANISATION_MANAGE, Permission.IDP_MANAGE, Permission.AUDIT_READ, Permission.FLAG_RESOLVE]) {
      expect(granted.has(p)).toBe(false);
    }
  });

  it('a token with no scopes can do nothing', () => {
    expect(permissionsOf([Role.PLATFORM_ADMIN, Role.ORG_ADMIN], []).size).toBe(0);
  });

  it('identity providers cannot assert PLATFORM_ADMIN or MODERATOR', () => {
    expect(IDP_ASSIGNABLE_ROLES).not.toContain(Role.PLATFORM_ADMIN);
    expect([...IDP_ASSIGNABLE_ROLES].sort()).toEqual([Role.CONTRIBUTOR, Role.ORG_ADMIN]);
  });

  it('roles an IdP asserts replace the ones it may grant, never those a platform admin granted', () => {
    expect(rolesAfterIdpAssertion([Role.CONTRIBUTOR], [Role.ORG_ADMIN, Role.MODERATOR, Role.PLATFORM_ADMIN]).sort()).toEqual([
      Role.CONTRIBUTOR,
      Role.MODERATOR,
      Role.PLATFORM_ADMIN,
    ]);
    expect(rolesAfterIdpAssertion([Role.MODERATOR, Role.PLATFORM_ADMIN, Role.ORG_ADMIN], [])).toEqual([Role.ORG_ADMIN]);
    expect(rolesAfterIdpAssertion([], [Role.CONTRIBUTOR])).toEqual([]);
  });
});

describe('Actor', () => {
  it('an anonymous caller holds no permission and reads as the public', () => {
    const anonymous = Actor.anonymous();
    expect(anonymous.signedIn).toBe(false);
    for (const p of Object.values(Permission)) expect(anonymous.can(p)).toBe(false);
    expect(anonymous.viewer).toEqual({ memberId: null, organisationId: null });
  });

  it('a token without the read scope reads what the public reads', () => {
    const token = { id: 't', scopes: [TokenScope.WRITE], expiresAt: new Date(Date.now() + 60_000) };
    const actor = Actor.member('m', 'o', [Role.CONTRIBUTOR], token);
    expect(actor.can(Permission.PRACTICE_WRITE)).toBe(true);
    expect(actor.viewer).toEqual({ memberId: null, organisationId: null });
    expect(Actor.member('m', 'o', [Role.CONTRIBUTOR]).viewer).toEqual({ memberId: 'm', organisationId: 'o' });
  });
});
