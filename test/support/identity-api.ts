import { requireGlobalId } from '#identity';
import { type GraphqlResponse, type TestApp } from './test-app.js';

/** What the identity specs (identity-*.e2e-spec.ts) share: their GraphQL documents and readers of the rows they check. */

export const TOKEN_FORMAT = /^pe_([0-9a-f]{32})_([0-9a-f]{64})$/;
export const DAY = 86_400_000;

export const ME = '{ me { id name email roles active organisation { slug } } }';
export const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token apiToken { id name scopes expiresAt revokedAt lastUsedAt createdAt } }
}`;
export const REVOKE_TOKEN = 'mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { id revokedAt } }';
export const API_TOKENS = '{ apiTokens { id name scopes expiresAt revokedAt lastUsedAt createdAt } }';
export const SET_ROLES = 'mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id roles } }';
export const DEACTIVATE = 'mutation($input: DeactivateMemberInput!) { deactivateMember(input: $input) { id active } }';
export const UPSERT_ORG = `mutation($input: UpsertOrganisationInput!) {
  upsertOrganisation(input: $input) { id slug name kind country region emailDomains }
}`;
export const AUDIT_PAGE = `query($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id action actorId subjectType subjectId details occurredAt } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

export interface AuditNode {
  id: string;
  action: string;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, any>;
  occurredAt: string;
}

/** A PostgreSQL enum array as node-postgres returns it (an array, or the text form `{A,B}` for unknown array types). */
export function parsePgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}

/** Readers of the tokens and audit events the identity specs check, over the running test app. */
export function identityReaders(app: () => TestApp) {
  const tokenRow = async (tokenGid: string) => {
    const rows = await app().dataSource.query('SELECT * FROM api_token WHERE id = $1', [requireGlobalId(tokenGid, 'ApiToken')]);
    return rows[0] as Record<string, any> | undefined;
  };
  const auditRows = async (action: string, subjectId: string) =>
    (await app().dataSource.query('SELECT * FROM audit_event WHERE action = $1 AND subject_id = $2 ORDER BY occurred_at', [action, subjectId])) as Record<
      string,
      any
    >[];

  /** Every event the caller can page through with `first`, following endCursor to the end. */
  async function allAuditPages(token: string, first: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages < 500; pages += 1) {
      const res: GraphqlResponse = await app().gql(AUDIT_PAGE, { first, after }, token);
      expect(res.errors).toBeUndefined();
      const connection: { edges: { node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = res.data!.auditEvents;
      expect(connection.edges.length).toBeLessThanOrEqual(first);
      ids.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) return { ids, pages };
      after = connection.pageInfo.endCursor;
    }
    throw new Error('auditEvents never reached its last page');
  }

  async function createToken(by: string, input: Record<string, unknown>) {
    return app().gql(CREATE_TOKEN, { input }, by);
  }

  return { tokenRow, auditRows, allAuditPages, createToken };
}
