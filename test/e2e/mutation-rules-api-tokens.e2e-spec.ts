import { AuditAction, Role, TokenScope } from '#identity';
import { createMember, type TestMember } from '../factories/index.js';
import { type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';
import { CREATE_PRACTICE, CREATE_TOKEN, REVOKE_TOKEN, ME, expectRefused, mutationRulesSuite } from '../support/mutation-rules.js';

/**
 * Who may call each mutation, through the real guards, over HTTP.
 *
 * For every mutation: at least one allowed actor succeeds, and each forbidden actor is refused with the right
 * `extensions.code` — anonymous: UNAUTHENTICATED; a member whose roles (or token scopes) lack the permission:
 * FORBIDDEN; a member of another organisation on a row they can read: FORBIDDEN; on a row they cannot read:
 * NOT_FOUND (never FORBIDDEN, so the answer does not reveal that the row exists). After every refusal the database
 * is read back to show that nothing was written, and audit events are checked to exist after a success only.
 */
describe('mutation rules: who may call each mutation, and nothing is written when refused', () => {
  let t: TestApp;
  let orgA: OrganisationEntity;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let platformAdmin: TestMember;

  const { count, auditCount, auditTotal, practiceCount, tokenCount, scopedToken } = mutationRulesSuite(
    (running) => ({ t, orgA, aAdmin, aPlain, platformAdmin } = running),
  );

  describe('createApiToken', () => {
    it('lets a member create a narrower token, shown once, recorded as TOKEN_CREATED, and usable', async () => {
      const member = await createMember(t.app, orgA, []);
      const before = await tokenCount(member.member.id);
      const payload = expectOk(await t.gql(CREATE_TOKEN, { input: { name: 'CI', scopes: ['READ'] } }, member.token), 'createApiToken');
      expect(payload.token).toMatch(/^pe_[0-9a-f]{32}_[0-9a-f]{64}$/);
      expect(payload.apiToken).toMatchObject({ name: 'CI', scopes: ['READ'] });
      expect(await tokenCount(member.member.id)).toBe(before + 1);
      const rows = (await t.dataSource.query('select id, scopes from api_token where member_id = $1 and name = $2', [member.member.id, 'CI'])) as {
        id: string;
        scopes: unknown;
      }[];
      expect(rows).toHaveLength(1);
      expect(await auditCount(AuditAction.TOKEN_CREATED, rows[0]!.id)).toBe(1);
      expect((await t.gql(ME, {}, payload.token)).data?.me).toEqual({ id: member.id });
    });

    it('refuses anonymous callers and writes nothing', async () => {
      const total = await count('select count(*) as n from api_token');
      const audits = await auditTotal(AuditAction.TOKEN_CREATED);
      expectRefused(await t.gql(CREATE_TOKEN, { input: { name: 'anon', scopes: ['READ'] } }), 'UNAUTHENTICATED', 'createApiToken');
      expect(await count('select count(*) as n from api_token')).toBe(total);
      expect(await auditTotal(AuditAction.TOKEN_CREATED)).toBe(audits);
    });

    it('refuses a token without the admin scope', async () => {
      const member = await createMember(t.app, orgA, []);
      const { token } = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      const before = await tokenCount(member.member.id);
      expectRefused(await t.gql(CREATE_TOKEN, { input: { name: 'child', scopes: ['READ'] } }, token), 'FORBIDDEN', 'createApiToken');
      expect(await tokenCount(member.member.id)).toBe(before);
    });

    it('refuses a token minting a wider scope than its own, naming the scope; no row, no audit event', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ]);
      const before = await tokenCount(member.member.id);
      const audits = await auditTotal(AuditAction.TOKEN_CREATED);
      const response = await t.gql(CREATE_TOKEN, { input: { name: 'wider', scopes: ['READ', 'WRITE'] } }, token);
      expectRefused(response, 'FORBIDDEN', 'createApiToken');
      expect(response.errors![0]!.message).toMatch(/write/i);
      expect(await tokenCount(member.member.id)).toBe(before);
      expect(await auditTotal(AuditAction.TOKEN_CREATED)).toBe(audits);
    });

    it('refuses a token minting one that expires later than itself', async () => {
      const member = await createMember(t.app, orgA, []);
      const own = new Date(Date.now() + 10 * 86_400_000);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ], own);
      const before = await tokenCount(member.member.id);
      const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const response = await t.gql(CREATE_TOKEN, { input: { name: 'longer', scopes: ['READ'], expiresAt: later } }, token);
      expectRefused(response, 'FORBIDDEN', 'createApiToken');
      expect(response.errors![0]!.message).toContain('expiresAt');
      expect(await tokenCount(member.member.id)).toBe(before);
    });

    it('gives a token minted from a short-lived token no later expiry than its parent by default', async () => {
      const member = await createMember(t.app, orgA, []);
      const own = new Date(Date.now() + 10 * 86_400_000);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ], own);
      const payload = expectOk(await t.gql(CREATE_TOKEN, { input: { name: 'child', scopes: ['READ'] } }, token), 'createApiToken');
      expect(new Date(payload.apiToken.expiresAt).getTime()).toBeLessThanOrEqual(own.getTime());
    });
  });

  // =====================================================================================================

  describe('revokeApiToken', () => {
    it('lets the owner revoke a token: TOKEN_REVOKED is recorded and the token stops working at once', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const victim = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      expect((await t.gql(ME, {}, victim.token)).data?.me).toEqual({ id: member.id });
      expect(expectOk(await t.gql(REVOKE_TOKEN, { id: victim.gid }, member.token), 'revokeApiToken').revokedAt).toEqual(expect.any(String));
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).not.toBeNull();
      expect(await auditCount(AuditAction.TOKEN_REVOKED, victim.rowId)).toBe(1);
      expectRefused(await t.gql(ME, {}, victim.token), 'UNAUTHENTICATED', 'me');
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED'],
      ['another member of the same organisation', () => aPlain.token, 'NOT_FOUND'],
      ["the owner's ORG_ADMIN", () => aAdmin.token, 'NOT_FOUND'],
      ['a PLATFORM_ADMIN', () => platformAdmin.token, 'NOT_FOUND'],
    ])('refuses %s; the token keeps working and no audit event is written', async (_who, token, code) => {
      const member = await createMember(t.app, orgA, []);
      const victim = await scopedToken(member, [TokenScope.READ]);
      expectRefused(await t.gql(REVOKE_TOKEN, { id: victim.gid }, token()), code, 'revokeApiToken');
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).toBeNull();
      expect(await auditCount(AuditAction.TOKEN_REVOKED, victim.rowId)).toBe(0);
      expect((await t.gql(ME, {}, victim.token)).data?.me).toEqual({ id: member.id });
    });

    it("refuses the owner's token without the admin scope", async () => {
      const member = await createMember(t.app, orgA, []);
      const victim = await scopedToken(member, [TokenScope.READ]);
      const { token } = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      expectRefused(await t.gql(REVOKE_TOKEN, { id: victim.gid }, token), 'FORBIDDEN', 'revokeApiToken');
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).toBeNull();
    });
  });

  // =====================================================================================================

  describe('tokens that no longer authenticate', () => {
    async function expectDeadToken(token: string): Promise<void> {
      expectRefused(await t.gql(ME, {}, token), 'UNAUTHENTICATED', 'me');
      expectRefused(await t.gql('{ practices(first: 1) { edges { node { id } } } }', {}, token), 'UNAUTHENTICATED', 'practices');
      const before = await practiceCount();
      const input = practiceInput();
      expectRefused(await t.gql(CREATE_PRACTICE, { input }, token), 'UNAUTHENTICATED', 'createPractice');
      expect(await practiceCount()).toBe(before);
    }

    it('refuses a revoked token on any call', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query('update api_token set revoked_at = now() where member_id = $1', [member.member.id]);
      await expectDeadToken(member.token);
    });

    it('refuses an expired token on any call', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query("update api_token set expires_at = now() - interval '1 minute' where member_id = $1", [member.member.id]);
      await expectDeadToken(member.token);
    });

    it("refuses a deactivated member's token even when the token itself was not revoked", async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query('update member set deactivated_at = now() where id = $1', [member.member.id]);
      await expectDeadToken(member.token);
    });

    it('refuses a token whose secret does not match', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const forged = member.token.replace(/_[0-9a-f]{64}$/, `_${'0'.repeat(64)}`);
      await expectDeadToken(forged);
    });
  });
});
