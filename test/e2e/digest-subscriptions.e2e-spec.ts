/**
 * Digest subscriptions through the API (README, "The API"; the feed address and secret formats are names the outside
 * world relies on): createDigestSubscription, updateDigestSubscription, deleteDigestSubscription,
 * rotateDigestSubscriptionSecret, digestSubscriptions, digestPreview(subscriptionId) and node(id:). Every case asserts
 * the response and the digest_subscription rows behind it.
 *
 * Expected rules:
 * - channels: EMAIL needs SMTP_URL (with DATABASE_URL set, demo mode is off, so without it EMAIL is refused with a
 *   BAD_USER_INPUT naming SMTP_URL); WEBHOOK needs an https:// webhookUrl (http:// only with
 *   OUTBOUND_ALLOW_PRIVATE_NETWORKS=true) and gets a whsec_ secret, stored sealed; ATOM gets a secret feedUrl
 *   `<PUBLIC_URL>/feeds/subscriptions/<token>.atom`;
 * - schedule defaults: hour 7, time zone Europe/London, weekday MONDAY for WEEKLY and null otherwise;
 * - filter normalisation: tags by slug, organisation slugs lower case, countries upper case;
 * - DigestSubscription is read by its owner only: anyone else's is NOT_FOUND (mutations, digestPreview) or null
 *   (node), whatever their role;
 * - deactivating a member pauses every subscription of theirs at once ("member deactivated");
 * - digestPreview holds what the next digest would: published practices the subscriber may read, matching the
 *   filter, published since the subscription was made, and not recorded in digest_entry for it.
 */
import { ApiTokenService, OrganisationKind, Role, TokenScope, toGlobalId, type OrganisationEntity } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { DigestDeliveryService, openSecret } from '#digests';
import { feedTokenMatches, feedTokenSubscriptionId } from '../../libs/digests/src/subscriptions/feed-token.js';
import { createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, expectOk, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';

/** The APP_SECRET startTestApp configures; the webhook secret is sealed and the feed token signed with it. */
const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
/** PUBLIC_URL's default when the test app does not set it (PORT defaults to 3000). */
const PUBLIC_URL = 'http://localhost:3000';

const FIELDS = `id name filter { query tags organisationSlugs organisationKinds countries } frequency hour weekday timeZone channel webhookUrl webhookSecret feedUrl pausedAt pauseReason createdAt`;
const CREATE = `mutation($input: CreateDigestSubscriptionInput!) { createDigestSubscription(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($input: UpdateDigestSubscriptionInput!) { updateDigestSubscription(input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteDigestSubscription(input: { id: $id }) { ${FIELDS} } }`;
const ROTATE = `mutation($id: ID!) { rotateDigestSubscriptionSecret(input: { id: $id }) { ${FIELDS} } }`;
const LIST = `query { digestSubscriptions { ${FIELDS} } }`;
const PREVIEW = `query($id: ID!) { digestPreview(subscriptionId: $id) { count entries { id title visibility } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on DigestSubscription { name webhookSecret feedUrl } } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateMember(input: { id: $id }) { id } }`;
const RESOLVE = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id status } }`;

const HOUR = 3_600_000;

function expectCode(response: GraphqlResponse, code: string): void {
  expect(response.data?.[Object.keys(response.data ?? {})[0] ?? ''] ?? null).toBeNull();
  expect(errorCode(response)).toBe(code);
}

async function subscriptionRow(t: TestApp, id: string): Promise<Record<string, any> | undefined> {
  const rows = await t.dataSource.query(`SELECT * FROM digest_subscription WHERE id = $1`, [id]);
  return rows[0];
}

async function rowsOfMember(t: TestApp, member: TestMember): Promise<Record<string, any>[]> {
  return t.dataSource.query(`SELECT * FROM digest_subscription WHERE member_id = $1 ORDER BY created_at, id`, [member.member.id]);
}

async function create(t: TestApp, member: TestMember, input: Record<string, unknown>): Promise<Record<string, any>> {
  return expectOk(await t.gql(CREATE, { input: { name: `Digest ${unique()}`, frequency: 'DAILY', channel: 'ATOM', ...input } }, member.token), 'createDigestSubscription');
}

describe('digest subscriptions through the API', () => {
  let t: TestApp;

  beforeAll(async () => {
    // DATABASE_URL is set (so demo mode is off) and SMTP_URL is not.
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const member = async (roles: Role[] = [Role.CONTRIBUTOR], organisation?: OrganisationEntity, scopes?: TokenScope[]) =>
    createMember(t.app, organisation ?? (await createOrganisation(t.app)), roles, scopes);

  describe('createDigestSubscription', () => {
    it('refuses EMAIL without SMTP_URL with a BAD_USER_INPUT that names SMTP_URL, and stores nothing', async () => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('SMTP_URL');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it('WEBHOOK: returns a whsec_ secret to its owner and stores it sealed, never as given', async () => {
      const owner = await member();

      const created = await create(t, owner, { name: 'Our SIEM', channel: 'WEBHOOK', frequency: 'IMMEDIATE', webhookUrl: 'https://hooks.example.org/pe' });

      expect(created).toMatchObject({ name: 'Our SIEM', channel: 'WEBHOOK', frequency: 'IMMEDIATE', webhookUrl: 'https://hooks.example.org/pe', feedUrl: null, pausedAt: null });
      expect(created.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const row = (await subscriptionRow(t, rowId(created.id)))!;
      expect(row).toMatchObject({ member_id: owner.member.id, name: 'Our SIEM', channel: 'WEBHOOK', frequency: 'IMMEDIATE', webhook_url: 'https://hooks.example.org/pe', paused_at: null });
      expect(row.webhook_secret_sealed).toMatch(/^v1\./);
      expect(row.webhook_secret_sealed).not.toContain(created.webhookSecret);
      expect(row.webhook_secret_sealed).not.toContain(created.webhookSecret.slice('whsec_'.length, -1));
      expect(openSecret(row.webhook_secret_sealed, APP_SECRET)).toBe(created.webhookSecret);
    });

    it('WEBHOOK: two subscriptions get different secrets', async () => {
      const owner = await member();

      const a = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/a' });
      const b = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/b' });

      expect(a.webhookSecret).not.toBe(b.webhookSecret);
    });

    it('WEBHOOK without a webhookUrl is a BAD_USER_INPUT naming webhookUrl', async () => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'No address', frequency: 'DAILY', channel: 'WEBHOOK' } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('webhookUrl');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it.each(['http://hooks.example.org/pe', 'http://127.0.0.1:8080/hook'])('WEBHOOK to %s is refused (https only) without OUTBOUND_ALLOW_PRIVATE_NETWORKS', async (webhookUrl) => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Plain http', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('webhookUrl');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it.each(['ftp://hooks.example.org/pe', 'javascript:alert(1)', 'not a url'])('a webhookUrl that is not http(s) (%s) is a BAD_USER_INPUT', async (webhookUrl) => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Odd', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it('ATOM: returns feedUrl <PUBLIC_URL>/feeds/subscriptions/<token>.atom, a token signed for this subscription, and stores no secret', async () => {
      const owner = await member();

      const created = await create(t, owner, { name: 'Feed', channel: 'ATOM', frequency: 'DAILY' });

      expect(created).toMatchObject({ channel: 'ATOM', webhookUrl: null, webhookSecret: null });
      const match = /^(.+)\/feeds\/subscriptions\/([^/]+)\.atom$/.exec(created.feedUrl);
      expect(match).not.toBeNull();
      expect(match![1]).toBe(PUBLIC_URL);
      const id = rowId(created.id);
      expect(feedTokenSubscriptionId(match![2]!)).toBe(id);
      expect(feedTokenMatches(match![2]!, id, 0, APP_SECRET)).toBe(true);
      const row = (await subscriptionRow(t, id))!;
      expect(row).toMatchObject({ channel: 'ATOM', webhook_url: null, webhook_secret_sealed: null, feed_token_version: 0 });
      // The token is derived, never stored.
      expect(JSON.stringify(row)).not.toContain(match![2]!.split('.')[1]!);
    });

    it.each([
      ['IMMEDIATE', null],
      ['DAILY', null],
      ['WEEKLY', 'MONDAY'],
    ])('%s without a schedule defaults to hour 7, Europe/London and weekday %s', async (frequency, weekday) => {
      const owner = await member();

      const created = await create(t, owner, { frequency });

      expect(created).toMatchObject({ frequency, hour: 7, timeZone: 'Europe/London', weekday });
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ frequency, hour: 7, time_zone: 'Europe/London', weekday });
    });

    it('keeps a chosen schedule: WEEKLY on FRIDAY at 18 in America/New_York', async () => {
      const owner = await member();

      const created = await create(t, owner, { frequency: 'WEEKLY', weekday: 'FRIDAY', hour: 18, timeZone: 'America/New_York' });

      expect(created).toMatchObject({ frequency: 'WEEKLY', weekday: 'FRIDAY', hour: 18, timeZone: 'America/New_York' });
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ frequency: 'WEEKLY', weekday: 'FRIDAY', hour: 18, time_zone: 'America/New_York' });
    });

    it('hour 0 is accepted (midnight)', async () => {
      const owner = await member();

      const created = await create(t, owner, { hour: 0 });

      expect(created.hour).toBe(0);
      expect((await subscriptionRow(t, rowId(created.id)))!.hour).toBe(0);
    });

    it.each([
      ['an invalid timeZone', { timeZone: 'Mars/Olympus_Mons' }],
      ['hour 24', { hour: 24 }],
      ['hour -1', { hour: -1 }],
      ['webhookUrl on an ATOM subscription', { channel: 'ATOM', webhookUrl: 'https://hooks.example.org/pe' }],
      ['an empty name', { name: '' }],
      ['a country that is not two letters', { filter: { countries: ['GBR'] } }],
      ['tags without letters or digits', { filter: { tags: ['!!!'] } }],
    ])('%s is a BAD_USER_INPUT and stores nothing', async (_label, input) => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Refused', frequency: 'DAILY', channel: 'ATOM', ...input } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it('the timeZone error names the field and the value', async () => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Refused', frequency: 'DAILY', channel: 'ATOM', timeZone: 'Mars/Olympus_Mons' } }, owner.token);

      expect(response.errors![0]!.message).toContain('timeZone');
      expect(response.errors![0]!.message).toContain('Mars/Olympus_Mons');
    });

    it('normalises the filter: tags to slugs (deduplicated), organisation slugs to lower case, countries to upper case, the query trimmed', async () => {
      const owner = await member();

      const created = await create(t, owner, {
        filter: {
          query: '  ballot secrecy  ',
          tags: ['Cyber Security', 'cyber-security', 'Phishing'],
          organisationSlugs: ['Leeds-City-Council', ' CABINET-Office '],
          organisationKinds: ['UK_COUNCIL', 'UK_COUNCIL'],
          countries: ['gb', 'Fr'],
        },
      });

      const expected = {
        query: 'ballot secrecy',
        tags: ['cyber-security', 'phishing'],
        organisationSlugs: ['leeds-city-council', 'cabinet-office'],
        organisationKinds: ['UK_COUNCIL'],
        countries: ['GB', 'FR'],
      };
      expect(created.filter).toEqual(expected);
      expect((await subscriptionRow(t, rowId(created.id)))!.filter).toEqual(expected);
    });

    it('without a filter stores an empty one and returns empty lists', async () => {
      const owner = await member();

      const created = await create(t, owner, {});

      expect(created.filter).toEqual({ query: null, tags: [], organisationSlugs: [], organisationKinds: [], countries: [] });
      expect((await subscriptionRow(t, rowId(created.id)))!.filter).toEqual({});
    });
  });

  describe('owner only', () => {
    /** A WEBHOOK subscription of `owner`, and the row as it was. */
    async function scene() {
      const org = await createOrganisation(t.app);
      const owner = await member([Role.CONTRIBUTOR], org);
      const subscription = await create(t, owner, { name: 'Mine', channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/mine' });
      const before = (await subscriptionRow(t, rowId(subscription.id)))!;
      return { org, owner, subscription, before };
    }

    const OTHERS: [string, (org: OrganisationEntity) => Promise<TestMember>][] = [
      ['a colleague in the same organisation', (org) => member([Role.CONTRIBUTOR], org)],
      ["the owner's ORG_ADMIN", (org) => member([Role.ORG_ADMIN], org)],
      ['a PLATFORM_ADMIN', () => member([Role.PLATFORM_ADMIN])],
      ['a member of another organisation', () => member()],
    ];

    describe.each(OTHERS)('for %s', (_label, makeOther) => {
      it('update, delete and rotate are NOT_FOUND and change nothing', async () => {
        const { org, subscription, before } = await scene();
        const other = await makeOther(org);

        const updated = await t.gql(UPDATE, { input: { id: subscription.id, name: 'Taken over', webhookUrl: 'https://evil.example.org/' } }, other.token);
        const rotated = await t.gql(ROTATE, { id: subscription.id }, other.token);
        const deleted = await t.gql(DELETE, { id: subscription.id }, other.token);

        expectCode(updated, 'NOT_FOUND');
        expectCode(rotated, 'NOT_FOUND');
        expectCode(deleted, 'NOT_FOUND');
        expect(JSON.stringify([updated, rotated, deleted])).not.toContain(subscription.webhookSecret);
        expect(await subscriptionRow(t, rowId(subscription.id))).toEqual(before);
      });

      it('digestPreview is NOT_FOUND and node(id:) is null', async () => {
        const { org, subscription } = await scene();
        const other = await makeOther(org);

        const preview = await t.gql(PREVIEW, { id: subscription.id }, other.token);
        const node = await t.gql(NODE, { id: subscription.id }, other.token);

        expectCode(preview, 'NOT_FOUND');
        expect(node.errors).toBeUndefined();
        expect(node.data!.node).toBeNull();
      });

      it('digestSubscriptions does not list it', async () => {
        const { org, subscription } = await scene();
        const other = await makeOther(org);
        const own = await create(t, other, { name: 'Theirs' });

        const listed = await t.gql(LIST, {}, other.token);

        expect(listed.errors).toBeUndefined();
        expect(listed.data!.digestSubscriptions.map((s: any) => s.id)).toEqual([own.id]);
        expect(JSON.stringify(listed)).not.toContain(subscription.webhookSecret);
      });
    });

    it('the owner reads it through node(id:) with its secret, and lists exactly their own, oldest first', async () => {
      const { owner, subscription } = await scene();
      const second = await create(t, owner, { name: 'Second', channel: 'ATOM' });

      const node = await t.gql(NODE, { id: subscription.id }, owner.token);
      const listed = await t.gql(LIST, {}, owner.token);

      expect(node.data!.node).toEqual({ id: subscription.id, name: 'Mine', webhookSecret: subscription.webhookSecret, feedUrl: null });
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.digestSubscriptions).toEqual([subscription, second]);
      expect((await rowsOfMember(t, owner)).map((r) => r.id)).toEqual([rowId(subscription.id), rowId(second.id)]);
    });

    it('anonymous callers are UNAUTHENTICATED on every operation, and node(id:) is null', async () => {
      const { subscription, before } = await scene();

      const responses = await Promise.all([
        t.gql(CREATE, { input: { name: 'Anon', frequency: 'DAILY', channel: 'ATOM' } }),
        t.gql(UPDATE, { input: { id: subscription.id, name: 'Anon' } }),
        t.gql(DELETE, { id: subscription.id }),
        t.gql(ROTATE, { id: subscription.id }),
        t.gql(LIST),
        t.gql(PREVIEW, { id: subscription.id }),
      ]);
      const node = await t.gql(NODE, { id: subscription.id });

      for (const response of responses) expect(errorCode(response)).toBe('UNAUTHENTICATED');
      expect(node.data?.node ?? null).toBeNull();
      expect(await subscriptionRow(t, rowId(subscription.id))).toEqual(before);
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM digest_subscription WHERE name = 'Anon'`);
      expect(count).toBe(0);
    });

    it('the owner with a token lacking the write scope is FORBIDDEN on every operation', async () => {
      const { org, owner, subscription, before } = await scene();
      const readOnly = await createMember(t.app, org, [Role.CONTRIBUTOR], [TokenScope.READ, TokenScope.ADMIN, TokenScope.MODERATE]);
      // The same member as the owner, through a second, narrower token.
      const { token } = await t.app.get(ApiTokenService).createForMember(owner.member, { name: 'read only', scopes: [TokenScope.READ] });

      for (const caller of [token, readOnly.token]) {
        const responses = await Promise.all([
          t.gql(CREATE, { input: { name: 'Narrow', frequency: 'DAILY', channel: 'ATOM' } }, caller),
          t.gql(UPDATE, { input: { id: subscription.id, name: 'Narrow' } }, caller),
          t.gql(DELETE, { id: subscription.id }, caller),
          t.gql(ROTATE, { id: subscription.id }, caller),
          t.gql(LIST, {}, caller),
          t.gql(PREVIEW, { id: subscription.id }, caller),
        ]);
        for (const response of responses) expect(errorCode(response)).toBe('FORBIDDEN');
      }
      expect(await subscriptionRow(t, rowId(subscription.id))).toEqual(before);
      expect(await rowsOfMember(t, readOnly)).toHaveLength(0);
    });

    it('a token with only the write scope is enough', async () => {
      const writer = await member([Role.CONTRIBUTOR], undefined, [TokenScope.WRITE]);

      const created = await create(t, writer, { name: 'Write scope' });
      const listed = await t.gql(LIST, {}, writer.token);

      expect(listed.data!.digestSubscriptions.map((s: any) => s.id)).toEqual([created.id]);
    });

    it('an ID of another type is a BAD_USER_INPUT, not a lookup', async () => {
      const owner = await member();
      const practiceId = toGlobalId('Practice', '00000000-0000-4000-8000-000000000000');

      expectCode(await t.gql(ROTATE, { id: practiceId }, owner.token), 'BAD_USER_INPUT');
      expectCode(await t.gql(PREVIEW, { id: practiceId }, owner.token), 'BAD_USER_INPUT');
    });
  });

  describe('rotateDigestSubscriptionSecret', () => {
    it('WEBHOOK: a different whsec_ secret, sealed in place of the old one; the rest unchanged', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/rotate' });
      const before = (await subscriptionRow(t, rowId(created.id)))!;

      const rotated = expectOk(await t.gql(ROTATE, { id: created.id }, owner.token), 'rotateDigestSubscriptionSecret');

      expect(rotated.webhookSecret).toMatch(/^whsec_/);
      expect(rotated.webhookSecret).not.toBe(created.webhookSecret);
      expect({ ...rotated, webhookSecret: undefined }).toEqual({ ...created, webhookSecret: undefined });
      const after = (await subscriptionRow(t, rowId(created.id)))!;
      expect(after.webhook_secret_sealed).not.toBe(before.webhook_secret_sealed);
      expect(openSecret(after.webhook_secret_sealed, APP_SECRET)).toBe(rotated.webhookSecret);
      const node = await t.gql(NODE, { id: created.id }, owner.token);
      expect(node.data!.node.webhookSecret).toBe(rotated.webhookSecret);
    });

    it('ATOM: a different feedUrl; the old token no longer matches', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'ATOM' });

      const rotated = expectOk(await t.gql(ROTATE, { id: created.id }, owner.token), 'rotateDigestSubscriptionSecret');

      expect(rotated.feedUrl).toMatch(/\/feeds\/subscriptions\/[^/]+\.atom$/);
      expect(rotated.feedUrl).not.toBe(created.feedUrl);
      expect(rotated.webhookSecret).toBeNull();
      const id = rowId(created.id);
      const row = (await subscriptionRow(t, id))!;
      expect(row.feed_token_version).toBe(1);
      const token = (url: string) => /\/([^/]+)\.atom$/.exec(url)![1]!;
      expect(feedTokenMatches(token(rotated.feedUrl), id, row.feed_token_version, APP_SECRET)).toBe(true);
      expect(feedTokenMatches(token(created.feedUrl), id, row.feed_token_version, APP_SECRET)).toBe(false);

      const again = expectOk(await t.gql(ROTATE, { id: created.id }, owner.token), 'rotateDigestSubscriptionSecret');
      expect(new Set([created.feedUrl, rotated.feedUrl, again.feedUrl]).size).toBe(3);
      expect((await subscriptionRow(t, id))!.feed_token_version).toBe(2);
    });
  });

  describe('updateDigestSubscription', () => {
    it('a partial change keeps everything else', async () => {
      const owner = await member();
      const created = await create(t, owner, {
        name: 'Before',
        frequency: 'WEEKLY',
        weekday: 'WEDNESDAY',
        hour: 9,
        timeZone: 'Europe/Paris',
        channel: 'WEBHOOK',
        webhookUrl: 'https://hooks.example.org/keep',
        filter: { tags: ['Disinformation'], countries: ['gb'] },
      });
      const before = (await subscriptionRow(t, rowId(created.id)))!;

      const renamed = expectOk(await t.gql(UPDATE, { input: { id: created.id, name: 'After' } }, owner.token), 'updateDigestSubscription');

      expect(renamed).toEqual({ ...created, name: 'After' });
      const after = (await subscriptionRow(t, rowId(created.id)))!;
      expect({ ...after, name: undefined, updated_at: undefined }).toEqual({ ...before, name: undefined, updated_at: undefined });
      expect(after.name).toBe('After');

      const rehoured = expectOk(await t.gql(UPDATE, { input: { id: created.id, hour: 22 } }, owner.token), 'updateDigestSubscription');
      expect(rehoured).toEqual({ ...created, name: 'After', hour: 22 });

      const refiltered = expectOk(await t.gql(UPDATE, { input: { id: created.id, filter: { tags: ['Fake Accounts'] } } }, owner.token), 'updateDigestSubscription');
      expect(refiltered).toEqual({ ...created, name: 'After', hour: 22, filter: { query: null, tags: ['fake-accounts'], organisationSlugs: [], organisationKinds: [], countries: [] } });
      const last = (await subscriptionRow(t, rowId(created.id)))!;
      expect(last).toMatchObject({ name: 'After', hour: 22, weekday: 'WEDNESDAY', time_zone: 'Europe/Paris', frequency: 'WEEKLY', channel: 'WEBHOOK', webhook_url: 'https://hooks.example.org/keep', filter: { tags: ['fake-accounts'] } });
      expect(last.webhook_secret_sealed).toBe(before.webhook_secret_sealed);
    });

    it('changing the webhookUrl of a WEBHOOK subscription keeps its secret', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/one' });

      const updated = expectOk(await t.gql(UPDATE, { input: { id: created.id, webhookUrl: 'https://hooks.example.org/two' } }, owner.token), 'updateDigestSubscription');

      expect(updated).toMatchObject({ webhookUrl: 'https://hooks.example.org/two', webhookSecret: created.webhookSecret });
      expect((await subscriptionRow(t, rowId(created.id)))!.webhook_url).toBe('https://hooks.example.org/two');
    });

    it('frequency WEEKLY gets weekday MONDAY by default; back to DAILY clears it', async () => {
      const owner = await member();
      const created = await create(t, owner, { frequency: 'DAILY' });

      const weekly = expectOk(await t.gql(UPDATE, { input: { id: created.id, frequency: 'WEEKLY' } }, owner.token), 'updateDigestSubscription');
      expect(weekly).toMatchObject({ frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7 });
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ frequency: 'WEEKLY', weekday: 'MONDAY' });

      const daily = expectOk(await t.gql(UPDATE, { input: { id: created.id, frequency: 'DAILY' } }, owner.token), 'updateDigestSubscription');
      expect(daily).toMatchObject({ frequency: 'DAILY', weekday: null });
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ frequency: 'DAILY', weekday: null });
    });

    it('switching from ATOM to WEBHOOK creates a secret and drops the feed address', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'ATOM' });

      const updated = expectOk(await t.gql(UPDATE, { input: { id: created.id, channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/switch' } }, owner.token), 'updateDigestSubscription');

      expect(updated).toMatchObject({ channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/switch', feedUrl: null });
      expect(updated.webhookSecret).toMatch(/^whsec_/);
      const row = (await subscriptionRow(t, rowId(created.id)))!;
      expect(row).toMatchObject({ channel: 'WEBHOOK', webhook_url: 'https://hooks.example.org/switch' });
      expect(openSecret(row.webhook_secret_sealed, APP_SECRET)).toBe(updated.webhookSecret);
    });

    it('switching to WEBHOOK without a webhookUrl is a BAD_USER_INPUT and changes nothing', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'ATOM' });
      const before = (await subscriptionRow(t, rowId(created.id)))!;

      const response = await t.gql(UPDATE, { input: { id: created.id, channel: 'WEBHOOK' } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(await subscriptionRow(t, rowId(created.id))).toEqual(before);
    });

    it('switching to EMAIL without SMTP_URL is a BAD_USER_INPUT and changes nothing', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'ATOM' });
      const before = (await subscriptionRow(t, rowId(created.id)))!;

      const response = await t.gql(UPDATE, { input: { id: created.id, channel: 'EMAIL' } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('SMTP_URL');
      expect(await subscriptionRow(t, rowId(created.id))).toEqual(before);
    });

    it('switching from WEBHOOK to ATOM with webhookUrl: null drops the address and the secret', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/leave' });

      const updated = expectOk(await t.gql(UPDATE, { input: { id: created.id, channel: 'ATOM', webhookUrl: null } }, owner.token), 'updateDigestSubscription');

      expect(updated).toMatchObject({ channel: 'ATOM', webhookUrl: null, webhookSecret: null });
      expect(updated.feedUrl).toMatch(/\/feeds\/subscriptions\/[^/]+\.atom$/);
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ channel: 'ATOM', webhook_url: null, webhook_secret_sealed: null });
    });

    it('switching from WEBHOOK to ATOM (channel alone, a partial change) drops the address and the secret', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/leave' });

      const response = await t.gql(UPDATE, { input: { id: created.id, channel: 'ATOM' } }, owner.token);

      // The stored webhookUrl is not something the caller gave; it must not make the switch fail.
      expect(response.errors).toBeUndefined();
      expect(response.data?.updateDigestSubscription).toMatchObject({ channel: 'ATOM', webhookUrl: null, webhookSecret: null });
      expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ channel: 'ATOM', webhook_url: null, webhook_secret_sealed: null });
    });

    it.each([
      ['an invalid timeZone', { timeZone: 'Nowhere/Special' }],
      ['hour 24', { hour: 24 }],
      ['a webhookUrl on an ATOM subscription', { webhookUrl: 'https://hooks.example.org/x' }],
    ])('%s is a BAD_USER_INPUT and changes nothing', async (_label, input) => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'ATOM' });
      const before = (await subscriptionRow(t, rowId(created.id)))!;

      const response = await t.gql(UPDATE, { input: { id: created.id, ...input } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(await subscriptionRow(t, rowId(created.id))).toEqual(before);
    });
  });

  describe('deleteDigestSubscription', () => {
    it('removes the row (and its delivery records) and returns the subscription as it was', async () => {
      const owner = await member();
      const kept = await create(t, owner, { name: 'Kept' });
      const created = await create(t, owner, { name: 'Gone', channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/gone' });
      const author = await member();
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const [delivery] = await t.dataSource.query(
        `INSERT INTO digest_delivery (subscription_id, period_key, status, message_id, sent_at) VALUES ($1, 'p1', 'SENT', $2, now()) RETURNING id`,
        [rowId(created.id), `msg-${unique()}`],
      );
      await t.dataSource.query(`INSERT INTO digest_entry (subscription_id, practice_id, delivery_id) VALUES ($1, $2, $3)`, [rowId(created.id), practice.id, delivery.id]);

      const deleted = expectOk(await t.gql(DELETE, { id: created.id }, owner.token), 'deleteDigestSubscription');

      expect(deleted).toEqual(created);
      expect(await subscriptionRow(t, rowId(created.id))).toBeUndefined();
      expect((await rowsOfMember(t, owner)).map((r) => r.id)).toEqual([rowId(kept.id)]);
      expect(await t.dataSource.query(`SELECT 1 FROM digest_delivery WHERE subscription_id = $1`, [rowId(created.id)])).toHaveLength(0);
      expect(await t.dataSource.query(`SELECT 1 FROM digest_entry WHERE subscription_id = $1`, [rowId(created.id)])).toHaveLength(0);

      expectCode(await t.gql(DELETE, { id: created.id }, owner.token), 'NOT_FOUND');
      expect((await t.gql(NODE, { id: created.id }, owner.token)).data!.node).toBeNull();
      expect((await t.gql(LIST, {}, owner.token)).data!.digestSubscriptions.map((s: any) => s.id)).toEqual([kept.id]);
    });
  });

  describe('deactivateMember', () => {
    it('pauses every subscription of the member at once with reason "member deactivated", and nobody else\'s', async () => {
      const org = await createOrganisation(t.app);
      const leaver = await member([Role.CONTRIBUTOR], org);
      const colleague = await member([Role.CONTRIBUTOR], org);
      const admin = await member([Role.ORG_ADMIN], org);
      const subscriptions = [
        await create(t, leaver, { channel: 'ATOM' }),
        await create(t, leaver, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/leaver' }),
        await create(t, leaver, { channel: 'ATOM', frequency: 'WEEKLY' }),
      ];
      const colleagues = await create(t, colleague, { channel: 'ATOM' });

      const response = await t.gql(DEACTIVATE, { id: leaver.id }, admin.token);

      expect(response.errors).toBeUndefined();
      const rows = await rowsOfMember(t, leaver);
      expect(rows.map((r) => r.id).sort()).toEqual(subscriptions.map((s) => rowId(s.id)).sort());
      for (const row of rows) {
        expect(row.paused_at).toBeInstanceOf(Date);
        expect(row.pause_reason).toBe('member deactivated');
      }
      expect(new Set(rows.map((r) => (r.paused_at as Date).getTime())).size).toBe(1);
      expect(await subscriptionRow(t, rowId(colleagues.id))).toMatchObject({ paused_at: null, pause_reason: null });
      // The leaver's token stopped working with the deactivation.
      expect(errorCode(await t.gql(LIST, {}, leaver.token))).toBe('UNAUTHENTICATED');
    });

    it('keeps the reason of a subscription that was already paused for another reason', async () => {
      const org = await createOrganisation(t.app);
      const leaver = await member([Role.CONTRIBUTOR], org);
      const admin = await member([Role.ORG_ADMIN], org);
      const failing = await create(t, leaver, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/failing' });
      const active = await create(t, leaver, { channel: 'ATOM' });
      await t.dataSource.query(`UPDATE digest_subscription SET paused_at = now() - interval '1 day', pause_reason = 'webhook failing' WHERE id = $1`, [rowId(failing.id)]);

      expect((await t.gql(DEACTIVATE, { id: leaver.id }, admin.token)).errors).toBeUndefined();

      expect((await subscriptionRow(t, rowId(failing.id)))!.pause_reason).toBe('webhook failing');
      expect(await subscriptionRow(t, rowId(active.id))).toMatchObject({ pause_reason: 'member deactivated' });
    });

    it("an ORG_ADMIN of another organisation cannot, and the member's subscriptions stay active", async () => {
      const org = await createOrganisation(t.app);
      const target = await member([Role.CONTRIBUTOR], org);
      const outsider = await member([Role.ORG_ADMIN]);
      const subscription = await create(t, target, { channel: 'ATOM' });

      const response = await t.gql(DEACTIVATE, { id: target.id }, outsider.token);

      expect(errorCode(response)).toBe('FORBIDDEN');
      expect(await subscriptionRow(t, rowId(subscription.id))).toMatchObject({ paused_at: null, pause_reason: null });
      expect((await t.gql(LIST, {}, target.token)).data!.digestSubscriptions).toHaveLength(1);
    });
  });

  describe('digestPreview', () => {
    async function preview(owner: TestMember, subscriptionGid: string) {
      const response = await t.gql(PREVIEW, { id: subscriptionGid }, owner.token);
      const result = expectOk(response, 'digestPreview');
      expect(result.count).toBe(result.entries.length);
      return result as { count: number; entries: { id: string; title: string; visibility: string }[] };
    }

    async function hide(practiceGid: string) {
      const reporter = await member();
      const moderator = await member([Role.MODERATOR]);
      const flag = await createFlag(t.app, reporter, practiceGid);
      expect((await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token)).errors).toBeUndefined();
    }

    it('holds what the subscriber in organisation A may read, published since it was made: CLEAR, GREEN, AMBER naming A; not other AMBER, strict, draft, archived, hidden or older', async () => {
      const orgA = await createOrganisation(t.app);
      const orgB = await createOrganisation(t.app);
      const orgC = await createOrganisation(t.app);
      const subscriber = await member([Role.CONTRIBUTOR], orgA);
      const authorB = await member([Role.CONTRIBUTOR], orgB);
      const authorA = await member([Role.CONTRIBUTOR], orgA);
      const tag = `Election Security ${unique()}`;
      const older = await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'older, before the subscription' });
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });

      const shown = [
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'clear' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_GREEN, tags: [tag], title: 'green' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, audience: [orgA], tags: [tag], title: 'amber naming A' }),
        await createPractice(t.app, authorA, { visibility: Visibility.TLP_AMBER_STRICT, tags: [tag], title: "strict of the subscriber's own organisation" }),
      ];
      const hidden = await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'hidden by a moderator' });
      await hide(hidden.gid);
      const left = [
        older,
        hidden,
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, audience: [orgC], tags: [tag], title: 'amber naming C' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER, tags: [tag], title: 'amber naming nobody' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_AMBER_STRICT, tags: [tag], title: 'strict of B' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, tags: [tag], title: 'draft of B' }),
        await createPractice(t.app, authorA, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, tags: [tag], title: 'draft of A' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.ARCHIVED, tags: [tag], title: 'archived' }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: [tag], title: 'published an hour before the subscription', publishedAt: new Date(Date.now() - HOUR) }),
        await createPractice(t.app, authorB, { visibility: Visibility.TLP_CLEAR, tags: ['Some Other Topic'], title: 'not matching the filter' }),
      ];

      const result = await preview(subscriber, subscription.id);

      expect(result.entries.map((e) => e.title)).toEqual(shown.map((p) => p.title));
      expect(result.entries.map((e) => e.id)).toEqual(shown.map((p) => p.gid));
      expect(result.count).toBe(4);
      for (const p of left) expect(result.entries.map((e) => e.id)).not.toContain(p.gid);
      // A preview records nothing.
      expect(await t.dataSource.query(`SELECT 1 FROM digest_entry WHERE subscription_id = $1`, [rowId(subscription.id)])).toHaveLength(0);
      expect(await t.dataSource.query(`SELECT 1 FROM digest_delivery WHERE subscription_id = $1`, [rowId(subscription.id)])).toHaveLength(0);
    });

    it('matches tags by slug: a subscription to "Cyber Security" holds a practice tagged "cyber-security", not one tagged "Cyber"', async () => {
      const orgB = await createOrganisation(t.app);
      const subscriber = await member();
      const author = await member([Role.CONTRIBUTOR], orgB);
      // Narrowed to a fresh organisation, so other tests' cyber-security practices stay out.
      const subscription = await create(t, subscriber, { filter: { tags: ['Cyber Security'], organisationSlugs: [orgB.slug.toUpperCase()] } });
      expect(subscription.filter).toMatchObject({ tags: ['cyber-security'], organisationSlugs: [orgB.slug] });

      const bySlug = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['cyber-security'] });
      const byLabel = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['CYBER  security'] });
      const other = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['Cyber'] });
      const untagged = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['Phishing'] });

      const ids = (await preview(subscriber, subscription.id)).entries.map((e) => e.id);

      expect(ids).toEqual([bySlug.gid, byLabel.gid]);
      expect(ids).not.toContain(other.gid);
      expect(ids).not.toContain(untagged.gid);
    });

    it('organisationKinds and countries narrow it, as do organisation slugs given in any case', async () => {
      const tag = `Candidate Safety ${unique()}`;
      const council = await createOrganisation(t.app, { kind: OrganisationKind.UK_COUNCIL, country: 'GB' });
      const overseas = await createOrganisation(t.app, { kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'FR' });
      const central = await createOrganisation(t.app, { kind: OrganisationKind.UK_CENTRAL_GOVERNMENT, country: 'GB' });
      const subscriber = await member();
      const byKind = await create(t, subscriber, { filter: { tags: [tag], organisationKinds: ['OVERSEAS_AUTHORITY', 'UK_CENTRAL_GOVERNMENT'] } });
      const byCountry = await create(t, subscriber, { filter: { tags: [tag], countries: ['fr'] } });
      const byBoth = await create(t, subscriber, { filter: { tags: [tag], countries: ['GB'], organisationKinds: ['UK_COUNCIL'] } });
      const bySlug = await create(t, subscriber, { filter: { tags: [tag], organisationSlugs: [central.slug.toUpperCase()] } });
      const unfiltered = await create(t, subscriber, { filter: { tags: [tag] } });

      const fromCouncil = await createPractice(t.app, await member([Role.CONTRIBUTOR], council), { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      const fromOverseas = await createPractice(t.app, await member([Role.CONTRIBUTOR], overseas), { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      const fromCentral = await createPractice(t.app, await member([Role.CONTRIBUTOR], central), { visibility: Visibility.TLP_GREEN, tags: [tag] });

      const ids = async (s: Record<string, any>) => (await preview(subscriber, s.id)).entries.map((e) => e.id);
      expect(await ids(byKind)).toEqual([fromOverseas.gid, fromCentral.gid]);
      expect(await ids(byCountry)).toEqual([fromOverseas.gid]);
      expect(await ids(byBoth)).toEqual([fromCouncil.gid]);
      expect(await ids(bySlug)).toEqual([fromCentral.gid]);
      expect(await ids(unfiltered)).toEqual([fromCouncil.gid, fromOverseas.gid, fromCentral.gid]);
    });

    it('the free-text query narrows it', async () => {
      const tag = `Ballots ${unique()}`;
      const word = `zebra${unique().replace(/\d/g, 'q')}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag], query: word } });

      const matching = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title: `About the ${word}` });
      await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title: 'About something else' });

      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([matching.gid]);
    });

    it('leaves out practices already recorded in digest_entry for this subscription, and only for it', async () => {
      const tag = `Sent Before ${unique()}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });
      const sibling = await create(t, subscriber, { filter: { tags: [tag] } });
      const sent = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag] });
      const fresh = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag] });
      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([sent.gid, fresh.gid]);

      const [delivery] = await t.dataSource.query(
        `INSERT INTO digest_delivery (subscription_id, period_key, status, message_id, attempts, sent_at) VALUES ($1, $2, 'SENT', $3, 1, now()) RETURNING id`,
        [rowId(subscription.id), new Date().toISOString().slice(0, 10), `<digest-${unique()}@practice-exchange.test>`],
      );
      await t.dataSource.query(`INSERT INTO digest_entry (subscription_id, practice_id, delivery_id) VALUES ($1, $2, $3)`, [rowId(subscription.id), sent.id, delivery.id]);

      const result = await preview(subscriber, subscription.id);
      expect(result.entries.map((e) => e.id)).toEqual([fresh.gid]);
      expect(result.count).toBe(1);
      // Another subscription of the same member still gets it.
      expect((await preview(subscriber, sibling.id)).entries.map((e) => e.id)).toEqual([sent.gid, fresh.gid]);
    });

    it('follows the read rule at preview time: a practice hidden after publication drops out', async () => {
      const tag = `Later Hidden ${unique()}`;
      const subscriber = await member();
      const author = await member();
      const subscription = await create(t, subscriber, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      expect((await preview(subscriber, subscription.id)).entries.map((e) => e.id)).toEqual([practice.gid]);

      await hide(practice.gid);

      expect((await preview(subscriber, subscription.id)).count).toBe(0);
    });
  });

  describe('the delivery log', () => {
    const LOG = `query($last: Int) { digestSubscriptions { id deliveries(last: $last) { id periodKey status attempts lastError sentAt } } }`;
    const DELIVERY_NODE = `query($id: ID!) { node(id: $id) { __typename id ... on DigestDelivery { periodKey status lastError } } }`;

    /** A subscription with two deliveries: one built by the delivery service (SENT), then one that failed for good. */
    async function withLog() {
      const organisation = await createOrganisation(t.app);
      const owner = await member([Role.CONTRIBUTOR], organisation);
      const author = await member();
      const tag = `Delivery Log ${unique()}`;
      const subscription = await create(t, owner, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, tags: [tag] });
      expect(await t.app.get(DigestDeliveryService).deliver(rowId(subscription.id), 'daily:2026-12-01')).toBe('sent');
      await t.dataSource.query(
        `INSERT INTO digest_delivery (subscription_id, period_key, message_id, status, attempts, last_error, created_at)
         VALUES ($1, 'daily:2026-12-02', 'msg_failed', 'FAILED', 1, '550 mailbox unavailable', now() + interval '1 second')`,
        [rowId(subscription.id)],
      );
      return { owner, organisation, subscription, practice };
    }

    it('shows the owner their deliveries, newest first, with the failure that a permanent refusal recorded', async () => {
      const { owner, subscription } = await withLog();

      const listed = expectOk(await t.gql(LOG, {}, owner.token), 'digestSubscriptions') as { id: string; deliveries: Record<string, any>[] }[];

      const log = listed.find((s) => s.id === subscription.id)!.deliveries;
      expect(log.map((d) => [d.periodKey, d.status, d.attempts, d.lastError])).toEqual([
        ['daily:2026-12-02', 'FAILED', 1, '550 mailbox unavailable'],
        ['daily:2026-12-01', 'SENT', 1, null],
      ]);
      expect(log[1]!.sentAt).toEqual(expect.any(String));
      const rows = await t.dataSource.query(`SELECT id FROM digest_delivery WHERE subscription_id = $1 ORDER BY created_at DESC`, [rowId(subscription.id)]);
      expect(log.map((d) => d.id)).toEqual(rows.map((r: { id: string }) => toGlobalId('DigestDelivery', r.id)));
      const newest = expectOk(await t.gql(LOG, { last: 1 }, owner.token), 'digestSubscriptions') as { id: string; deliveries: Record<string, any>[] }[];
      expect(newest.find((s) => s.id === subscription.id)!.deliveries.map((d) => d.periodKey)).toEqual(['daily:2026-12-02']);
    });

    it('node(id:) gives a delivery to its owner only: null to another member, an admin of the same organisation and anonymous callers', async () => {
      const { owner, organisation, subscription } = await withLog();
      const [row] = await t.dataSource.query(`SELECT id FROM digest_delivery WHERE subscription_id = $1 AND status = 'FAILED'`, [rowId(subscription.id)]);
      const id = toGlobalId('DigestDelivery', row.id);

      const own = await t.gql(DELIVERY_NODE, { id }, owner.token);
      expect(own.errors).toBeUndefined();
      expect(own.data!.node).toEqual({ __typename: 'DigestDelivery', id, periodKey: 'daily:2026-12-02', status: 'FAILED', lastError: '550 mailbox unavailable' });

      const orgAdmin = await member([Role.ORG_ADMIN], organisation);
      for (const token of [(await member()).token, orgAdmin.token, (await member([Role.PLATFORM_ADMIN])).token, undefined]) {
        const response = await t.gql(DELIVERY_NODE, { id }, token);
        expect(response.errors).toBeUndefined();
        expect(response.data!.node).toBeNull();
      }
    });

    it('refuses last outside 1 to 100 with a BAD_USER_INPUT naming last', async () => {
      const { owner } = await withLog();
      for (const last of [0, -1, 101]) {
        const response = await t.gql(LOG, { last }, owner.token);
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.errors![0]!.extensions!.field).toBe('last');
        expect(response.errors![0]!.message).toContain('between 1 and 100');
      }
    });
  });
});

describe('digest subscriptions with SMTP_URL set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
  });
  afterAll(() => t.close());

  it('accepts EMAIL, with neither a webhook secret nor a feed address', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const created = expectOk(await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'WEEKLY', channel: 'EMAIL' } }, owner.token), 'createDigestSubscription');

    expect(created).toMatchObject({ name: 'Mail me', channel: 'EMAIL', frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7, timeZone: 'Europe/London', webhookUrl: null, webhookSecret: null, feedUrl: null });
    expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ member_id: owner.member.id, channel: 'EMAIL', webhook_url: null, webhook_secret_sealed: null });
  });

  it('rotateDigestSubscriptionSecret on EMAIL is a BAD_USER_INPUT and changes nothing', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    const created = expectOk(await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token), 'createDigestSubscription');
    const before = (await subscriptionRow(t, rowId(created.id)))!;

    const response = await t.gql(ROTATE, { id: created.id }, owner.token);

    expectCode(response, 'BAD_USER_INPUT');
    expect(await subscriptionRow(t, rowId(created.id))).toEqual(before);
  });

  it('switching from EMAIL to WEBHOOK creates a secret; back to EMAIL drops it', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    const created = expectOk(await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token), 'createDigestSubscription');

    const webhook = expectOk(await t.gql(UPDATE, { input: { id: created.id, channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/from-mail' } }, owner.token), 'updateDigestSubscription');
    expect(webhook.webhookSecret).toMatch(/^whsec_/);
    const row = (await subscriptionRow(t, rowId(created.id)))!;
    expect(openSecret(row.webhook_secret_sealed, APP_SECRET)).toBe(webhook.webhookSecret);

    const email = expectOk(await t.gql(UPDATE, { input: { id: created.id, channel: 'EMAIL', webhookUrl: null } }, owner.token), 'updateDigestSubscription');
    expect(email).toMatchObject({ channel: 'EMAIL', webhookUrl: null, webhookSecret: null });
    expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ channel: 'EMAIL', webhook_url: null, webhook_secret_sealed: null });
  });

  it('still refuses http:// webhooks (OUTBOUND_ALLOW_PRIVATE_NETWORKS is not set)', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const response = await t.gql(CREATE, { input: { name: 'Plain', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:9/hook' } }, owner.token);

    expectCode(response, 'BAD_USER_INPUT');
    expect(await rowsOfMember(t, owner)).toHaveLength(0);
  });
});

describe('digest subscriptions with OUTBOUND_ALLOW_PRIVATE_NETWORKS=true', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  });
  afterAll(() => t.close());

  it('accepts an http:// webhook on loopback', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const created = expectOk(
      await t.gql(CREATE, { input: { name: 'Local receiver', frequency: 'IMMEDIATE', channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:9/hook' } }, owner.token),
      'createDigestSubscription',
    );

    expect(created).toMatchObject({ channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(created.webhookSecret).toMatch(/^whsec_/);
    expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ webhook_url: 'http://127.0.0.1:9/hook' });
  });

  it('still refuses EMAIL without SMTP_URL', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const response = await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token);

    expectCode(response, 'BAD_USER_INPUT');
    expect(response.errors![0]!.message).toContain('SMTP_URL');
  });
});
