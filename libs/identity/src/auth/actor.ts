import { Permission, type Role, type TokenScope, permissionsOf } from './permissions.js';

/** The viewer whose read rules apply: a member's organisation, or nobody for the public. */
export interface Viewer {
  memberId: string | null;
  organisationId: string | null;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ memberId: null, organisationId: null });

/**
 * The one derivation of whose read rules apply: `member` reading as a member when it holds the read permission under
 * `scopes` (`null`: a session, not narrowed), and as the public otherwise, so a token without the `read` scope reads
 * what the public reads. Requests (through {@link Actor.viewer}) and digests (with the scopes their subscription was
 * last saved with) both go through here. Roles grant no reading (every member reads), so they are not asked.
 */
export function viewerOf(member: { id: string; organisationId: string } | null, scopes: readonly TokenScope[] | null): Viewer {
  return member && readsAsMember(scopes) ? { memberId: member.id, organisationId: member.organisationId } : PUBLIC_VIEWER;
}

/** Whether a member acting under `scopes` (`null`: a session) reads as a member, not as the public: see {@link viewerOf}. */
export function readsAsMember(scopes: readonly TokenScope[] | null): boolean {
  return permissionsOf([], scopes ? [...scopes] : null).has(Permission.READ);
}

/** Whether `wide` reads at least what `narrow` reads: `narrow` is the public, or both are the same member. */
export function viewerCovers(wide: Viewer, narrow: Viewer): boolean {
  return narrow.memberId === null || (wide.memberId === narrow.memberId && wide.organisationId === narrow.organisationId);
}

/** What both viewers may read: the narrower of the two, and the public when they are different members. */
export function commonViewer(a: Viewer, b: Viewer): Viewer {
  if (viewerCovers(a, b)) return b;
  return viewerCovers(b, a) ? a : PUBLIC_VIEWER;
}

/** Who is calling: set once per request by the authentication middleware. */
export class Actor {
  private readonly permissions: Set<Permission>;
  /** Whose read rules apply: a token without the `read` scope reads what the public reads. Asked for by every read. */
  readonly viewer: Viewer;

  private constructor(
    readonly memberId: string | null,
    readonly organisationId: string | null,
    readonly roles: Role[],
    /** The token's scopes; `null` for a session or anonymous caller. */
    readonly scopes: TokenScope[] | null,
    readonly tokenId: string | null,
    readonly tokenExpiresAt: Date | null,
  ) {
    this.permissions = memberId ? permissionsOf(roles, scopes) : new Set();
    this.viewer = viewerOf(memberId && organisationId ? { id: memberId, organisationId } : null, scopes);
  }

  static anonymous(): Actor {
    return new Actor(null, null, [], null, null, null);
  }

  static member(memberId: string, organisationId: string, roles: Role[], token?: { id: string; scopes: TokenScope[]; expiresAt: Date }): Actor {
    return new Actor(memberId, organisationId, roles, token?.scopes ?? null, token?.id ?? null, token?.expiresAt ?? null);
  }

  get signedIn(): boolean {
    return this.memberId !== null;
  }

  can(permission: Permission): boolean {
    return this.permissions.has(permission);
  }

  hasRole(role: Role): boolean {
    return this.roles.includes(role);
  }
}
