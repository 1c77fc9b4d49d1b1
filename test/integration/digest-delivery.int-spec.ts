/**
 * Digest delivery end to end inside one process: DigestDeliveryService.deliver against real peers (an smtp-server on
 * 127.0.0.1 whose mail is parsed with mailparser; an HTTP receiver that verifies every call with the published
 * `standardwebhooks` package; the subscription's Atom feed over HTTP), each case asserting what the peer received AND
 * the digest_delivery / digest_entry rows behind it. Subscriptions are made through GraphQL, the practices are
 * published afterwards with the factories, and deliver() is called directly (the worker only decides when; the last
 * block runs two real workers in this process, and digest-worker-crash.int-spec.ts kills one of two worker processes
 * mid-delivery).
 *
 * Expected rules (README, "Rolling restarts and shutdown"): a practice goes to a subscription once (digest_entry), a
 * delivery is claimed and committed before it is sent, a retry after a crash between sending and recording resends with
 * the SAME Message-ID or webhook-id, every other case sends one mail or call; visibility is evaluated for the
 * subscriber at send time.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressObject, ParsedMail } from 'mailparser';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import { OPERATOR, MemberService, Role, toGlobalId, type OrganisationEntity } from '#identity';
import { FlagAction, FlagService, PracticeService, Visibility } from '#practices';
import { DigestChannel, DigestDeliveryService, DigestDispatchService, verifyUnsubscribeToken, type DeliveryOutcome, type DigestPayloadV1 } from '#digests';
import type { DataSource } from 'typeorm';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { startWorker, type RunningWorker } from '../../apps/worker/src/bootstrap/start-worker.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { createFlag, createMember, createOrganisation, createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe } from '../support/digests.js';
import { startHttpPeer, verifiedWebhook, type PeerRequest } from '../support/http-peer.js';
import { header, mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/** The APP_SECRET startTestApp configures: the unsubscribe token is signed with it. */
const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
/** PUBLIC_URL's default when the test app does not set it. */
const PUBLIC_URL = 'http://localhost:3000';
const PERIOD = 'daily:2026-11-25';

const LIST = `query { digestSubscriptions { id pausedAt pauseReason } }`;

// ---------------------------------------------------------------------------------------------------------------
// Peers

interface ReceivedCall {
  headers: PeerRequest['headers'];
  body: string;
  verified: boolean;
  payload?: DigestPayloadV1;
  answered: number;
}

interface Receiver {
  url: string;
  /** The subscription's whsec_ secret, set once it is known; every call is verified with it. */
  secret: string;
  /** The status a verified call is answered with. */
  status: number;
  received: ReceivedCall[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const peer = await startHttpPeer({
    respond: (request) => {
      const payload = verifiedWebhook<DigestPayloadV1>(state.secret, request);
      const call: ReceivedCall = { headers: request.headers, body: request.body, verified: payload !== undefined, answered: payload ? state.status : 401 };
      if (payload) call.payload = payload;
      state.received.push(call);
      return { status: call.answered };
    },
  });
  const state: Receiver = { url: peer.url, secret: '', status: 200, received: [], close: () => peer.close() };
  return state;
}

// ---------------------------------------------------------------------------------------------------------------
// Database and API helpers

async function subscriptionRow(t: TestApp, id: string): Promise<{ paused_at: Date | null; pause_reason: string | null; last_attempted_at: Date | null } | undefined> {
  const rows = await t.dataSource.query(`SELECT paused_at, pause_reason, last_attempted_at FROM digest_subscription WHERE id = $1`, [id]);
  return rows[0];
}

/** Practice titles in a mail's two parts. */
function expectMailLists(mail: ParsedMail, shown: { title: string; summary: string }[], left: { title: string; summary: string }[] = []): void {
  const text = mail.text ?? '';
  const html = (mail.html || '') as string;
  for (const p of shown) {
    expect(text).toContain(p.title);
    expect(html).toContain(p.title);
  }
  for (const p of left) {
    for (const part of [text, html, mail.subject ?? '']) {
      expect(part).not.toContain(p.title);
      expect(part).not.toContain(p.summary);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('digest delivery to real peers', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let delivery: DigestDeliveryService;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' });
    delivery = t.app.get(DigestDeliveryService);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    for (const r of receivers) await r.close();
  });
  beforeEach(() => {
    smtp.reply = null;
  });

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver();
    receivers.push(started);
    return started;
  }

  /** An author in an organisation of their own, a subscriber in another, a topic only this test uses. */
  async function scene(subscriberOrganisation?: OrganisationEntity) {
    const tag = `Topic ${unique()}`;
    const author = await createMember(t.app, await createOrganisation(t.app));
    const subscriber = await createMember(t.app, subscriberOrganisation ?? (await createOrganisation(t.app)));
    return { tag, author, subscriber };
  }

  const deliver = (subscriptionId: string, periodKey = PERIOD): Promise<DeliveryOutcome> => delivery.deliver(subscriptionId, periodKey);

  describe('deliverMany (a scheduler batch)', () => {
    it('builds the Atom digests of a batch and sends the e-mail one alone; outcomes in request order, and again nothing twice', async () => {
      const { tag, author, subscriber } = await scene();
      const atom = [];
      for (let i = 0; i < 3; i += 1) atom.push(await subscribe(t, subscriber, { channel: 'ATOM', filter: { tags: [tag] } }));
      const empty = await subscribe(t, subscriber, { channel: 'ATOM', filter: { tags: [`Nothing ${unique()}`] } });
      const paused = await subscribe(t, subscriber, { channel: 'ATOM', filter: { tags: [tag] } });
      await t.dataSource.query(`UPDATE digest_subscription SET paused_at = now(), pause_reason = 'test' WHERE id = $1`, [paused.id]);
      const mail = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const practices = [await createPractice(t.app, author, { tags: [tag] }), await createPractice(t.app, author, { tags: [tag] })];
      const requests = [atom[0]!, mail, atom[1]!, empty, paused, atom[2]!].map((s) => ({ subscriptionId: s.id, periodKey: PERIOD, channel: s === mail ? DigestChannel.EMAIL : DigestChannel.ATOM }));

      const outcomes = await delivery.deliverMany(requests);

      expect(outcomes).toEqual(['sent', 'sent', 'sent', 'nothing-new', 'skipped', 'sent']);
      for (const s of [...atom, mail]) {
        expect(await deliveryRows(t, s.id)).toEqual([expect.objectContaining({ period_key: PERIOD, status: 'SENT', attempts: 1 })]);
        expect((await entryRows(t, s.id)).map((e) => e.practice_id).sort()).toEqual(practices.map((p) => p.id).sort());
      }
      for (const s of [empty, paused]) expect(await deliveryRows(t, s.id)).toEqual([]);
      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(1);
      expectMailLists(mails[0]!, practices);

      expect(await delivery.deliverMany(requests)).toEqual(['already-sent', 'already-sent', 'already-sent', 'nothing-new', 'skipped', 'already-sent']);
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(1);
    });
  });

  describe('EMAIL', () => {
    it('sends one mail with the member as To, a stable Message-ID, RFC 8058 one-click headers and both parts; then already-sent, nothing-new, and a later practice once in the next period', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const first = [
        await createPractice(t.app, author, { tags: [tag], title: `Ballot box seals ${unique()}`, summary: `Seal logs ${unique()}` }),
        await createPractice(t.app, author, { tags: [tag], title: `Count centre passes ${unique()}`, summary: `Passes ${unique()}` }),
      ];

      expect(await deliver(sub.id)).toBe('sent');

      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect((mail.to as AddressObject).value.map((a) => a.address)).toEqual([subscriber.member.email]);
      const rows = await deliveryRows(t, sub.id);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(row).toMatchObject({ period_key: PERIOD, status: 'SENT', attempts: 1, last_error: null, next_attempt_at: null });
      expect(row.sent_at).toBeInstanceOf(Date);
      expect(mail.messageId).toBe(`<${row.message_id}@localhost>`);

      const listUnsubscribe = header(mail, 'List-Unsubscribe')!;
      const link = /^<(https?:\/\/[^>\s]+\/unsubscribe\/([^>/\s]+))>$/.exec(listUnsubscribe);
      expect(link).not.toBeNull();
      expect(link![1]!.startsWith(`${PUBLIC_URL}/unsubscribe/`)).toBe(true);
      expect(verifyUnsubscribeToken(link![2]!, APP_SECRET)).toBe(sub.id);
      expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

      expect(mail.text).toBeTruthy();
      expect(mail.html).toBeTruthy();
      expectMailLists(mail, first);
      for (const p of first) {
        expect(mail.text).toContain(p.summary);
        expect(mail.text).toContain(`${PUBLIC_URL}/practices/${p.gid}`);
      }
      expect(mail.subject).toContain('2 new practices');

      // Every practice recorded once, against this delivery.
      expect((await entryRows(t, sub.id)).map((e) => [e.practice_id, e.delivery_id]).sort()).toEqual(first.map((p) => [p.id, row.id]).sort());

      // The same period again: nothing more goes out.
      expect(await deliver(sub.id)).toBe('already-sent');
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(1);
      expect(await deliveryRows(t, sub.id)).toEqual([row]);

      // Another period with nothing new: no mail, and no delivery row left behind for it.
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('nothing-new');
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(1);
      expect((await deliveryRows(t, sub.id)).map((r) => r.period_key)).toEqual([PERIOD]);

      // A practice published later goes in the next period's mail, and in no other.
      const later = await createPractice(t.app, author, { tags: [tag], title: `Polling station notices ${unique()}`, summary: `Notices ${unique()}` });
      expect(await deliver(sub.id)).toBe('already-sent');
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('sent');
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('already-sent');
      expect(await deliver(sub.id, 'daily:2026-11-27')).toBe('nothing-new');

      const all = await mailsTo(smtp, subscriber.member.email);
      expect(all).toHaveLength(2);
      expectMailLists(all[1]!, [later], first);
      expect(all[1]!.messageId).not.toBe(all[0]!.messageId);
      expect(all.filter((m) => m.text!.includes(later.title))).toHaveLength(1);
      const after = await deliveryRows(t, sub.id);
      expect(after.map((r) => [r.period_key, r.status, r.attempts])).toEqual([
        [PERIOD, 'SENT', 1],
        ['daily:2026-11-26', 'SENT', 1],
      ]);
      expect(all[1]!.messageId).toBe(`<${after[1]!.message_id}@localhost>`);
      const entries = await entryRows(t, sub.id);
      expect(entries).toHaveLength(3);
      expect(entries.find((e) => e.practice_id === later.id)!.delivery_id).toBe(after[1]!.id);
    });

    it('two concurrent deliveries of the same subscription and period send exactly one mail', async () => {
      for (let round = 0; round < 3; round += 1) {
        const { tag, author, subscriber } = await scene();
        const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
        const practices = [await createPractice(t.app, author, { tags: [tag] }), await createPractice(t.app, author, { tags: [tag] })];

        const outcomes = await Promise.all([deliver(sub.id), deliver(sub.id)]);

        expect(outcomes).toContain('sent');
        expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
        // The other waited for the claim and found it sent, or found it being sent and will look again later.
        for (const other of outcomes.filter((o) => o !== 'sent')) expect([JSON.stringify('already-sent'), JSON.stringify({ retryAfterMs: 60_000 })]).toContain(JSON.stringify(other));
        const mails = await mailsTo(smtp, subscriber.member.email);
        expect(mails).toHaveLength(1);
        expectMailLists(mails[0]!, practices);
        const rows = await deliveryRows(t, sub.id);
        expect(rows.map((r) => [r.period_key, r.status, r.attempts])).toEqual([[PERIOD, 'SENT', 1]]);
        expect((await entryRows(t, sub.id)).map((e) => e.practice_id).sort()).toEqual(practices.map((p) => p.id).sort());
      }
    });

    it('two periods delivered at once (two schedules) never send a practice twice', async () => {
      for (let round = 0; round < 3; round += 1) {
        const { tag, author, subscriber } = await scene();
        const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
        const practices = [await createPractice(t.app, author, { tags: [tag] }), await createPractice(t.app, author, { tags: [tag] })];

        const outcomes = await Promise.all([deliver(sub.id, 'daily:2026-11-25'), deliver(sub.id, 'immediate:2026-11-25T10:00:00Z')]);

        expect([...outcomes].sort()).toEqual(['nothing-new', 'sent']);
        const mails = await mailsTo(smtp, subscriber.member.email);
        expect(mails).toHaveLength(1);
        expectMailLists(mails[0]!, practices);
        expect((await deliveryRows(t, sub.id)).map((r) => [r.status, r.attempts])).toEqual([['SENT', 1]]);
        expect(await entryRows(t, sub.id)).toHaveLength(2);
      }
    });

    it('a crash between sending and recording: the retry resends with the SAME Message-ID, then the delivery is SENT and no third mail goes out', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { tags: [tag], title: `Crash test ${unique()}` });

      const proto = DigestDeliveryRepository.prototype;
      const original = proto.markSent;
      let calls = 0;
      proto.markSent = async function (this: DigestDeliveryRepository, id: string, at: Date): Promise<void> {
        calls += 1;
        if (calls === 1) throw new Error('the worker died after the SMTP server took the mail');
        return original.call(this, id, at);
      };
      let firstOutcome: DeliveryOutcome | Error;
      try {
        firstOutcome = await deliver(sub.id).catch((error: Error) => error);
        // The mail went out, but the delivery was not recorded as sent.
        expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(1);
        const pending = await deliveryRows(t, sub.id);
        expect(pending).toHaveLength(1);
        expect(pending[0]!.status).toBe('PENDING');

        // The retry.
        expect(await deliver(sub.id)).toBe('sent');
      } finally {
        proto.markSent = original;
      }
      expect(calls).toBe(2);
      // deliver reports the crash: it rejects, or at least does not claim success.
      expect(firstOutcome === 'sent' || firstOutcome === 'already-sent' || firstOutcome === 'nothing-new').toBe(false);

      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(2);
      const rows = await deliveryRows(t, sub.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('SENT');
      // Same Message-ID on both: the receiver drops the second.
      expect(mails.map((m) => m.messageId)).toEqual([`<${rows[0]!.message_id}@localhost>`, `<${rows[0]!.message_id}@localhost>`]);
      expectMailLists(mails[1]!, [practice]);

      expect(await deliver(sub.id)).toBe('already-sent');
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(2);
      expect((await entryRows(t, sub.id)).map((e) => e.practice_id)).toEqual([practice.id]);
    });

    it('a delivery whose send lock another run holds (sending, or hung past its job) is looked at again in a minute, not dropped; once the lock is free it goes out once', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { tags: [tag] });
      smtp.reply = 451;
      expect(await deliver(sub.id)).toEqual({ retryAfterMs: expect.any(Number) });
      smtp.reply = null;
      const [pending] = await deliveryRows(t, sub.id);
      const release = await t.app.get(DigestDeliveryRepository).trySendLock(pending!.id);
      expect(release).not.toBeNull();

      try {
        expect(await deliver(sub.id)).toEqual({ retryAfterMs: 60_000 });
        expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
        expect(await deliveryRows(t, sub.id)).toEqual([expect.objectContaining({ status: 'PENDING', attempts: 1 })]);
      } finally {
        await release!();
      }

      expect(await deliver(sub.id)).toBe('sent');
      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(1);
      expectMailLists(mails[0]!, [practice]);
    });

    it('a temporary SMTP failure (451) is retried later: { retryAfterMs }, the delivery PENDING with attempts 1 and the error; the retry sends once', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const practice = await createPractice(t.app, author, { tags: [tag] });
      smtp.reply = 451;

      const outcome = await deliver(sub.id);

      expect(outcome).toEqual({ retryAfterMs: expect.any(Number) });
      expect((outcome as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
      const [row] = await deliveryRows(t, sub.id);
      expect(row).toMatchObject({ period_key: PERIOD, status: 'PENDING', attempts: 1, sent_at: null });
      expect(row!.last_error).toMatch(/451|deferred/);
      expect(row!.next_attempt_at).toBeInstanceOf(Date);
      expect(await subscriptionRow(t, sub.id)).toMatchObject({ paused_at: null });

      smtp.reply = null;
      expect(await deliver(sub.id)).toBe('sent');
      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(1);
      expectMailLists(mails[0]!, [practice]);
      const [sent] = await deliveryRows(t, sub.id);
      expect(sent).toMatchObject({ status: 'SENT', attempts: 2, last_error: null, message_id: row!.message_id });
      expect(mails[0]!.messageId).toBe(`<${row!.message_id}@localhost>`);
    });

    it('a permanent SMTP failure (550) fails the delivery and pauses the subscription with a reason the member can read', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      await createPractice(t.app, author, { tags: [tag] });
      smtp.reply = 550;

      expect(await deliver(sub.id)).toBe('failed');

      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
      const [row] = await deliveryRows(t, sub.id);
      expect(row).toMatchObject({ status: 'FAILED', attempts: 1, sent_at: null });
      expect(row!.last_error).toMatch(/550|refused/);
      const paused = (await subscriptionRow(t, sub.id))!;
      expect(paused.paused_at).toBeInstanceOf(Date);
      expect(paused.pause_reason).toMatch(/refused|550/);
      const listed = (await t.gql(LIST, {}, subscriber.token)).data!.digestSubscriptions.find((s: any) => s.id === sub.gid);
      expect(listed.pausedAt).toBeTruthy();
      expect(listed.pauseReason).toBe(paused.pause_reason);

      // Paused: nothing more is tried, even once the server accepts again.
      smtp.reply = null;
      expect(await deliver(sub.id)).toBe('skipped');
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('skipped');
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
      expect(await deliveryRows(t, sub.id)).toHaveLength(1);
    });
  });

  describe('WEBHOOK', () => {
    it('a verifying receiver gets one signed digest.v1 call with the entries, recorded as SENT; the same period again calls nobody', async () => {
      const target = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hooks/digests`, filter: { tags: [tag] } });
      target.secret = sub.webhookSecret!;
      const practices = [
        await createPractice(t.app, author, { tags: [tag], title: `Hook one ${unique()}`, summary: 'First.' }),
        await createPractice(t.app, author, { tags: [tag], title: `Hook two ${unique()}`, summary: 'Second.', visibility: Visibility.TLP_CLEAR }),
      ];

      expect(await deliver(sub.id)).toBe('sent');

      expect(target.received).toHaveLength(1);
      const call = target.received[0]!;
      expect(call.verified).toBe(true);
      expect(call.answered).toBe(200);
      const [row] = await deliveryRows(t, sub.id);
      expect(row).toMatchObject({ period_key: PERIOD, status: 'SENT', attempts: 1 });
      expect(call.headers['webhook-id']).toBe(row!.message_id);
      const payload = call.payload!;
      expect(payload.type).toBe('digest.v1');
      expect(payload.data.deliveryId).toBe(row!.id);
      expect(payload.data.subscription.id).toBe(sub.gid);
      expect(payload.data.entries.map((e) => e.id)).toEqual(practices.map((p) => p.gid));
      expect(payload.data.entries.map((e) => e.title)).toEqual(practices.map((p) => p.title));
      expect(payload.data.entries.map((e) => e.visibility)).toEqual(['TLP_GREEN', 'TLP_CLEAR']);
      expect(payload.data.entries[0]!.url).toBe(`${PUBLIC_URL}/practices/${practices[0]!.gid}`);
      expect(payload.data.entries[0]!.tags).toEqual([expect.stringMatching(/^topic-/)]);
      expect((await entryRows(t, sub.id)).map((e) => [e.practice_id, e.delivery_id]).sort()).toEqual(practices.map((p) => [p.id, row!.id]).sort());

      expect(await deliver(sub.id)).toBe('already-sent');
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('nothing-new');
      expect(target.received).toHaveLength(1);
    });

    it('a receiver answering 500 gets { retryAfterMs }; the retry carries the same webhook-id and is then SENT', async () => {
      const target = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
      target.secret = sub.webhookSecret!;
      const practice = await createPractice(t.app, author, { tags: [tag] });
      target.status = 500;

      const outcome = await deliver(sub.id);

      expect(outcome).toEqual({ retryAfterMs: expect.any(Number) });
      const [pending] = await deliveryRows(t, sub.id);
      expect(pending).toMatchObject({ status: 'PENDING', attempts: 1 });
      expect(pending!.last_error).toMatch(/500/);
      expect(target.received).toHaveLength(1);

      target.status = 200;
      expect(await deliver(sub.id)).toBe('sent');

      expect(target.received).toHaveLength(2);
      const [a, b] = target.received;
      expect(a!.verified && b!.verified).toBe(true);
      expect(a!.headers['webhook-id']).toBe(pending!.message_id);
      expect(b!.headers['webhook-id']).toBe(pending!.message_id);
      expect(b!.payload!.data.entries.map((e) => e.id)).toEqual([practice.gid]);
      expect(b!.body).toBe(a!.body.replace(/"timestamp":"[^"]*"/, `"timestamp":"${b!.payload!.timestamp}"`));
      expect((await deliveryRows(t, sub.id))[0]).toMatchObject({ status: 'SENT', attempts: 2, last_error: null });
      expect(await deliver(sub.id)).toBe('already-sent');
      expect(target.received).toHaveLength(2);
    });

    it('a receiver answering 410 Gone: failed, and the subscription is paused', async () => {
      const target = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
      target.secret = sub.webhookSecret!;
      await createPractice(t.app, author, { tags: [tag] });
      target.status = 410;

      expect(await deliver(sub.id)).toBe('failed');

      expect(target.received).toHaveLength(1);
      expect(target.received[0]!.verified).toBe(true);
      const [row] = await deliveryRows(t, sub.id);
      expect(row).toMatchObject({ status: 'FAILED', attempts: 1 });
      expect(row!.last_error).toMatch(/410/);
      const paused = (await subscriptionRow(t, sub.id))!;
      expect(paused.paused_at).toBeInstanceOf(Date);
      expect(paused.pause_reason).toMatch(/410/);

      target.status = 200;
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('skipped');
      expect(target.received).toHaveLength(1);
    });
  });

  describe('WEBHOOK after a crash or a pause', () => {
    it('a crash between calling and recording: the retry carries the SAME webhook-id, then SENT, and no third call', async () => {
      const target = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
      target.secret = sub.webhookSecret!;
      const practice = await createPractice(t.app, author, { tags: [tag] });

      const proto = DigestDeliveryRepository.prototype;
      const original = proto.markSent;
      let calls = 0;
      proto.markSent = async function (this: DigestDeliveryRepository, id: string, at: Date): Promise<void> {
        calls += 1;
        if (calls === 1) throw new Error('the worker died after the receiver answered 200');
        return original.call(this, id, at);
      };
      try {
        const first = await deliver(sub.id).catch((error: Error) => error);
        expect(first === 'sent' || first === 'already-sent').toBe(false);
        expect((await deliveryRows(t, sub.id))[0]!.status).toBe('PENDING');
        expect(await deliver(sub.id)).toBe('sent');
      } finally {
        proto.markSent = original;
      }

      expect(calls).toBe(2);
      const [row] = await deliveryRows(t, sub.id);
      expect(row!.status).toBe('SENT');
      expect(target.received).toHaveLength(2);
      expect(target.received.every((c) => c.verified)).toBe(true);
      expect(target.received.map((c) => c.headers['webhook-id'])).toEqual([row!.message_id, row!.message_id]);
      expect(target.received.map((c) => c.payload!.data.entries.map((e) => e.id))).toEqual([[practice.gid], [practice.gid]]);
      expect(await deliver(sub.id)).toBe('already-sent');
      expect(target.received).toHaveLength(2);
    });

    it('a receiver that keeps failing is retried on the Standard Webhooks schedule under one webhook-id, then the delivery fails and the subscription pauses', async () => {
      const target = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/hook`, filter: { tags: [tag] } });
      target.secret = sub.webhookSecret!;
      await createPractice(t.app, author, { tags: [tag] });
      target.status = 503;

      const outcomes: DeliveryOutcome[] = [];
      for (let attempt = 0; attempt < 7; attempt += 1) outcomes.push(await deliver(sub.id));

      expect(outcomes).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000].map((retryAfterMs) => ({ retryAfterMs })).concat(['failed' as never]));
      expect(target.received).toHaveLength(7);
      const [row] = await deliveryRows(t, sub.id);
      expect(row).toMatchObject({ status: 'FAILED', attempts: 7 });
      expect(new Set(target.received.map((c) => c.headers['webhook-id']))).toEqual(new Set([row!.message_id]));
      expect((await subscriptionRow(t, sub.id))!.pause_reason).toMatch(/503/);
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('skipped');
      expect(target.received).toHaveLength(7);
    });

    it('a subscription paused by 410 resumes once its owner updates it (docs/webhooks.md, "Pausing")', async () => {
      const gone = await receiver();
      const fixed = await receiver();
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${gone.url}/hook`, filter: { tags: [tag] } });
      gone.secret = fixed.secret = sub.webhookSecret!;
      await createPractice(t.app, author, { tags: [tag] });
      gone.status = 410;
      expect(await deliver(sub.id)).toBe('failed');
      expect((await subscriptionRow(t, sub.id))!.paused_at).toBeInstanceOf(Date);

      // "Once the endpoint is fixed, the owner updates the subscription (updateDigestSubscription) to resume it."
      const updated = await t.gql(
        `mutation($input: UpdateDigestSubscriptionInput!) { updateDigestSubscription(input: $input) { id pausedAt pauseReason } }`,
        { input: { id: sub.gid, webhookUrl: `${fixed.url}/hook` } },
        subscriber.token,
      );

      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateDigestSubscription).toMatchObject({ pausedAt: null, pauseReason: null });
      expect(await subscriptionRow(t, sub.id)).toMatchObject({ paused_at: null, pause_reason: null });
      const later = await createPractice(t.app, author, { tags: [tag] });
      expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('sent');
      expect(fixed.received).toHaveLength(1);
      expect(fixed.received[0]!.verified).toBe(true);
      expect(fixed.received[0]!.payload!.data.entries.map((e) => e.id)).toEqual([later.gid]);
    });
  });

  describe('visibility at send time', () => {
    it('a TLP_AMBER practice naming organisation B never reaches a subscriber in organisation C, by e-mail, webhook or Atom; a subscriber in B gets it', async () => {
      const tag = `Topic ${unique()}`;
      const orgB = await createOrganisation(t.app);
      const orgC = await createOrganisation(t.app);
      const author = await createMember(t.app, await createOrganisation(t.app));
      const inC = await createMember(t.app, orgC);
      const inB = await createMember(t.app, orgB);
      const target = await receiver();
      const mailC = await subscribe(t, inC, { filter: { tags: [tag] } });
      const hookC = await subscribe(t, inC, { channel: 'WEBHOOK', webhookUrl: `${target.url}/c`, filter: { tags: [tag] } });
      target.secret = hookC.webhookSecret!;
      const atomC = await subscribe(t, inC, { channel: 'ATOM', filter: { tags: [tag] } });
      const mailB = await subscribe(t, inB, { filter: { tags: [tag] } });

      const amber = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER, audience: [orgB], tags: [tag], title: `Amber for B only ${unique()}`, summary: `Amber summary ${unique()}` });
      const green = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: [tag], title: `Green for all ${unique()}`, summary: `Green summary ${unique()}` });

      for (const sub of [mailC, hookC, atomC, mailB]) expect(await deliver(sub.id)).toBe('sent');

      // E-mail to C: the green one only.
      const toC = await mailsTo(smtp, inC.member.email);
      expect(toC).toHaveLength(1);
      expectMailLists(toC[0]!, [green], [amber]);
      // Webhook to C: the green one only.
      expect(target.received).toHaveLength(1);
      expect(target.received[0]!.verified).toBe(true);
      expect(target.received[0]!.payload!.data.entries.map((e) => e.id)).toEqual([green.gid]);
      expect(target.received[0]!.body).not.toContain(amber.title);
      expect(target.received[0]!.body).not.toContain(amber.summary);
      expect(target.received[0]!.body).not.toContain(amber.id);
      // Atom for C: not even a stub.
      const feed = await fetch(`${t.baseUrl}${new URL(atomC.feedUrl!).pathname}`);
      expect(feed.status).toBe(200);
      const xml = await feed.text();
      expect(xml).toContain(green.title);
      expect(xml).not.toContain(amber.id);
      expect(xml).not.toContain(amber.title);
      expect(xml).not.toContain(amber.summary);
      expect(xml).not.toContain('TLP:AMBER');
      // Nothing of it recorded for C's subscriptions.
      for (const sub of [mailC, hookC, atomC]) expect((await entryRows(t, sub.id)).map((e) => e.practice_id)).toEqual([green.id]);

      // The control: B, named in the audience, gets it.
      const toB = await mailsTo(smtp, inB.member.email);
      expect(toB).toHaveLength(1);
      expectMailLists(toB[0]!, [amber, green]);
      expect(toB[0]!.text).toContain('TLP:AMBER');
    });

    it('a practice hidden by a moderator, archived, or restricted to another audience between claim and send is left out of the mail', async () => {
      const { tag, author, subscriber } = await scene();
      const sub = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const kept = await createPractice(t.app, author, { tags: [tag], title: `Kept ${unique()}`, summary: `Kept summary ${unique()}` });
      const hidden = await createPractice(t.app, author, { tags: [tag], title: `Hidden ${unique()}`, summary: `Hidden summary ${unique()}` });
      const archived = await createPractice(t.app, author, { tags: [tag], title: `Archived ${unique()}`, summary: `Archived summary ${unique()}` });
      const restricted = await createPractice(t.app, author, { tags: [tag], title: `Restricted ${unique()}`, summary: `Restricted summary ${unique()}` });

      // Claimed with all three while the SMTP server defers.
      smtp.reply = 451;
      expect(await deliver(sub.id)).toEqual({ retryAfterMs: expect.any(Number) });
      expect((await entryRows(t, sub.id)).map((e) => e.practice_id).sort()).toEqual([kept.id, hidden.id, archived.id, restricted.id].sort());

      const reporter = await createMember(t.app, await createOrganisation(t.app));
      const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);
      const flag = await createFlag(t.app, reporter, hidden.gid);
      await t.app.get(FlagService).resolve(moderator.actor, flag.id, FlagAction.HIDE);
      await t.app.get(PracticeService).archive(author.actor, archived.id);
      // GREEN when claimed, then TLP_AMBER for another organisation only.
      const elsewhere = await createOrganisation(t.app);
      await t.app.get(PracticeService).update(author.actor, restricted.id, { expectedRevision: restricted.revision, visibility: Visibility.TLP_AMBER, audienceOrganisationSlugs: [elsewhere.slug] });
      const states = await t.dataSource.query(`SELECT id, status, hidden_at FROM practice WHERE id = ANY($1::uuid[])`, [[hidden.id, archived.id]]);
      expect(states.find((s: any) => s.id === hidden.id).hidden_at).not.toBeNull();
      expect(states.find((s: any) => s.id === archived.id).status).toBe('ARCHIVED');

      smtp.reply = null;
      expect(await deliver(sub.id)).toBe('sent');

      const mails = await mailsTo(smtp, subscriber.member.email);
      expect(mails).toHaveLength(1);
      expectMailLists(mails[0]!, [kept], [hidden, archived, restricted]);
      expect(mails[0]!.subject).toContain('1 new practice');
      expect((await deliveryRows(t, sub.id))[0]).toMatchObject({ status: 'SENT' });
    });

    it("a deactivated member's subscriptions send nothing: skipped, even a delivery claimed before the deactivation", async () => {
      const { tag, author, subscriber } = await scene();
      const mail = await subscribe(t, subscriber, { filter: { tags: [tag] } });
      const target = await receiver();
      const hook = await subscribe(t, subscriber, { channel: 'WEBHOOK', webhookUrl: `${target.url}/leaver`, filter: { tags: [tag] } });
      target.secret = hook.webhookSecret!;
      await createPractice(t.app, author, { tags: [tag] });
      smtp.reply = 451;
      target.status = 503;
      expect(await deliver(mail.id)).toEqual({ retryAfterMs: expect.any(Number) });
      expect(await deliver(hook.id)).toEqual({ retryAfterMs: expect.any(Number) });
      expect(target.received).toHaveLength(1);

      await t.app.get(MemberService).deactivate(OPERATOR, subscriber.member.id);
      smtp.reply = null;
      target.status = 200;

      for (const sub of [mail, hook]) {
        expect(await deliver(sub.id)).toBe('skipped');
        expect(await deliver(sub.id, 'daily:2026-11-26')).toBe('skipped');
      }
      await createPractice(t.app, author, { tags: [tag] });
      expect(await deliver(mail.id, 'daily:2026-11-27')).toBe('skipped');

      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
      expect(target.received).toHaveLength(1);
      for (const sub of [mail, hook]) expect((await deliveryRows(t, sub.id)).map((r) => [r.period_key, r.status])).toEqual([[PERIOD, 'PENDING']]);

      // Even if the subscription were unpaused by hand, the deactivated member gets nothing.
      await t.dataSource.query(`UPDATE digest_subscription SET paused_at = NULL, pause_reason = NULL WHERE id = $1`, [mail.id]);
      expect(await deliver(mail.id)).toBe('skipped');
      expect(await mailsTo(smtp, subscriber.member.email)).toHaveLength(0);
    });
  });
});

describe('scheduling DAILY and WEEKLY digests (dueScheduled)', () => {
  let t: TestApp;
  let dispatch: DigestDispatchService;

  beforeAll(async () => {
    // A database of its own: dueScheduled looks at every subscription in it.
    t = await startTestApp();
    dispatch = t.app.get(DigestDispatchService);
  });
  afterAll(() => t?.close());

  async function atomSubscription(input: Record<string, unknown> = {}): Promise<string> {
    const owner = await createMember(t.app, await createOrganisation(t.app));
    return (await subscribe(t, owner, { channel: 'ATOM', ...input })).id;
  }

  it('a DAILY subscription at 07:00 Europe/London is due once a day: at 07:05 (watermark set), not at 07:10, again the next day at 07:01', async () => {
    const id = await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' });
    expect((await subscriptionRow(t, id))!.last_attempted_at).toBeNull();

    const first = await dispatch.dueScheduled(new Date('2026-11-25T07:05:00Z'), 100);

    expect(first.filter((r) => r.subscriptionId === id)).toEqual([{ subscriptionId: id, periodKey: 'daily:2026-11-25', channel: 'ATOM' }]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-25T07:05:00Z'));

    expect((await dispatch.dueScheduled(new Date('2026-11-25T07:10:00Z'), 100)).filter((r) => r.subscriptionId === id)).toEqual([]);
    expect((await dispatch.dueScheduled(new Date('2026-11-26T06:59:00Z'), 100)).filter((r) => r.subscriptionId === id)).toEqual([]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-25T07:05:00Z'));

    const next = await dispatch.dueScheduled(new Date('2026-11-26T07:01:00Z'), 100);
    expect(next.filter((r) => r.subscriptionId === id)).toEqual([{ subscriptionId: id, periodKey: 'daily:2026-11-26', channel: 'ATOM' }]);
    expect((await subscriptionRow(t, id))!.last_attempted_at).toEqual(new Date('2026-11-26T07:01:00Z'));
  });

  it('two concurrent schedulers never return the same subscription twice, and together return every due one', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' }));

    for (const day of ['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']) {
      const now = new Date(`${day}T07:05:00Z`);
      const [a, b] = await Promise.all([dispatch.dueScheduled(now, 100), dispatch.dueScheduled(now, 100)]);
      const returned = [...a, ...b].map((r) => r.subscriptionId);
      expect(new Set(returned).size).toBe(returned.length);
      expect(returned.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
      for (const r of [...a, ...b]) expect(r.periodKey).toBe(`daily:${day}`);
    }
  });

  it('WEEKLY subscriptions that are not due do not starve a DAILY one that is (the cap counts due subscriptions, not examined ones)', async () => {
    const weekly = [
      await atomSubscription({ frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7, timeZone: 'Europe/London' }),
      await atomSubscription({ frequency: 'WEEKLY', weekday: 'MONDAY', hour: 7, timeZone: 'Europe/London' }),
    ];
    const daily = await atomSubscription({ frequency: 'DAILY', hour: 7, timeZone: 'Europe/London' });
    // Monday's weekly digests went out on Monday; the daily one yesterday (Tuesday). Now it is Wednesday 07:05.
    await t.dataSource.query(`UPDATE digest_subscription SET last_attempted_at = '2026-11-23T07:05:00Z' WHERE id = ANY($1::uuid[])`, [weekly]);
    await t.dataSource.query(`UPDATE digest_subscription SET last_attempted_at = '2026-11-24T07:05:00Z' WHERE id = $1`, [daily]);

    // A scheduler with room for two per run, run every five minutes (production: 1000 per run, so 1000 WEEKLY
    // subscriptions attempted before the DAILY ones would do the same).
    const runs = [];
    for (const at of ['07:05', '07:10', '07:15']) runs.push(...(await dispatch.dueScheduled(new Date(`2026-11-25T${at}:00Z`), 2)));

    expect(runs.filter((r) => weekly.includes(r.subscriptionId))).toEqual([]);
    expect(runs.filter((r) => r.subscriptionId === daily)).toEqual([{ subscriptionId: daily, periodKey: 'daily:2026-11-25', channel: 'ATOM' }]);
  });
});

describe('two workers on one database', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const workers: RunningWorker[] = [];
  const dataSources: DataSource[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true', DIGEST_IMMEDIATE_DELAY_SECONDS: '0' });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    for (const ds of dataSources) await ds.destroy();
    await t?.close();
    await smtp?.close();
  });

  it('an IMMEDIATE e-mail subscription gets each published practice exactly once', async () => {
    const url = (t.dataSource.options as { url: string }).url;
    const config = loadConfig(
      {
        NODE_ENV: 'test',
        APP_SECRET,
        DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'pe-digest-worker-')),
        SMTP_URL: smtp.url,
        OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
        DIGEST_IMMEDIATE_DELAY_SECONDS: '0',
      },
      os.tmpdir(),
    );
    const tag = `Topic ${unique()}`;
    const author = await createMember(t.app, await createOrganisation(t.app));
    const subscriber = await createMember(t.app, await createOrganisation(t.app));
    const sub = await subscribe(t, subscriber, { frequency: 'IMMEDIATE', filter: { tags: [tag] } });

    // Two worker processes, each with a DataSource of its own.
    for (let i = 0; i < 2; i += 1) {
      const dataSource = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 }).initialize();
      dataSources.push(dataSource);
      workers.push(await startWorker(config, dataSource, false, { pollingIntervalSeconds: 1 }));
    }

    const practices = [];
    for (let i = 0; i < 3; i += 1) practices.push(await createPractice(t.app, author, { tags: [tag], title: `Immediate ${i} ${unique()}` }));

    const deadline = Date.now() + 30_000;
    const delivered = async () => (await entryRows(t, sub.id)).length === practices.length && (await deliveryRows(t, sub.id)).every((r) => r.status === 'SENT');
    while (Date.now() < deadline && !(await delivered())) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await delivered()).toBe(true);
    // Let any duplicate job run.
    await new Promise((resolve) => setTimeout(resolve, 4_000));

    const mails = await mailsTo(smtp, subscriber.member.email);
    expect(mails.length).toBeGreaterThanOrEqual(1);
    for (const p of practices) expect(mails.filter((m) => m.text!.includes(p.title))).toHaveLength(1);
    const rows = await deliveryRows(t, sub.id);
    expect(rows.every((r) => r.status === 'SENT' && r.attempts === 1)).toBe(true);
    expect(rows).toHaveLength(mails.length);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    expect((await entryRows(t, sub.id)).map((e) => e.practice_id).sort()).toEqual(practices.map((p) => p.id).sort());
    expect(toGlobalId('DigestSubscription', sub.id)).toBe(sub.gid);
  }, 60_000);
});
