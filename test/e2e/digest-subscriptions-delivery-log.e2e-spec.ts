import { Role, toGlobalId } from '#identity';
import { Visibility } from '#practices';
import { DigestDeliveryService } from '#digests';
import { createOrganisation, createPractice } from '../factories/index.js';
import { errorCode, expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';
import { create, subscriptionMembers } from '../support/digest-subscriptions.js';

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
      expect(own.data!.node).toEqual({
        __typename: 'DigestDelivery',
        id,
        periodKey: 'daily:2026-12-02',
        status: 'FAILED',
        lastError: '550 mailbox unavailable',
      });

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
