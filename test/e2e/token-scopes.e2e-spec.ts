/**
 * A token's scopes bind every path (README, "Security"; docs/adr/0006-token-scopes-bind-digests.md), through the real API:
 * - `node(id:)` answers a type only to a caller whom the query listing that type admits: a token without `admin`
 *   gets no ApiToken or Session, without `write` no DigestSubscription (with its webhookSecret and feedUrl) or
 *   DigestDelivery, without `moderate` no Flag, without `admin` no AuditEvent; with the scope it gets them;
 * - listing tokens and sessions needs the admin scope too (`apiTokens`, `me { sessions }`);
 * - a token ends only its own member's sessions, and only with the admin scope; ending one is audited;
 * - revoking a token revokes every token minted from it, at any depth, each audited; tokens minted elsewhere keep
 *   working, and a token minted while its parent is being revoked does not survive it.
 * Each "cannot" has its "can", so a null is the rule and not a broken query.
 */
import { ApiTokenService, Role, SessionService, TokenScope, requireGlobalId, toGlobalId, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { DigestChannel, DigestDeliveryService } from '#digests';
import { createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { subscribe } from '../support/digests.js';
import { errorCode, expectOk, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

const ME = '{ me { id } }';
const NODE = `query($id: ID!) { node(id: $id) {
  __typename id
  ... on ApiToken { name }
  ... on Session { userAgent }
  ... on DigestSubscription { name webhookSecret feedUrl }
  ... on DigestDelivery { periodKey }
  ... on Flag { status }
  ... on AuditEvent { action }
} }`;
const API_TOKENS = '{ apiTokens { id name } }';
const ME_SESSIONS = '{ me { id sessions { id } } }';
const REVOKE_SESSION = 'mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { id } }';
const CREATE_TOKEN = 'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } } }';
const REVOKE_TOKEN = 'mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { id revokedAt } }';

describe('token scopes on every path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  });
  afterAll(() => t.close());

  /** Another token of `member`'s with exactly `scopes`. */
  async function tokenWith(member: TestMember, scopes: TokenScope[]): Promise<string> {
    return (await t.app.get(ApiTokenService).createForMember(member.member, { name: `scoped ${unique()}`, scopes })).token;
  }

  async function nodeOf(id: string, token: string): Promise<Record<string, unknown> | null> {
    const response = await t.gql(NODE, { id }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.node;
  }

  /** A signed-in browser of `member`'s: its session id and cookie. */
  async function sessionOf(member: TestMember): Promise<{ id: string; gid: string; cookie: string }> {
    const { session, cookie } = await t.app
      .get(SessionService)
      .start(member.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: `browser ${unique()}` });
    return { id: session.id, gid: toGlobalId('Session', session.id), cookie };
  }

  async function meWithCookie(cookie: string): Promise<string | null> {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `pe_session=${cookie}` },
      body: JSON.stringify({ query: ME }),
    });
    return ((await response.json()) as { data: { me: { id: string } | null } }).data.me?.id ?? null;
  }

  const sessionRevokedAt = async (id: string): Promise<Date | null> =>
    (await t.dataSource.query('SELECT revoked_at FROM session WHERE id = $1', [id]))[0].revoked_at;
  const auditOf = (action: string, subjectId: string): Promise<{ actor_member_id: string; details: Record<string, unknown> }[]> =>
    t.dataSource.query('SELECT actor_member_id, details FROM audit_event WHERE action = $1 AND subject_id = $2', [action, subjectId]);

  describe('node(id:) checks the permission of the list query', () => {
    let organisation: OrganisationEntity;
    beforeAll(async () => {
      organisation = await createOrganisation(t.app);
    });

    it('ApiToken: not to a token without the admin scope', async () => {
      const owner = await createMember(t.app, organisation);
      const tokenId = (expectOk(await t.gql(API_TOKENS, {}, owner.token), 'apiTokens') as unknown as { id: string }[])[0]!.id;

      expect(await nodeOf(tokenId, await tokenWith(owner, [TokenScope.READ]))).toBeNull();
      expect(await nodeOf(tokenId, await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE, TokenScope.MODERATE]))).toBeNull();
      expect(await nodeOf(tokenId, await tokenWith(owner, [TokenScope.ADMIN]))).toMatchObject({ __typename: 'ApiToken', id: tokenId, name: 'test' });
    });

    it('Session: not to a token without the admin scope', async () => {
      const owner = await createMember(t.app, organisation);
      const session = await sessionOf(owner);

      expect(await nodeOf(session.gid, await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE]))).toBeNull();
      expect(await nodeOf(session.gid, await tokenWith(owner, [TokenScope.ADMIN]))).toMatchObject({ __typename: 'Session', id: session.gid });
    });

    it('DigestSubscription, with its webhookSecret and feedUrl: not to a token without the write scope', async () => {
      const owner = await createMember(t.app, organisation);
      const hook = await subscribe(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/in' });
      const atom = await subscribe(t, owner, { channel: 'ATOM' });
      const readOnly = await tokenWith(owner, [TokenScope.READ, TokenScope.MODERATE, TokenScope.ADMIN]);

      expect(await nodeOf(hook.gid, readOnly)).toBeNull();
      expect(await nodeOf(atom.gid, readOnly)).toBeNull();
      const readWrite = await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE]);
      expect(await nodeOf(hook.gid, readWrite)).toMatchObject({ __typename: 'DigestSubscription', webhookSecret: hook.webhookSecret, feedUrl: null });
      expect(await nodeOf(atom.gid, readWrite)).toMatchObject({ __typename: 'DigestSubscription', webhookSecret: null, feedUrl: atom.feedUrl });
    });

    it('DigestDelivery: not to a token without the write scope', async () => {
      const tag = `Topic ${unique()}`;
      const owner = await createMember(t.app, organisation);
      const atom = await subscribe(t, owner, { channel: 'ATOM', filter: { tags: [tag] } });
      await createPractice(t.app, owner, { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      expect(
        await t.app.get(DigestDeliveryService).deliverMany([{ subscriptionId: atom.id, periodKey: 'daily:2026-11-25', channel: DigestChannel.ATOM }]),
      ).toEqual(['sent']);
      const [{ id }] = await t.dataSource.query('SELECT id FROM digest_delivery WHERE subscription_id = $1', [atom.id]);
      const gid = toGlobalId('DigestDelivery', id);

      expect(await nodeOf(gid, await tokenWith(owner, [TokenScope.READ, TokenScope.ADMIN]))).toBeNull();
      expect(await nodeOf(gid, await tokenWith(owner, [TokenScope.WRITE]))).toMatchObject({ __typename: 'DigestDelivery', periodKey: 'daily:2026-11-25' });
    });

    it('Flag: not to a moderator whose token lacks the moderate scope', async () => {
      const author = await createMember(t.app, organisation);
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const flag = await createFlag(t.app, author, practice.gid);
      const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);

      expect(await nodeOf(flag.gid, await tokenWith(moderator, [TokenScope.READ, TokenScope.WRITE, TokenScope.ADMIN]))).toBeNull();
      expect(await nodeOf(flag.gid, await tokenWith(moderator, [TokenScope.READ, TokenScope.MODERATE]))).toMatchObject({
        __typename: 'Flag',
        id: flag.gid,
        status: 'OPEN',
      });
    });

    it('AuditEvent: not to an organisation admin whose token lacks the admin scope', async () => {
      const admin = await createMember(t.app, organisation, [Role.ORG_ADMIN]);
      const someone = await createMember(t.app, organisation);
      const [{ id }] = await t.dataSource.query(`SELECT id FROM audit_event WHERE action = 'MEMBER_CREATED' AND subject_id = $1`, [someone.member.id]);
      const gid = toGlobalId('AuditEvent', id);

      expect(await nodeOf(gid, await tokenWith(admin, [TokenScope.READ, TokenScope.WRITE, TokenScope.MODERATE]))).toBeNull();
      expect(await nodeOf(gid, await tokenWith(admin, [TokenScope.READ, TokenScope.ADMIN]))).toMatchObject({
        __typename: 'AuditEvent',
        action: 'MEMBER_CREATED',
      });
    });
  });

  describe('tokens and sessions are listed with the admin scope only', () => {
    it('apiTokens is FORBIDDEN to a token without the admin scope, and lists with it', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const refused = await t.gql(API_TOKENS, {}, await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE, TokenScope.MODERATE]));
      expect(errorCode(refused)).toBe('FORBIDDEN');
      expect(refused.data?.apiTokens ?? null).toBeNull();
      expect((expectOk(await t.gql(API_TOKENS, {}, await tokenWith(owner, [TokenScope.ADMIN])), 'apiTokens') as unknown as unknown[]).length).toBe(3);
    });

    it('me { sessions } is null through a token without the admin scope, and lists with it', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const session = await sessionOf(owner);

      const narrow = await t.gql(ME_SESSIONS, {}, await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE]));
      expect(narrow.errors).toBeUndefined();
      expect(narrow.data!.me).toEqual({ id: owner.id, sessions: null });
      const wide = await t.gql(ME_SESSIONS, {}, await tokenWith(owner, [TokenScope.ADMIN]));
      expect(wide.data!.me).toEqual({ id: owner.id, sessions: [{ id: session.gid }] });
    });
  });

  describe('revokeSession through a token', () => {
    it("a token without the admin scope cannot end even its own member's session: FORBIDDEN, the session stays", async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const session = await sessionOf(owner);

      const response = await t.gql(REVOKE_SESSION, { input: { id: session.gid } }, await tokenWith(owner, [TokenScope.READ, TokenScope.WRITE]));

      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(await sessionRevokedAt(session.id)).toBeNull();
      expect(await meWithCookie(session.cookie)).toBe(owner.id);
    });

    it("an admin-scoped token of another member, even an organisation admin's, cannot end a member's session: NOT_FOUND", async () => {
      const organisation = await createOrganisation(t.app);
      const victim = await createMember(t.app, organisation);
      const admin = await createMember(t.app, organisation, [Role.ORG_ADMIN, Role.PLATFORM_ADMIN]);
      const session = await sessionOf(victim);

      const response = await t.gql(REVOKE_SESSION, { input: { id: session.gid } }, admin.token);

      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(await sessionRevokedAt(session.id)).toBeNull();
      expect(await meWithCookie(session.cookie)).toBe(victim.id);
      expect(await auditOf('SESSION_REVOKED', session.id)).toEqual([]);
    });

    it("an admin-scoped token ends its own member's session, audited as SESSION_REVOKED", async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const session = await sessionOf(owner);

      const response = await t.gql(REVOKE_SESSION, { input: { id: session.gid } }, owner.token);

      expect(response.errors).toBeUndefined();
      expect(await sessionRevokedAt(session.id)).toBeInstanceOf(Date);
      expect(await meWithCookie(session.cookie)).toBeNull();
      const audit = await auditOf('SESSION_REVOKED', session.id);
      expect(audit).toEqual([{ actor_member_id: owner.member.id, details: { viaToken: expect.any(String) } }]);
    });
  });

  describe('revoking a token revokes the tokens it minted', () => {
    /** Mints a token through `token` (createApiToken over GraphQL): the new token and its row id. */
    async function mint(token: string, scopes: string[]): Promise<{ token: string; id: string; gid: string }> {
      const created = expectOk(await t.gql(CREATE_TOKEN, { input: { name: `minted ${unique()}`, scopes } }, token), 'createApiToken');
      const gid = (created.apiToken as { id: string }).id;
      return { token: created.token as string, id: requireGlobalId(gid, 'ApiToken'), gid };
    }

    async function works(token: string): Promise<boolean> {
      const response: GraphqlResponse = await t.gql(ME, {}, token);
      if (response.errors) expect(errorCode(response)).toBe('UNAUTHENTICATED');
      return !response.errors && response.data?.me !== null;
    }

    it('at any depth, each audited; a token minted elsewhere and the one that revoked keep working', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const parent = await mint(owner.token, ['READ', 'WRITE', 'ADMIN']);
      const child = await mint(parent.token, ['READ', 'ADMIN']);
      const grandchild = await mint(child.token, ['READ']);
      const sibling = await mint(owner.token, ['READ']);
      for (const token of [parent, child, grandchild, sibling]) expect(await works(token.token)).toBe(true);

      const response = await t.gql(REVOKE_TOKEN, { input: { id: parent.gid } }, owner.token);

      expect(response.errors).toBeUndefined();
      for (const token of [parent, child, grandchild]) expect(await works(token.token)).toBe(false);
      expect(await works(sibling.token)).toBe(true);
      expect(await works(owner.token)).toBe(true);
      const rows = await t.dataSource.query('SELECT id, revoked_at FROM api_token WHERE id = ANY($1::uuid[])', [
        [parent.id, child.id, grandchild.id, sibling.id],
      ]);
      expect(
        rows
          .filter((r: { revoked_at: Date | null }) => r.revoked_at)
          .map((r: { id: string }) => r.id)
          .sort(),
      ).toEqual([parent.id, child.id, grandchild.id].sort());
      expect(await auditOf('TOKEN_REVOKED', parent.id)).toEqual([
        { actor_member_id: owner.member.id, details: expect.objectContaining({ mintedRevoked: expect.arrayContaining([child.id, grandchild.id]) }) },
      ]);
      for (const minted of [child, grandchild]) {
        expect(await auditOf('TOKEN_REVOKED', minted.id)).toEqual([
          { actor_member_id: owner.member.id, details: expect.objectContaining({ mintedFrom: parent.id }) },
        ]);
      }
    });

    it('revoking a token in the middle leaves the one above it working', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const parent = await mint(owner.token, ['READ', 'ADMIN']);
      const child = await mint(parent.token, ['READ', 'ADMIN']);
      const grandchild = await mint(child.token, ['READ']);

      expect((await t.gql(REVOKE_TOKEN, { input: { id: child.gid } }, parent.token)).errors).toBeUndefined();

      expect(await works(parent.token)).toBe(true);
      expect(await works(child.token)).toBe(false);
      expect(await works(grandchild.token)).toBe(false);
    });

    it('a token minted while its parent is being revoked does not outlive it', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const parent = await mint(owner.token, ['READ', 'ADMIN']);

      const [revoked, ...mints] = await Promise.all([
        t.gql(REVOKE_TOKEN, { input: { id: parent.gid } }, owner.token),
        ...Array.from({ length: 5 }, () => t.gql(CREATE_TOKEN, { input: { name: `racing ${unique()}`, scopes: ['READ'] } }, parent.token)),
      ]);

      expect(revoked!.errors).toBeUndefined();
      for (const response of mints) if (response.errors) expect(errorCode(response)).toBe('UNAUTHENTICATED');
      const live = await t.dataSource.query('SELECT id FROM api_token WHERE created_by_token_id = $1 AND revoked_at IS NULL', [parent.id]);
      expect(live).toEqual([]);
      for (const response of mints) if (!response.errors) expect(await works(response.data!.createApiToken.token)).toBe(false);
    });

    it('a minted token is never wider or longer-lived than the token that minted it', async () => {
      const owner = await createMember(t.app, await createOrganisation(t.app));
      const parent = await mint(owner.token, ['READ', 'ADMIN']);
      const [{ expires_at: parentExpiry }] = await t.dataSource.query('SELECT expires_at FROM api_token WHERE id = $1', [parent.id]);

      const wider = await t.gql(CREATE_TOKEN, { input: { name: 'wider', scopes: ['READ', 'WRITE'] } }, parent.token);
      const later = await t.gql(
        CREATE_TOKEN,
        { input: { name: 'later', scopes: ['READ'], expiresAt: new Date(parentExpiry.getTime() + 60_000).toISOString() } },
        parent.token,
      );
      const child = await mint(parent.token, ['READ']);

      expect(errorCode(wider)).toBe('FORBIDDEN');
      expect(errorCode(later)).toBe('FORBIDDEN');
      const [{ expires_at: childExpiry }] = await t.dataSource.query('SELECT expires_at FROM api_token WHERE id = $1', [child.id]);
      expect(childExpiry.getTime()).toBeLessThanOrEqual(parentExpiry.getTime());
      const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM api_token WHERE created_by_token_id = $1', [parent.id]);
      expect(n).toBe(1);
    });
  });
});
