import { openSecret } from '#digests';
import { feedTokenMatches, feedTokenSubscriptionId } from '../../libs/digests/src/subscriptions/feed-token.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { rowId } from '../support/digests.js';
import { APP_SECRET, PUBLIC_URL, CREATE, expectCode, subscriptionRow, rowsOfMember, create, subscriptionMembers } from '../support/digest-subscriptions.js';

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
describe('digest subscriptions through the API', () => {
  let t: TestApp;

  beforeAll(async () => {
    // DATABASE_URL is set (so demo mode is off) and SMTP_URL is not.
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const { member } = subscriptionMembers(() => t);

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

      expect(created).toMatchObject({
        name: 'Our SIEM',
        channel: 'WEBHOOK',
        frequency: 'IMMEDIATE',
        webhookUrl: 'https://hooks.example.org/pe',
        feedUrl: null,
        pausedAt: null,
      });
      expect(created.webhookSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const row = (await subscriptionRow(t, rowId(created.id)))!;
      expect(row).toMatchObject({
        member_id: owner.member.id,
        name: 'Our SIEM',
        channel: 'WEBHOOK',
        frequency: 'IMMEDIATE',
        webhook_url: 'https://hooks.example.org/pe',
        paused_at: null,
      });
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

    it.each(['http://hooks.example.org/pe', 'http://127.0.0.1:8080/hook'])(
      'WEBHOOK to %s is refused (https only) without OUTBOUND_ALLOW_PRIVATE_NETWORKS',
      async (webhookUrl) => {
        const owner = await member();

        const response = await t.gql(CREATE, { input: { name: 'Plain http', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl } }, owner.token);

        expectCode(response, 'BAD_USER_INPUT');
        expect(response.errors![0]!.message).toContain('webhookUrl');
        expect(await rowsOfMember(t, owner)).toHaveLength(0);
      },
    );

    it.each(['ftp://hooks.example.org/pe', 'javascript:alert(1)', 'not a url'])(
      'a webhookUrl that is not http(s) (%s) is a BAD_USER_INPUT',
      async (webhookUrl) => {
        const owner = await member();

        const response = await t.gql(CREATE, { input: { name: 'Odd', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl } }, owner.token);

        expectCode(response, 'BAD_USER_INPUT');
        expect(await rowsOfMember(t, owner)).toHaveLength(0);
      },
    );

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
      ['a tag without letters or digits among good ones', { filter: { tags: ['Phishing', '!!!'] } }],
    ])('%s is a BAD_USER_INPUT and stores nothing', async (_label, input) => {
      const owner = await member();

      const response = await t.gql(CREATE, { input: { name: 'Refused', frequency: 'DAILY', channel: 'ATOM', ...input } }, owner.token);

      expectCode(response, 'BAD_USER_INPUT');
      expect(await rowsOfMember(t, owner)).toHaveLength(0);
    });

    it('refuses a tag without letters or digits as the practice list does', async () => {
      const owner = await member();

      const response = await t.gql(
        CREATE,
        { input: { name: 'Refused', frequency: 'DAILY', channel: 'ATOM', filter: { tags: ['Phishing', '#!'] } } },
        owner.token,
      );

      expectCode(response, 'BAD_USER_INPUT');
      expect(response.errors![0]!.message).toBe('filter.tags: "#!" has no letters or digits');
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
});
