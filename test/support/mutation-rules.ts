import { ApiTokenService, type AuditAction, OrganisationKind, Role, type TokenScope, toGlobalId } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp } from './test-app.js';
import { unique } from './unique.js';

/** What the mutation-rule specs (mutation-rules-*.e2e-spec.ts) share: GraphQL documents, the cast of actors and read-back helpers. */

export const CREATE_PRACTICE = `mutation($input: CreatePracticeInput!) { createPractice(input: $input) { id status title organisation { slug } } }`;
export const UPDATE_PRACTICE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { id title revision visibility } }`;
export const PUBLISH_PRACTICE = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id status } }`;
export const ARCHIVE_PRACTICE = `mutation($id: ID!) { archivePractice(input: { id: $id }) { id status } }`;
export const ADD_COMMENT = `mutation($practiceId: ID!, $body: String!) { addComment(input: { practiceId: $practiceId, body: $body }) { id body } }`;
export const EDIT_COMMENT = `mutation($id: ID!, $body: String!) { editComment(input: { id: $id, body: $body }) { id body } }`;
export const DELETE_COMMENT = `mutation($id: ID!) { deleteComment(input: { id: $id }) { id body deletedAt } }`;
export const RECORD_ADOPTION = `mutation($practiceId: ID!) {
  recordAdoption(input: { practiceId: $practiceId, note: "We ran it before the May count.", outcome: "Fewer phishing clicks" }) { id organisation { slug } } }`;
export const FLAG_CONTENT = `mutation($subjectId: ID!) { flagContent(input: { subjectId: $subjectId, reason: PARTY_POLITICAL, note: "Campaign material" }) { id status } }`;
export const RESOLVE_FLAG = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id status } }`;
export const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name scopes expiresAt } } }`;
export const REVOKE_TOKEN = `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { id revokedAt } }`;
export const SET_ROLES = `mutation($id: ID!, $roles: [Role!]!) { setMemberRoles(input: { id: $id, roles: $roles }) { id roles } }`;
export const DEACTIVATE = `mutation($id: ID!) { deactivateMember(input: { id: $id }) { id active } }`;
export const UPSERT_ORGANISATION = `mutation($input: UpsertOrganisationInput!) { upsertOrganisation(input: $input) { id slug name emailDomains } }`;
export const ME = `{ me { id } }`;

/** Asserts the call was refused with `code` and returned no object; the message is shown when it fails. */
export function expectRefused(response: GraphqlResponse, code: string, field: string): void {
  expect({ code: errorCode(response), message: response.errors?.[0]?.message }).toMatchObject({ code });
  expect(response.data?.[field] ?? null).toBeNull();
}

/** Read-back helpers of the mutation-rule specs: rows and counts in the running test app's database, and scoped tokens. */
export function mutationRulesReaders(app: () => TestApp) {
  // ---- database read-back helpers ----

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const rows = (await app().dataSource.query(sql, params)) as { n: string | number }[];
    return Number(rows[0]!.n);
  }

  async function practiceRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await app().dataSource.query(
      `select title, summary, problem, approach, outcomes, resources, language, status, visibility, revision, published_at, hidden_at, updated_at,
              (select count(*)::int from practice_revision r where r.practice_id = p.id) as revisions,
              (select array_agg(organisation_id order by organisation_id) from practice_audience a where a.practice_id = p.id) as audience
         from practice p where id = $1`,
      [id],
    )) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function commentRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await app().dataSource.query('select body, edited_at, deleted_at, hidden_at from comment where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function flagRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await app().dataSource.query('select status, resolved_by_id, resolved_at from flag where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function memberRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await app().dataSource.query('select roles::text[] as roles, deactivated_at, updated_at from member where id = $1', [id])) as Record<
      string,
      unknown
    >[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  const auditCount = (action: AuditAction, subjectId: string) =>
    count('select count(*) as n from audit_event where action = $1 and subject_id = $2', [action, subjectId]);
  const auditTotal = (action: AuditAction) => count('select count(*) as n from audit_event where action = $1', [action]);
  const practiceCount = () => count('select count(*) as n from practice');
  const tokenCount = (memberId: string) => count('select count(*) as n from api_token where member_id = $1', [memberId]);

  /** A further token for `m` with only `scopes` (and an expiry, when given). */
  async function scopedToken(m: TestMember, scopes: TokenScope[], expiresAt?: Date): Promise<{ token: string; rowId: string; gid: string }> {
    const { token, apiToken } = await app()
      .app.get(ApiTokenService)
      .createForMember(m.member, { name: `scoped ${unique()}`, scopes, expiresAt });
    return { token, rowId: apiToken.id, gid: toGlobalId('ApiToken', apiToken.id) };
  }

  return { count, practiceRow, commentRow, flagRow, memberRow, auditCount, auditTotal, practiceCount, tokenCount, scopedToken };
}

/** The organisations and members the mutation-rule specs act as: A and B with each kind of member, a moderator in C, a platform admin. */
export async function mutationRulesCast(t: TestApp) {
  const orgA = await createOrganisation(t.app);
  const orgB = await createOrganisation(t.app);
  const orgC = await createOrganisation(t.app);
  const orgP = await createOrganisation(t.app, { kind: OrganisationKind.UK_CENTRAL_GOVERNMENT });
  const aContributor = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
  const aContributor2 = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
  const aAdmin = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
  const aPlain = await createMember(t.app, orgA, []);
  const bContributor = await createMember(t.app, orgB, [Role.CONTRIBUTOR]);
  const bAdmin = await createMember(t.app, orgB, [Role.ORG_ADMIN]);
  const bPlain = await createMember(t.app, orgB, []);
  const moderator = await createMember(t.app, orgC, [Role.MODERATOR]);
  const platformAdmin = await createMember(t.app, orgP, [Role.PLATFORM_ADMIN]);
  return { orgA, orgB, aContributor, aContributor2, aAdmin, aPlain, bContributor, bAdmin, bPlain, moderator, platformAdmin };
}

/**
 * The set-up every mutation-rule spec repeats: the test app and the cast, the app closed after. `started` receives
 * them once they exist; the read-back helpers are returned.
 */
export function mutationRulesSuite(started: (running: { t: TestApp } & Awaited<ReturnType<typeof mutationRulesCast>>) => void) {
  let t: TestApp | undefined;
  beforeAll(async () => {
    t = await startTestApp();
    started({ t, ...(await mutationRulesCast(t)) });
  });
  afterAll(() => t?.close());
  return mutationRulesReaders(() => t!);
}
