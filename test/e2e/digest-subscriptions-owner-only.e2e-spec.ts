import { ApiTokenService, Role, TokenScope, toGlobalId, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { rowId } from '../support/digests.js';
import {
  CREATE,
  UPDATE,
  DELETE,
  ROTATE,
  LIST,
  PREVIEW,
  NODE,
  expectCode,
  subscriptionRow,
  rowsOfMember,
  create,
  subscriptionMembers,
} from '../support/digest-subscriptions.js';

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
});
