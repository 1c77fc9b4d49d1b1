import { Visibility } from '#practices';
import type { DeliveryOutcome } from '#digests';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe } from '../support/digests.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { PUBLIC_URL, PERIOD, subscriptionRow, deliverySuite } from '../support/digest-delivery.js';

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
  const { receiver, scene, deliver } = deliverySuite((running) => ({ t } = running));

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

      expect(outcomes).toEqual(
        [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000].map((retryAfterMs) => ({ retryAfterMs })).concat(['failed' as never]),
      );
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
});
