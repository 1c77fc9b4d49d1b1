import { Role } from '#identity';
import { Visibility } from '#practices';
import { createOrganisation, createPractice } from '../factories/index.js';
import { errorCode, expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { rowId } from '../support/digests.js';
import { DELETE, LIST, NODE, DEACTIVATE, expectCode, subscriptionRow, rowsOfMember, create, subscriptionMembers } from '../support/digest-subscriptions.js';

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
      await t.dataSource.query(`INSERT INTO digest_entry (subscription_id, practice_id, delivery_id) VALUES ($1, $2, $3)`, [
        rowId(created.id),
        practice.id,
        delivery.id,
      ]);

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
      await t.dataSource.query(`UPDATE digest_subscription SET paused_at = now() - interval '1 day', pause_reason = 'webhook failing' WHERE id = $1`, [
        rowId(failing.id),
      ]);

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
});
