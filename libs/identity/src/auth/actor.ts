import { Permission, Role, TokenScope, permissionsOf } from './permissions.js';

/** The viewer whose read rules apply: a member's organisation, or nobody for the public. */
export interface Viewer {
  memberId: string | null;
  organisationId: string | null;
}

export const PUBLIC_VIEWER: Viewer = Object.freeze({ memberId: null, organisationId: null });

/** Who is calling: set once per request by the authentication middleware. */
export class Actor {
  private readonly permissions: Set<Permission>;

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

  /** Whose read rules apply: a token without the `read` scope reads what the public reads. */
  get viewer(): Viewer {
    return this.can(Permission.READ) ? { memberId: this.memberId, organisationId: this.organisationId } : PUBLIC_VIEWER;
  }
}
