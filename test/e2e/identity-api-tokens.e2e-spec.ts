import { createHash } from 'node:crypto';
import { Role, TokenScope, requireGlobalId } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { TOKEN_FORMAT, DAY, ME, REVOKE_TOKEN, API_TOKENS, identityReaders } from '../support/identity-api.js';

/**
 * Identity through the real API: tokens (shown once, stored hashed, scoped, revocable), roles, deactivation,
 * organisations and the audit log, each checked in the response and in the database.
 */
describe('identity through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const { tokenRow, auditRows, createToken } = identityReaders(() => t);

  describe('me', () => {
    it("is the token's member", async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      const res = await t.gql(ME, {}, m.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.me).toEqual({
        id: m.id,
        name: m.member.name,
        email: m.member.email,
        roles: [Role.CONTRIBUTOR],
        active: true,
        organisation: { slug: org.slug },
      });
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
});
