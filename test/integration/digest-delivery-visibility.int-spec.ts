import { OPERATOR, MemberService, Role } from '#identity';
import { FlagAction, FlagService, PracticeService, Visibility } from '#practices';
import { createFlag, createMember, createOrganisation, createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe } from '../support/digests.js';
import { mailsTo, type SmtpSink } from '../support/smtp-sink.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { PERIOD, expectMailLists, deliverySuite } from '../support/digest-delivery.js';

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
  const { receiver, scene, deliver } = deliverySuite((running) => ({ t, smtp } = running));

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

      const amber = await createPractice(t.app, author, {
        visibility: Visibility.TLP_AMBER,
        audience: [orgB],
        tags: [tag],
        title: `Amber for B only ${unique()}`,
        summary: `Amber summary ${unique()}`,
      });
      const green = await createPractice(t.app, author, {
        visibility: Visibility.TLP_GREEN,
        tags: [tag],
        title: `Green for all ${unique()}`,
        summary: `Green summary ${unique()}`,
      });

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
      await t.app.get(PracticeService).update(author.actor, restricted.id, {
        expectedRevision: restricted.revision,
        visibility: Visibility.TLP_AMBER,
        audienceOrganisationSlugs: [elsewhere.slug],
      });
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
