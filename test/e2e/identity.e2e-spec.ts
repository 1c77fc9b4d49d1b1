import { createHash } from 'node:crypto';
import { Role, TokenScope, requireGlobalId, toGlobalId } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';

/**
 * Identity through the real API: tokens (shown once, stored hashed, scoped, revocable), roles, deactivation,
 * organisations and the audit log, each checked in the response and in the database.
 */

const TOKEN_FORMAT = /^pe_([0-9a-f]{32})_([0-9a-f]{64})$/;
const DAY = 86_400_000;

const ME = '{ me { id name email roles active organisation { slug } } }';
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { token apiToken { id name scopes expiresAt revokedAt lastUsedAt createdAt } }
}`;
const REVOKE_TOKEN = 'mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { id revokedAt } }';
const API_TOKENS = '{ apiTokens { id name scopes expiresAt revokedAt lastUsedAt createdAt } }';
const SET_ROLES = 'mutation($input: SetMemberRolesInput!) { setMemberRoles(input: $input) { id roles } }';
const DEACTIVATE = 'mutation($input: DeactivateMemberInput!) { deactivateMember(input: $input) { id active } }';
const UPSERT_ORG = `mutation($input: UpsertOrganisationInput!) {
  upsertOrganisation(input: $input) { id slug name kind country region emailDomains }
}`;
const AUDIT_PAGE = `query($first: Int, $after: String, $filter: AuditEventFilter) {
  auditEvents(first: $first, after: $after, filter: $filter) {
    edges { cursor node { id action actorId subjectType subjectId details occurredAt } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface AuditNode {
  id: string;
  action: string;
  actorId: string | null;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, any>;
  occurredAt: string;
}

describe('identity through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const tokenRow = async (tokenGid: string) => {
    const rows = await t.dataSource.query('SELECT * FROM api_token WHERE id = $1', [requireGlobalId(tokenGid, 'ApiToken')]);
    return rows[0] as Record<string, any> | undefined;
  };
  const auditRows = async (action: string, subjectId: string) =>
    (await t.dataSource.query('SELECT * FROM audit_event WHERE action = $1 AND subject_id = $2 ORDER BY occurred_at', [action, subjectId])) as Record<string, any>[];

  /** Every event the caller can page through with `first`, following endCursor to the end. */
  async function allAuditPages(token: string, first: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 1; pages < 500; pages += 1) {
      const res: GraphqlResponse = await t.gql(AUDIT_PAGE, { first, after }, token);
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
    return t.gql(CREATE_TOKEN, { input }, by);
  }

  describe('me', () => {
    it("is the token's member", async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      const res = await t.gql(ME, {}, m.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toEqual({ id: m.id, name: m.member.name, email: m.member.email, roles: [Role.CONTRIBUTOR], active: true, organisation: { slug: org.slug } });
    });

    it("is the token's member whatever the token's scopes", async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.WRITE]);
      const res = await t.gql('{ me { id roles } }', {}, m.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toEqual({ id: m.id, roles: [Role.CONTRIBUTOR] });
    });

    it('is null for an anonymous caller, without an error', async () => {
      const res = await t.gql(ME);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toBeNull();
    });

    it('refuses a made-up or malformed token instead of treating the caller as anonymous', async () => {
      const forged = `pe_${'0'.repeat(32)}_${'a'.repeat(64)}`;
      expect(errorCode(await t.gql(ME, {}, forged))).toBe('UNAUTHENTICATED');
      expect(errorCode(await t.gql(ME, {}, 'not-a-token'))).toBe('UNAUTHENTICATED');
    });
  });

  describe('API tokens', () => {
    it('createApiToken shows pe_<id>_<secret> once; it works as a Bearer token; only the SHA-256 of the secret is stored', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org);
      const res = await createToken(m.token, { name: 'ci', scopes: ['READ', 'WRITE'] });
      expect(res.errors).toBeUndefined();
      const { token, apiToken } = res.data!.createApiToken;
      expect(token).toMatch(TOKEN_FORMAT);
      expect(apiToken).toMatchObject({ name: 'ci', scopes: ['READ', 'WRITE'], revokedAt: null, lastUsedAt: null });
      const [, idHex, secret] = TOKEN_FORMAT.exec(token)!;
      const rowId = requireGlobalId(apiToken.id, 'ApiToken');
      expect(rowId.replace(/-/g, '')).toBe(idHex);

      const me = await t.gql(ME, {}, token);
      expect(me.errors).toBeUndefined();
      expect(me.data?.me.id).toBe(m.id);

      const [row] = (await t.dataSource.query('SELECT secret_hash FROM api_token WHERE id = $1', [rowId])) as { secret_hash: Buffer }[];
      expect(Buffer.isBuffer(row!.secret_hash)).toBe(true);
      expect(row!.secret_hash).toHaveLength(32);
      expect(row!.secret_hash.equals(Buffer.from(secret!, 'utf8'))).toBe(false);
      expect(row!.secret_hash.equals(Buffer.from(secret!, 'hex'))).toBe(false);
      expect(row!.secret_hash.equals(createHash('sha256').update(secret!, 'utf8').digest())).toBe(true);
      // No column anywhere in the row holds the secret or the token.
      const full = JSON.stringify(await tokenRow(apiToken.id));
      expect(full).not.toContain(secret);
      expect(full).not.toContain(Buffer.from(secret!, 'utf8').toString('hex'));
    });

    it('apiTokens lists only your own tokens, newest first, and never a secret', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org);
      const other = await createMember(t.app, org);
      const first = await createToken(m.token, { name: 'first', scopes: ['READ'] });
      const second = await createToken(m.token, { name: 'second', scopes: ['READ'] });
      const theirs = await createToken(other.token, { name: 'theirs', scopes: ['READ'] });
      const res = await t.gql(API_TOKENS, {}, m.token);
      expect(res.errors).toBeUndefined();
      const names = res.data!.apiTokens.map((k: { name: string }) => k.name);
      expect(names).toEqual(['second', 'first', 'test']);
      const body = JSON.stringify(res);
      const tokens = [m.token, ...[first, second, theirs].map((r) => r.data!.createApiToken.token as string)];
      for (const token of tokens) expect(body).not.toContain(TOKEN_FORMAT.exec(token)![2]);
      expect(res.data!.apiTokens.map((k: { id: string }) => k.id)).not.toContain(theirs.data!.createApiToken.apiToken.id);
      // The secret cannot even be asked for.
      const asked = await t.gql('{ apiTokens { id token } }', {}, m.token);
      expect(asked.errors?.[0]?.message).toMatch(/token/);
      expect(asked.data ?? null).toBeNull();
    });

    it('records lastUsedAt once the token has been used', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org);
      const created = await createToken(m.token, { name: 'integration', scopes: ['READ'] });
      const { token, apiToken } = created.data!.createApiToken;
      const before = await t.gql(API_TOKENS, {}, m.token);
      expect(before.data!.apiTokens.find((k: { id: string }) => k.id === apiToken.id).lastUsedAt).toBeNull();

      const startedAt = Date.now();
      expect((await t.gql(ME, {}, token)).data?.me.id).toBe(m.id);
      const after = await t.gql(API_TOKENS, {}, m.token);
      const lastUsedAt = after.data!.apiTokens.find((k: { id: string }) => k.id === apiToken.id).lastUsedAt;
      expect(lastUsedAt).not.toBeNull();
      expect(new Date(lastUsedAt).getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
      expect((await tokenRow(apiToken.id))!.last_used_at).toBeInstanceOf(Date);
    });

    it('revokeApiToken: the token is refused with UNAUTHENTICATED from then on, revoked_at is set and TOKEN_REVOKED audited', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org);
      const { token, apiToken } = (await createToken(m.token, { name: 'short-lived', scopes: ['READ'] })).data!.createApiToken;
      expect((await t.gql(ME, {}, token)).data?.me.id).toBe(m.id);

      const res = await t.gql(REVOKE_TOKEN, { input: { id: apiToken.id } }, m.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.revokeApiToken.id).toBe(apiToken.id);
      expect(res.data?.revokeApiToken.revokedAt).not.toBeNull();

      const refused = await t.gql(ME, {}, token);
      expect(errorCode(refused)).toBe('UNAUTHENTICATED');
      expect(refused.data?.me ?? null).toBeNull();
      expect((await tokenRow(apiToken.id))!.revoked_at).toBeInstanceOf(Date);
      const audit = await auditRows('TOKEN_REVOKED', requireGlobalId(apiToken.id, 'ApiToken'));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: m.member.id, organisation_id: org.id, subject_type: 'ApiToken' });
      // The member's other token is untouched.
      expect((await t.gql(ME, {}, m.token)).data?.me.id).toBe(m.id);
    });

    it("revoking another member's token is NOT_FOUND and leaves it working", async () => {
      const org = await createOrganisation(t.app);
      const attacker = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const victim = await createMember(t.app, org);
      const { token, apiToken } = (await createToken(victim.token, { name: 'victim', scopes: ['READ'] })).data!.createApiToken;

      const res = await t.gql(REVOKE_TOKEN, { input: { id: apiToken.id } }, attacker.token);
      expect(errorCode(res)).toBe('NOT_FOUND');
      expect((await tokenRow(apiToken.id))!.revoked_at).toBeNull();
      expect((await t.gql(ME, {}, token)).data?.me.id).toBe(victim.id);
      expect(await auditRows('TOKEN_REVOKED', requireGlobalId(apiToken.id, 'ApiToken'))).toHaveLength(0);
      // Nor can it be read through node(id:).
      const node = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: apiToken.id }, attacker.token);
      expect(node.data?.node).toBeNull();
    });

    it('a [read, admin] token mints a [read] token with an earlier expiry, audited as TOKEN_CREATED', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.ADMIN]);
      const expiresAt = new Date(Date.now() + 10 * DAY).toISOString();
      const res = await createToken(m.token, { name: 'narrower', scopes: ['READ'], expiresAt });
      expect(res.errors).toBeUndefined();
      const { token, apiToken } = res.data!.createApiToken;
      expect(apiToken.scopes).toEqual(['READ']);
      expect(new Date(apiToken.expiresAt).toISOString()).toBe(expiresAt);
      expect((await t.gql(ME, {}, token)).data?.me.id).toBe(m.id);

      const audit = await auditRows('TOKEN_CREATED', requireGlobalId(apiToken.id, 'ApiToken'));
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: m.member.id, organisation_id: org.id, subject_type: 'ApiToken' });
      expect(audit[0]!.details).toMatchObject({ scopes: ['read'], expiresAt });
      expect(JSON.stringify(audit[0])).not.toContain(TOKEN_FORMAT.exec(token)![2]);
    });

    it('a [read, admin] token cannot mint a wider [read, write] token: FORBIDDEN, nothing stored', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.ADMIN]);
      const res = await createToken(m.token, { name: 'wider', scopes: ['READ', 'WRITE'], expiresAt: new Date(Date.now() + 10 * DAY).toISOString() });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors![0]!.message).toMatch(/write/);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM api_token WHERE member_id = $1', [m.member.id]);
      expect(n).toBe(1);
    });

    it('a token cannot mint one that outlives it: FORBIDDEN, nothing stored', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.ADMIN]);
      const own = (await t.dataSource.query('SELECT expires_at FROM api_token WHERE member_id = $1', [m.member.id]))[0].expires_at as Date;
      const later = new Date(own.getTime() + DAY).toISOString();
      const res = await createToken(m.token, { name: 'longer', scopes: ['READ'], expiresAt: later });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.errors![0]!.message).toMatch(/expir/i);
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM api_token WHERE member_id = $1', [m.member.id]);
      expect(n).toBe(1);
    });

    it('a token without the admin scope cannot mint tokens at all', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.WRITE]);
      const res = await createToken(m.token, { name: 'sneaky', scopes: ['READ'] });
      expect(errorCode(res)).toBe('FORBIDDEN');
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM api_token WHERE member_id = $1', [m.member.id]);
      expect(n).toBe(1);
    });
  });

  describe('member roles', () => {
    it('an ORG_ADMIN changes roles: audited with before and after, and the new role counts on the next request', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const member = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 1 }, member.token))).toBe('FORBIDDEN');

      const res = await t.gql(SET_ROLES, { input: { id: member.id, roles: ['ORG_ADMIN', 'CONTRIBUTOR'] } }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.setMemberRoles).toEqual({ id: member.id, roles: ['CONTRIBUTOR', 'ORG_ADMIN'] });
      const [row] = await t.dataSource.query('SELECT roles FROM member WHERE id = $1', [member.member.id]);
      expect([...parsePgArray(row.roles)].sort()).toEqual(['CONTRIBUTOR', 'ORG_ADMIN']);

      const audit = await auditRows('ROLES_CHANGED', member.member.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: admin.member.id, organisation_id: org.id, subject_type: 'Member' });
      expect(audit[0]!.details).toEqual({ before: ['CONTRIBUTOR'], after: ['CONTRIBUTOR', 'ORG_ADMIN'] });

      // Same token, next request: the new role is in force.
      const now = await t.gql(AUDIT_PAGE, { first: 5 }, member.token);
      expect(now.errors).toBeUndefined();
      expect((await t.gql(ME, {}, member.token)).data?.me.roles).toEqual(['CONTRIBUTOR', 'ORG_ADMIN']);
    });

    it('taking a role away ends its permission on the next request', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const deputy = await createMember(t.app, org, [Role.ORG_ADMIN]);
      expect((await t.gql(AUDIT_PAGE, { first: 1 }, deputy.token)).errors).toBeUndefined();
      const res = await t.gql(SET_ROLES, { input: { id: deputy.id, roles: [] } }, admin.token);
      expect(res.data?.setMemberRoles.roles).toEqual([]);
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 1 }, deputy.token))).toBe('FORBIDDEN');
    });

    it('an ORG_ADMIN cannot grant PLATFORM_ADMIN, nor manage members of another organisation', async () => {
      const org = await createOrganisation(t.app);
      const otherOrg = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const colleague = await createMember(t.app, org);
      const stranger = await createMember(t.app, otherOrg);

      const grant = await t.gql(SET_ROLES, { input: { id: colleague.id, roles: ['PLATFORM_ADMIN'] } }, admin.token);
      expect(errorCode(grant)).toBe('FORBIDDEN');
      const self = await t.gql(SET_ROLES, { input: { id: admin.id, roles: ['ORG_ADMIN', 'PLATFORM_ADMIN'] } }, admin.token);
      expect(errorCode(self)).toBe('FORBIDDEN');
      const across = await t.gql(SET_ROLES, { input: { id: stranger.id, roles: ['ORG_ADMIN'] } }, admin.token);
      expect(errorCode(across)).toBe('FORBIDDEN');

      const rows = await t.dataSource.query('SELECT id, roles FROM member WHERE id = ANY($1)', [[admin.member.id, colleague.member.id, stranger.member.id]]);
      for (const row of rows) expect(parsePgArray(row.roles)).not.toContain('PLATFORM_ADMIN');
      expect(parsePgArray(rows.find((r: { id: string }) => r.id === stranger.member.id).roles)).toEqual(['CONTRIBUTOR']);
    });

    it("an ORG_ADMIN cannot demote or deactivate a PLATFORM_ADMIN of their own organisation", async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const platformAdmin = await createMember(t.app, org, [Role.PLATFORM_ADMIN]);
      expect(errorCode(await t.gql(SET_ROLES, { input: { id: platformAdmin.id, roles: [] } }, admin.token))).toBe('FORBIDDEN');
      expect(errorCode(await t.gql(DEACTIVATE, { input: { id: platformAdmin.id } }, admin.token))).toBe('FORBIDDEN');
      const [row] = await t.dataSource.query('SELECT roles, deactivated_at FROM member WHERE id = $1', [platformAdmin.member.id]);
      expect(parsePgArray(row.roles)).toEqual(['PLATFORM_ADMIN']);
      expect(row.deactivated_at).toBeNull();
      expect((await t.gql(ME, {}, platformAdmin.token)).data?.me.roles).toEqual(['PLATFORM_ADMIN']);
    });

    it('a CONTRIBUTOR cannot change roles, not even their own', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      expect(errorCode(await t.gql(SET_ROLES, { input: { id: m.id, roles: ['ORG_ADMIN'] } }, m.token))).toBe('FORBIDDEN');
      expect((await t.gql(ME, {}, m.token)).data?.me.roles).toEqual(['CONTRIBUTOR']);
    });
  });

  describe('deactivateMember', () => {
    it('stops every token of the member at once, marks them revoked and audits MEMBER_DEACTIVATED', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const leaver = await createMember(t.app, org);
      const second = (await createToken(leaver.token, { name: 'laptop', scopes: ['READ'] })).data!.createApiToken.token as string;
      expect((await t.gql(ME, {}, second)).data?.me.id).toBe(leaver.id);

      const res = await t.gql(DEACTIVATE, { input: { id: leaver.id } }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.deactivateMember).toEqual({ id: leaver.id, active: false });

      for (const token of [leaver.token, second]) {
        const refused = await t.gql(ME, {}, token);
        expect(errorCode(refused)).toBe('UNAUTHENTICATED');
      }
      const tokens = await t.dataSource.query('SELECT revoked_at FROM api_token WHERE member_id = $1', [leaver.member.id]);
      expect(tokens).toHaveLength(2);
      for (const row of tokens) expect(row.revoked_at).toBeInstanceOf(Date);
      const [member] = await t.dataSource.query('SELECT deactivated_at FROM member WHERE id = $1', [leaver.member.id]);
      expect(member.deactivated_at).toBeInstanceOf(Date);

      const audit = await auditRows('MEMBER_DEACTIVATED', leaver.member.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: admin.member.id, organisation_id: org.id, subject_type: 'Member' });
      expect(audit[0]!.details).toMatchObject({ tokensRevoked: 2 });
      // The admin keeps working.
      expect((await t.gql(ME, {}, admin.token)).data?.me.id).toBe(admin.id);
    });

    it('an ORG_ADMIN of another organisation cannot deactivate the member', async () => {
      const org = await createOrganisation(t.app);
      const otherAdmin = await createMember(t.app, await createOrganisation(t.app), [Role.ORG_ADMIN]);
      const member = await createMember(t.app, org);
      expect(errorCode(await t.gql(DEACTIVATE, { input: { id: member.id } }, otherAdmin.token))).toBe('FORBIDDEN');
      expect((await t.gql(ME, {}, member.token)).data?.me.id).toBe(member.id);
      expect(await auditRows('MEMBER_DEACTIVATED', member.member.id)).toHaveLength(0);
    });
  });

  describe('upsertOrganisation', () => {
    it('a PLATFORM_ADMIN creates an organisation, then updates it by slug', async () => {
      const home = await createOrganisation(t.app);
      const platform = await createMember(t.app, home, [Role.PLATFORM_ADMIN]);
      const slug = `shire-${Date.now().toString(36)}`;
      const created = await t.gql(
        UPSERT_ORG,
        { input: { slug, name: 'Shire Council', kind: 'UK_COUNCIL', country: 'gb', region: 'South East', emailDomains: [`${slug}.gov.uk`, `@Mail.${slug}.GOV.UK`] } },
        platform.token,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data?.upsertOrganisation).toMatchObject({ slug, name: 'Shire Council', kind: 'UK_COUNCIL', country: 'GB', region: 'South East' });
      expect([...created.data!.upsertOrganisation.emailDomains].sort()).toEqual([`${slug}.gov.uk`, `mail.${slug}.gov.uk`].sort());

      const updated = await t.gql(
        UPSERT_ORG,
        { input: { slug, name: 'Shire District Council', kind: 'UK_COUNCIL', country: 'GB', emailDomains: [`${slug}.gov.uk`] } },
        platform.token,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data?.upsertOrganisation).toMatchObject({ id: created.data!.upsertOrganisation.id, slug, name: 'Shire District Council', emailDomains: [`${slug}.gov.uk`] });

      const rows = await t.dataSource.query('SELECT id, name FROM organisation WHERE slug = $1', [slug]);
      expect(rows).toEqual([{ id: requireGlobalId(created.data!.upsertOrganisation.id, 'Organisation'), name: 'Shire District Council' }]);
      const domains = await t.dataSource.query('SELECT domain FROM organisation_domain WHERE organisation_id = $1', [rows[0].id]);
      expect(domains).toEqual([{ domain: `${slug}.gov.uk` }]);
      const actions = (await t.dataSource.query('SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY occurred_at', [rows[0].id])).map((r: { action: string }) => r.action);
      expect(actions).toEqual(['ORGANISATION_CREATED', 'ORGANISATION_UPDATED']);

      const read = await t.gql('query($slug: String!) { organisation(slug: $slug) { name emailDomains } }', { slug });
      expect(read.data?.organisation).toEqual({ name: 'Shire District Council', emailDomains: [`${slug}.gov.uk`] });
    });

    it("a domain another organisation owns is a CONFLICT, and nothing changes", async () => {
      const owner = await createOrganisation(t.app);
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const slug = `grabber-${Date.now().toString(36)}`;
      const res = await t.gql(
        UPSERT_ORG,
        { input: { slug, name: 'Grabber', kind: 'OTHER_PUBLIC_BODY', country: 'GB', emailDomains: [`${owner.slug.toUpperCase()}.gov.uk`] } },
        platform.token,
      );
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors![0]!.message).toContain(`${owner.slug}.gov.uk`);
      expect(await t.dataSource.query('SELECT id FROM organisation WHERE slug = $1', [slug])).toEqual([]);
      const [domain] = await t.dataSource.query('SELECT organisation_id FROM organisation_domain WHERE domain = $1', [`${owner.slug}.gov.uk`]);
      expect(domain.organisation_id).toBe(owner.id);
    });

    it('emailDomains: null (a nullable field sent as null) is handled, not an internal error, and takes no domain away silently', async () => {
      const org = await createOrganisation(t.app);
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const res = await t.gql(UPSERT_ORG, { input: { slug: org.slug, name: 'Renamed Council', kind: 'UK_COUNCIL', country: 'GB', emailDomains: null } }, platform.token);
      // null means "leave the domains as they are", as leaving the field out does.
      expect(res.errors).toBeUndefined();
      expect(res.data?.upsertOrganisation).toMatchObject({ slug: org.slug, name: 'Renamed Council', emailDomains: [`${org.slug}.gov.uk`] });
      const domains = await t.dataSource.query('SELECT domain FROM organisation_domain WHERE organisation_id = $1', [org.id]);
      expect(domains).toEqual([{ domain: `${org.slug}.gov.uk` }]);
    });

    it('an ORG_ADMIN cannot create organisations or claim domains', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const res = await t.gql(UPSERT_ORG, { input: { slug: org.slug, name: org.name, kind: 'UK_COUNCIL', country: 'GB', emailDomains: [`${org.slug}.gov.uk`, 'gmail.com'] } }, admin.token);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(await t.dataSource.query("SELECT domain FROM organisation_domain WHERE domain = 'gmail.com'")).toEqual([]);
    });
  });

  describe('auditEvents', () => {
    /** Two organisations with events of their own: created members, their tokens, a role change. */
    async function twoBusyOrganisations() {
      const a = await createOrganisation(t.app);
      const b = await createOrganisation(t.app);
      const adminA = await createMember(t.app, a, [Role.ORG_ADMIN]);
      const adminB = await createMember(t.app, b, [Role.ORG_ADMIN]);
      const memberA = await createMember(t.app, a);
      await createMember(t.app, b);
      await t.gql(SET_ROLES, { input: { id: memberA.id, roles: ['ORG_ADMIN'] } }, adminA.token);
      await createToken(memberA.token, { name: 'extra', scopes: ['READ'] });
      return { a, b, adminA, adminB };
    }

    const globalIdsOf = async (sql: string, params: unknown[] = []) =>
      ((await t.dataSource.query(sql, params)) as { id: string }[]).map((r) => toGlobalId('AuditEvent', r.id)).sort();

    it("an ORG_ADMIN sees exactly their organisation's events", async () => {
      const { a, adminA } = await twoBusyOrganisations();
      const { ids } = await allAuditPages(adminA.token, 100);
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      expect(expected.length).toBeGreaterThanOrEqual(6);
      expect([...ids].sort()).toEqual(expected);
    });

    it('a PLATFORM_ADMIN sees the events of every organisation', async () => {
      const { a, b } = await twoBusyOrganisations();
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const { ids } = await allAuditPages(platform.token, 100);
      const all = await globalIdsOf('SELECT id FROM audit_event');
      expect([...ids].sort()).toEqual(all);
      const ofA = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      const ofB = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [b.id]);
      expect(ids).toEqual(expect.arrayContaining([...ofA, ...ofB]));
    });

    it('a CONTRIBUTOR is FORBIDDEN and an anonymous caller UNAUTHENTICATED', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      const res = await t.gql(AUDIT_PAGE, { first: 5 }, m.token);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data?.auditEvents ?? null).toBeNull();
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 5 }))).toBe('UNAUTHENTICATED');
    });

    it('an ORG_ADMIN cannot read another organisation\'s event through node(id:)', async () => {
      const { b, adminA } = await twoBusyOrganisations();
      const [foreign] = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1 LIMIT 1', [b.id]);
      const res = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: foreign }, adminA.token);
      expect(res.data?.node).toBeNull();
    });

    it('paging with first: 2 visits every event exactly once, newest first', async () => {
      const { a, adminA } = await twoBusyOrganisations();
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      const { ids, pages } = await allAuditPages(adminA.token, 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 2));

      const single = await t.gql(AUDIT_PAGE, { first: 100 }, adminA.token);
      const newestFirst = single.data!.auditEvents.edges.map((e: { node: AuditNode }) => e.node);
      expect(ids).toEqual(newestFirst.map((n: AuditNode) => n.id));
      const times = newestFirst.map((n: AuditNode) => new Date(n.occurredAt).getTime());
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('pages correctly through events recorded in the same millisecond', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      // Five events sharing one timestamp: the cursor must break the tie by id.
      await t.dataSource.query(
        `INSERT INTO audit_event (occurred_at, action, organisation_id, details)
         SELECT '2030-01-01T00:00:00.123Z'::timestamptz, 'SIGN_IN', $1, '{}'::jsonb FROM generate_series(1, 5)`,
        [org.id],
      );
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [org.id]);
      const { ids } = await allAuditPages(admin.token, 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expected);
    });
  });
});

/** A PostgreSQL enum array as node-postgres returns it (an array, or the text form `{A,B}` for unknown array types). */
function parsePgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}
