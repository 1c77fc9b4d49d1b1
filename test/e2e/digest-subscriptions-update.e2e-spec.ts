import { openSecret } from '#digests';
import { feedTokenMatches } from '../../libs/digests/src/subscriptions/feed-token.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { rowId } from '../support/digests.js';
import { APP_SECRET, UPDATE, ROTATE, NODE, expectCode, subscriptionRow, create, subscriptionMembers } from '../support/digest-subscriptions.js';

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

      const refiltered = expectOk(
        await t.gql(UPDATE, { input: { id: created.id, filter: { tags: ['Fake Accounts'] } } }, owner.token),
        'updateDigestSubscription',
      );
      expect(refiltered).toEqual({
        ...created,
        name: 'After',
        hour: 22,
        filter: { query: null, tags: ['fake-accounts'], organisationSlugs: [], organisationKinds: [], countries: [] },
      });
      const last = (await subscriptionRow(t, rowId(created.id)))!;
      expect(last).toMatchObject({
        name: 'After',
        hour: 22,
        weekday: 'WEDNESDAY',
        time_zone: 'Europe/Paris',
        frequency: 'WEEKLY',
        channel: 'WEBHOOK',
        webhook_url: 'https://hooks.example.org/keep',
        filter: { tags: ['fake-accounts'] },
      });
      expect(last.webhook_secret_sealed).toBe(before.webhook_secret_sealed);
    });

    it('changing the webhookUrl of a WEBHOOK subscription keeps its secret', async () => {
      const owner = await member();
      const created = await create(t, owner, { channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/one' });

      const updated = expectOk(
        await t.gql(UPDATE, { input: { id: created.id, webhookUrl: 'https://hooks.example.org/two' } }, owner.token),
        'updateDigestSubscription',
      );

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

      const updated = expectOk(
        await t.gql(UPDATE, { input: { id: created.id, channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/switch' } }, owner.token),
        'updateDigestSubscription',
      );

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
});
