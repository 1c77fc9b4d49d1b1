import { openSecret } from '#digests';
import { createMember, createOrganisation } from '../factories/index.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { rowId } from '../support/digests.js';
import { APP_SECRET, CREATE, UPDATE, ROTATE, expectCode, subscriptionRow, rowsOfMember } from '../support/digest-subscriptions.js';

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
describe('digest subscriptions with SMTP_URL set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
  });
  afterAll(() => t.close());

  it('accepts EMAIL, with neither a webhook secret nor a feed address', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const created = expectOk(
      await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'WEEKLY', channel: 'EMAIL' } }, owner.token),
      'createDigestSubscription',
    );

    expect(created).toMatchObject({
      name: 'Mail me',
      channel: 'EMAIL',
      frequency: 'WEEKLY',
      weekday: 'MONDAY',
      hour: 7,
      timeZone: 'Europe/London',
      webhookUrl: null,
      webhookSecret: null,
      feedUrl: null,
    });
    expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({
      member_id: owner.member.id,
      channel: 'EMAIL',
      webhook_url: null,
      webhook_secret_sealed: null,
    });
  });

  it('rotateDigestSubscriptionSecret on EMAIL is a BAD_USER_INPUT and changes nothing', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    const created = expectOk(
      await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token),
      'createDigestSubscription',
    );
    const before = (await subscriptionRow(t, rowId(created.id)))!;

    const response = await t.gql(ROTATE, { id: created.id }, owner.token);

    expectCode(response, 'BAD_USER_INPUT');
    expect(await subscriptionRow(t, rowId(created.id))).toEqual(before);
  });

  it('switching from EMAIL to WEBHOOK creates a secret; back to EMAIL drops it', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    const created = expectOk(
      await t.gql(CREATE, { input: { name: 'Mail me', frequency: 'DAILY', channel: 'EMAIL' } }, owner.token),
      'createDigestSubscription',
    );

    const webhook = expectOk(
      await t.gql(UPDATE, { input: { id: created.id, channel: 'WEBHOOK', webhookUrl: 'https://hooks.example.org/from-mail' } }, owner.token),
      'updateDigestSubscription',
    );
    expect(webhook.webhookSecret).toMatch(/^whsec_/);
    const row = (await subscriptionRow(t, rowId(created.id)))!;
    expect(openSecret(row.webhook_secret_sealed, APP_SECRET)).toBe(webhook.webhookSecret);

    const email = expectOk(await t.gql(UPDATE, { input: { id: created.id, channel: 'EMAIL', webhookUrl: null } }, owner.token), 'updateDigestSubscription');
    expect(email).toMatchObject({ channel: 'EMAIL', webhookUrl: null, webhookSecret: null });
    expect(await subscriptionRow(t, rowId(created.id))).toMatchObject({ channel: 'EMAIL', webhook_url: null, webhook_secret_sealed: null });
  });

  it('still refuses http:// webhooks (OUTBOUND_ALLOW_PRIVATE_NETWORKS is not set)', async () => {
    const owner = await createMember(t.app, await createOrganisation(t.app));

    const response = await t.gql(
      CREATE,
      { input: { name: 'Plain', frequency: 'DAILY', channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:9/hook' } },
      owner.token,
    );

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
      await t.gql(
        CREATE,
        { input: { name: 'Local receiver', frequency: 'IMMEDIATE', channel: 'WEBHOOK', webhookUrl: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
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
