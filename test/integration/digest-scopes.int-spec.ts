/**
 * A token's scopes bind digests too (docs/adr/0006-token-scopes-bind-digests.md): a digest is composed for its member under
 * the scopes of whoever last created or changed the subscription, so a subscription saved through an API token
 * without `read` carries only what the public reads (TLP_CLEAR), on every channel, against real peers: digestPreview
 * through GraphQL, the e-mail an smtp-server on 127.0.0.1 receives, the call an HTTP receiver verifies with the
 * published `standardwebhooks` package, the secret Atom feed over HTTP (also after the scheduler's batched Atom
 * build), and the immediate fan-out after a publication. The same member's subscriptions saved from a session or a
 * token with `read` carry GREEN and AMBER as before; saving a subscription again moves it to the saver's scopes
 * (upgraded by a full token, downgraded by a write-only one), and a caller who may not read what a subscription
 * carries is not handed its webhook secret or feed address.
 */
import type { ParsedMail } from 'mailparser';
import { ApiTokenService, TokenScope, type OrganisationEntity } from '#identity';
import { Visibility, type PracticeEntity } from '#practices';
import { DigestChannel, DigestDeliveryService, DigestDispatchService, DigestFrequency, type DigestPayloadV1 } from '#digests';
import { DigestSubscriptionService } from '../../libs/digests/src/subscriptions/digest-subscription.service.js';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { entryRows, subscribe, type Subscribed } from '../support/digests.js';
import { startHttpPeer, verifiedWebhook } from '../support/http-peer.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

const PERIOD = 'daily:2026-11-25';
const PREVIEW = `query($id: ID!) { digestPreview(subscriptionId: $id) { entries { id } } }`;
const LIST = `query { digestSubscriptions { id webhookSecret feedUrl } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on DigestSubscription { id webhookSecret feedUrl } } }`;
const UPDATE = `mutation($input: UpdateDigestSubscriptionInput!) { updateDigestSubscription(input: $input) { id } }`;
const ROTATE = `mutation($id: ID!) { rotateDigestSubscriptionSecret(input: { id: $id }) { id feedUrl } }`;
const PUBLIC_ONLY = `query { digestSubscriptions { id publicOnly } }`;

interface Receiver {
  url: string;
  secret: string;
  payloads: DigestPayloadV1[];
  close(): Promise<void>;
}

/** An HTTP receiver on 127.0.0.1 that keeps every call it can verify with the subscription's secret. */
async function startReceiver(): Promise<Receiver> {
  const peer = await startHttpPeer({
    respond: (request) => {
      const payload = verifiedWebhook<DigestPayloadV1>(state.secret, request);
      if (!payload) return { status: 401 };
      state.payloads.push(payload);
      return { status: 200 };
    },
  });
  const state: Receiver = { url: peer.url, secret: '', payloads: [], close: () => peer.close() };
  return state;
}

describe('digests compose under the scopes their subscription was saved with', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    for (const r of receivers) await r.close();
  });

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  }

  /**
   * An author's organisation and a subscriber's; `full` is the subscriber with a token of every scope, `writeOnly`
   * the same member through a token with only `write` (which may manage subscriptions, but not read).
   */
  async function scene() {
    const tag = `Topic ${unique()}`;
    const subscriberOrganisation = await createOrganisation(t.app);
    const author = await createMember(t.app, await createOrganisation(t.app));
    const full = await createMember(t.app, subscriberOrganisation);
    const { token } = await t.app.get(ApiTokenService).createForMember(full.member, { name: 'write only', scopes: [TokenScope.WRITE] });
    const writeOnly: TestMember = { ...full, token };
    return { tag, author, full, writeOnly, subscriberOrganisation };
  }

  /** One practice at each level the subscriber's organisation could read: CLEAR, GREEN, and AMBER naming it. */
  async function publishLevels(author: TestMember, tag: string, audience: OrganisationEntity) {
    const clear = await createPractice(t.app, author, {
      visibility: Visibility.TLP_CLEAR,
      tags: [tag],
      title: `Clear ${unique()}`,
      summary: `Clear summary ${unique()}`,
    });
    const green = await createPractice(t.app, author, {
      visibility: Visibility.TLP_GREEN,
      tags: [tag],
      title: `Green ${unique()}`,
      summary: `Green summary ${unique()}`,
    });
    const amber = await createPractice(t.app, author, {
      visibility: Visibility.TLP_AMBER,
      audience: [audience],
      tags: [tag],
      title: `Amber ${unique()}`,
      summary: `Amber summary ${unique()}`,
    });
    return { clear, green, amber };
  }

  async function previewIds(subscription: Subscribed, token: string): Promise<string[]> {
    const response = await t.gql(PREVIEW, { id: subscription.gid }, token);
    expect(response.errors).toBeUndefined();
    return (response.data!.digestPreview.entries as { id: string }[]).map((e) => e.id).sort();
  }

  async function feedXml(feedUrl: string): Promise<string> {
    const response = await fetch(`${t.baseUrl}${new URL(feedUrl).pathname}`);
    expect(response.status).toBe(200);
    return response.text();
  }

  function mailText(mail: ParsedMail): string {
    return `${mail.subject ?? ''}\n${mail.text ?? ''}\n${(mail.html || '') as string}`;
  }

  function expectOnly(text: string, shown: PracticeEntity[], left: PracticeEntity[]): void {
    for (const p of shown) expect(text).toContain(p.title);
    for (const p of left) {
      expect(text).not.toContain(p.title);
      expect(text).not.toContain(p.summary);
      expect(text).not.toContain(p.id);
    }
  }

  const gids = (...practices: (PracticeEntity & { gid: string })[]) => practices.map((p) => p.gid).sort();

  it('a subscription made through a token without read carries only TLP_CLEAR: preview, e-mail, webhook, Atom feed after the batched build', async () => {
    const { tag, author, writeOnly, full, subscriberOrganisation } = await scene();
    const target = await receiver();
    const mail = await subscribe(t, writeOnly, { filter: { tags: [tag] } });
    const hook = await subscribe(t, writeOnly, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
    target.secret = hook.webhookSecret!;
    const atom = await subscribe(t, writeOnly, { channel: 'ATOM', filter: { tags: [tag] } });
    const { clear, green, amber } = await publishLevels(author, tag, subscriberOrganisation);

    // The preview, through the token that made it and through the member's full token alike.
    expect(await previewIds(mail, writeOnly.token)).toEqual(gids(clear));
    expect(await previewIds(hook, full.token)).toEqual(gids(clear));

    const delivery = t.app.get(DigestDeliveryService);
    expect(await delivery.deliver(mail.id, PERIOD)).toBe('sent');
    expect(await delivery.deliver(hook.id, PERIOD)).toBe('sent');
    expect(await delivery.deliverMany([{ subscriptionId: atom.id, periodKey: PERIOD, channel: DigestChannel.ATOM }])).toEqual(['sent']);

    const mails = await mailsTo(smtp, full.member.email);
    expect(mails).toHaveLength(1);
    expectOnly(mailText(mails[0]!), [clear], [green, amber]);
    expect(target.payloads).toHaveLength(1);
    expect(target.payloads[0]!.data.entries.map((e) => e.id)).toEqual([clear.gid]);
    expectOnly(JSON.stringify(target.payloads[0]), [clear], [green, amber]);
    const xml = await feedXml(atom.feedUrl!);
    expectOnly(xml, [clear], [green, amber]);
    for (const s of [mail, hook, atom]) expect((await entryRows(t, s.id)).map((e) => e.practice_id)).toEqual([clear.id]);
    // It says so to its owner.
    const listed = await t.gql(PUBLIC_ONLY, {}, full.token);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.digestSubscriptions.map((s: { publicOnly: boolean }) => s.publicOnly)).toEqual([true, true, true]);
  });

  it("the same member's subscriptions saved from a session or a token with read carry GREEN and AMBER as before", async () => {
    const { tag, author, full, subscriberOrganisation } = await scene();
    const target = await receiver();
    const mail = await subscribe(t, full, { filter: { tags: [tag] } });
    const hook = await subscribe(t, full, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
    target.secret = hook.webhookSecret!;
    // A session: the member's own actor, with no token scopes to narrow it.
    const session = await t.app
      .get(DigestSubscriptionService)
      .create(full.actor, { name: 'From a session', frequency: DigestFrequency.DAILY, channel: DigestChannel.ATOM, filter: { tags: [tag] } });
    const sessionFeed = t.app.get(DigestSubscriptionService).secretsOf(session, full.actor).feedUrl!;
    const { clear, green, amber } = await publishLevels(author, tag, subscriberOrganisation);

    expect(await previewIds(mail, full.token)).toEqual(gids(clear, green, amber));

    const delivery = t.app.get(DigestDeliveryService);
    expect(await delivery.deliver(mail.id, PERIOD)).toBe('sent');
    expect(await delivery.deliver(hook.id, PERIOD)).toBe('sent');
    expect(await delivery.deliverMany([{ subscriptionId: session.id, periodKey: PERIOD, channel: DigestChannel.ATOM }])).toEqual(['sent']);

    const mails = await mailsTo(smtp, full.member.email);
    expect(mails).toHaveLength(1);
    expectOnly(mailText(mails[0]!), [clear, green, amber], []);
    expect(target.payloads[0]!.data.entries.map((e) => e.id).sort()).toEqual(gids(clear, green, amber));
    const xml = await feedXml(sessionFeed);
    expect(xml).toContain(clear.title);
    expect(xml).toContain(green.title);
    // AMBER in a feed is a stub naming the practice's address, never its text.
    expect(xml).toContain(`urn:uuid:${amber.id}`);
    expect(xml).not.toContain(amber.title);
  });

  it('a full token saving a write-only subscription upgrades it; a write-only token saving a full one downgrades it, and is never handed its secrets', async () => {
    const { tag, author, full, writeOnly, subscriberOrganisation } = await scene();
    const made = await subscribe(t, writeOnly, { channel: 'ATOM', filter: { tags: [tag] } });
    const kept = await subscribe(t, full, { channel: 'ATOM', filter: { tags: [tag] } });

    // The write-only token may manage the full subscription, but not read what it carries: no feed address.
    const listed = await t.gql(LIST, {}, writeOnly.token);
    expect(listed.errors).toBeUndefined();
    const byId = new Map((listed.data!.digestSubscriptions as { id: string; feedUrl: string | null }[]).map((s) => [s.id, s]));
    expect(byId.get(made.gid)!.feedUrl).toBe(made.feedUrl);
    expect(byId.get(kept.gid)!.feedUrl).toBeNull();
    const node = await t.gql(NODE, { id: kept.gid }, writeOnly.token);
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toEqual({ id: kept.gid, webhookSecret: null, feedUrl: null });
    // Nor does the preview show it more than the public reads.
    const { clear, green, amber } = await publishLevels(author, tag, subscriberOrganisation);
    expect(await previewIds(kept, writeOnly.token)).toEqual(gids(clear));
    expect(await previewIds(kept, full.token)).toEqual(gids(clear, green, amber));
    expectOnly(await feedXml(made.feedUrl!), [clear], [green, amber]);

    // Upgraded: saved again through the full token.
    expect((await t.gql(UPDATE, { input: { id: made.gid, name: 'Saved with read' } }, full.token)).errors).toBeUndefined();
    expect(await previewIds(made, full.token)).toEqual(gids(clear, green, amber));
    const upgraded = await feedXml(made.feedUrl!);
    expect(upgraded).toContain(green.title);
    expect(upgraded).toContain(`urn:uuid:${amber.id}`);

    // Downgraded: saved again through the write-only token; the feed address the full token was given now reads
    // only what the public reads.
    expect((await t.gql(UPDATE, { input: { id: kept.gid, name: 'Saved without read' } }, writeOnly.token)).errors).toBeUndefined();
    expect(await previewIds(kept, full.token)).toEqual(gids(clear));
    expectOnly(await feedXml(kept.feedUrl!), [clear], [green, amber]);
    const rows = await t.dataSource.query(
      `SELECT id, composer_scopes::text[] AS composer_scopes FROM digest_subscription WHERE id = ANY($1::uuid[]) ORDER BY created_at`,
      [[made.id, kept.id]],
    );
    expect(rows).toEqual([
      { id: made.id, composer_scopes: expect.arrayContaining(['read']) },
      { id: kept.id, composer_scopes: ['write'] },
    ]);
  });

  it('rotating a secret through a write-only token hands out a feed that reads only what the public reads', async () => {
    const { tag, author, full, writeOnly, subscriberOrganisation } = await scene();
    const kept = await subscribe(t, full, { channel: 'ATOM', filter: { tags: [tag] } });
    const { clear, green, amber } = await publishLevels(author, tag, subscriberOrganisation);

    const rotated = await t.gql(ROTATE, { id: kept.gid }, writeOnly.token);
    expect(rotated.errors).toBeUndefined();
    const feedUrl = rotated.data!.rotateDigestSubscriptionSecret.feedUrl as string;
    expect(feedUrl).not.toBe(kept.feedUrl);

    expectOnly(await feedXml(feedUrl), [clear], [green, amber]);
  });

  it('after a publication, the immediate fan-out asks for a digest only where the subscription may read the practice', async () => {
    const { tag, author, full, writeOnly } = await scene();
    const narrow = await subscribe(t, writeOnly, { frequency: 'IMMEDIATE', filter: { tags: [tag] } });
    const wide = await subscribe(t, full, { frequency: 'IMMEDIATE', filter: { tags: [tag] } });
    const green = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag] });

    const requests = (await t.app.get(DigestDispatchService).forPublication(green.id)).map((r) => r.subscriptionId);

    expect(requests).toContain(wide.id);
    expect(requests).not.toContain(narrow.id);
    expect(await t.app.get(DigestDeliveryService).deliver(narrow.id, `immediate:${green.id}`)).toBe('nothing-new');
    expect(await entryRows(t, narrow.id)).toEqual([]);
  });
});
