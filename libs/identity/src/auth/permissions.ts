/**
 * Who may do what: the one table from roles and token scopes to permissions. An actor holds a permission when its
 * roles grant it and, for an API token, when the token's scopes allow it too.
 */
export enum Role {
  CONTRIBUTOR = 'CONTRIBUTOR',
  MODERATOR = 'MODERATOR',
  ORG_ADMIN = 'ORG_ADMIN',
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
}

export enum TokenScope {
  READ = 'read',
  WRITE = 'write',
  MODERATE = 'moderate',
  ADMIN = 'admin',
}

export enum Permission {
  /** Read as a member (TLP_GREEN and above); without it a caller reads what the public reads. */
  READ = 'read',
  PRACTICE_WRITE = 'practice:write',
  COMMENT_WRITE = 'comment:write',
  ADOPTION_WRITE = 'adoption:write',
  FLAG_CREATE = 'flag:create',
  /** Resolve flags: moderators on what they can see; organisation admins on their organisation's content. */
  FLAG_RESOLVE = 'flag:resolve',
  SUBSCRIPTION_MANAGE = 'subscription:manage',
  /** Your own credentials: API tokens and sessions. */
  TOKEN_MANAGE = 'token:manage',
  /** Roles and deactivation: organisation admins in their organisation, platform admins everywhere. */
  MEMBER_MANAGE = 'member:manage',
  ORGANISATION_MANAGE = 'organisation:manage',
  IDP_MANAGE = 'idp:manage',
  AUDIT_READ = 'audit:read',
}

const EVERY_MEMBER: Permission[] = [
  Permission.READ,
  Permission.COMMENT_WRITE,
  Permission.ADOPTION_WRITE,
  Permission.FLAG_CREATE,
  Permission.SUBSCRIPTION_MANAGE,
  Permission.TOKEN_MANAGE,
];

export const ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  [Role.CONTRIBUTOR]: [Permission.PRACTICE_WRITE],
  [Role.MODERATOR]: [Permission.FLAG_RESOLVE],
  [Role.ORG_ADMIN]: [Permission.PRACTICE_WRITE, Permission.FLAG_RESOLVE, Permission.MEMBER_MANAGE, Permission.IDP_MANAGE, Permission.AUDIT_READ],
  [Role.PLATFORM_ADMIN]: [Permission.ORGANISATION_MANAGE, Permission.MEMBER_MANAGE, Permission.IDP_MANAGE, Permission.AUDIT_READ],
};

export const SCOPE_PERMISSIONS: Record<TokenScope, Permission[]> = {
  [TokenScope.READ]: [Permission.READ],
  [TokenScope.WRITE]: [Permission.PRACTICE_WRITE, Permission.COMMENT_WRITE, Permission.ADOPTION_WRITE, Permission.FLAG_CREATE, Permission.SUBSCRIPTION_MANAGE],
  [TokenScope.MODERATE]: [Permission.FLAG_RESOLVE],
  [TokenScope.ADMIN]: [Permission.MEMBER_MANAGE, Permission.ORGANISATION_MANAGE, Permission.IDP_MANAGE, Permission.AUDIT_READ, Permission.TOKEN_MANAGE],
};

/** The roles an identity provider may assert; the others only a platform admin grants. */
export const IDP_ASSIGNABLE_ROLES: Role[] = [Role.CONTRIBUTOR, Role.ORG_ADMIN];

/**
 * Roles that reach beyond one organisation (MODERATOR works on every organisation's content): granted and removed by
 * platform admins only, never by an organisation's admin nor by its identity provider.
 */
export const PLATFORM_GRANTED_ROLES: Role[] = [Role.MODERATOR, Role.PLATFORM_ADMIN];

/**
 * A member's roles after a sign-in whose identity provider asserts roles: the asserted ones it may grant, plus the
 * platform-granted roles the member already holds, which an identity provider neither grants nor takes away.
 */
export function rolesAfterIdpAssertion(asserted: Role[], current: Role[]): Role[] {
  const fromIdp = asserted.filter((r) => IDP_ASSIGNABLE_ROLES.includes(r));
  return [...new Set([...fromIdp, ...current.filter((r) => PLATFORM_GRANTED_ROLES.includes(r))])];
}

/** Permissions of a member with `roles`, narrowed to `scopes` when a token is used (`null`: a session, no narrowing). */
export function permissionsOf(roles: Role[], scopes: TokenScope[] | null): Set<Permission> {
  const granted = new Set<Permission>(EVERY_MEMBER);
  for (const role of roles) for (const p of ROLE_PERMISSIONS[role] ?? []) granted.add(p);
  if (scopes === null) return granted;
  const allowed = new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []));
  return new Set([...granted].filter((p) => allowed.has(p)));
}
