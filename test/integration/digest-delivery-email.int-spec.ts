import type { AddressObject } from 'mailparser';
import { DigestChannel, DigestDeliveryService, verifyUnsubscribeToken, type DeliveryOutcome } from '#digests';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe } from '../support/digests.js';
import { header, mailsTo, type SmtpSink } from '../support/smtp-sink.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { APP_SECRET, PUBLIC_URL, PERIOD, LIST, subscriptionRow, expectMailLists, deliverySuite } from '../support/digest-delivery.js';

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
describe('digest delivery to real peers', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  let delivery: DigestDeliveryService;
  const { scene, deliver } = deliverySuite((running) => ({ t, smtp } = running));
  beforeAll(() => {
    delivery = t.app.get(DigestDeliveryService);
  });

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
      const requests = [atom[0]!, mail, atom[1]!, empty, paused, atom[2]!].map((s) => ({
        subscriptionId: s.id,
        periodKey: PERIOD,
        channel: s === mail ? DigestChannel.EMAIL : DigestChannel.ATOM,
      }));

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
        for (const other of outcomes.filter((o) => o !== 'sent'))
          expect([JSON.stringify('already-sent'), JSON.stringify({ retryAfterMs: 60_000 })]).toContain(JSON.stringify(other));
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
});
