/**
 * Exactly once as a receiver sees it, with a worker killed mid-delivery (README, "Rolling restarts and shutdown"). Two
 * real worker processes (test/support/worker-process.ts, compiled) work one database; each sends mail with a MAIL FROM
 * of its own, so the SMTP sink knows which one sent what. The sink keeps the first message that arrives and never
 * answers its DATA: the receiver has the mail, the sender does not know it. The test then SIGKILLs that worker, between
 * sending and recording. Its delivery stays PENDING, its advisory lock goes with its dead connections, and its pg-boss
 * job stays active until pg-boss's maintenance expires it; the surviving worker then retries it and resends with the
 * SAME Message-ID, which the receiver drops. Every other subscriber gets one mail, or (a delivery the killed worker,
 * which runs four at once, had sent but not recorded) the same mail twice under one Message-ID: one digest each.
 *
 * Recovery within seconds rather than production's ten minutes comes from JobQueueOptions (short maintenance interval,
 * short expiry and retry delay on the delivery queue); the code that runs is production's.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIGEST_QUEUES } from '#digests';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe, type Subscribed } from '../support/digests.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { spawnWorker, stopAllWorkers, type WorkerProcess } from '../support/spawn-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/** The APP_SECRET startTestApp configures; the workers need the same one. */
const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
const SUBSCRIBERS = 6;
/** A killed worker's delivery job is failed by expiry after this long, then retried after 1–2 s (backoff). */
const EXPIRE_SECONDS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two worker processes, one killed mid-delivery', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const workers: { name: string; from: string; process: WorkerProcess }[] = [];

  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, DIGEST_IMMEDIATE_DELAY_SECONDS: '0' });
  });
  afterAll(async () => {
    // Whatever happened, no worker outlives the test (even one still starting): SIGTERM, then SIGKILL after 5 s.
    await stopAllWorkers(5_000);
    await t?.close();
    await smtp?.close();
  });

  /** What the workers logged, for a failure message. */
  const logs = () =>
    workers.map((w) => `--- ${w.name} (${w.from}) ${JSON.stringify(w.process.exit ?? 'running')}\n${w.process.output.join('').slice(-6_000)}`).join('\n');

  async function within<T>(what: string, ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await attempt();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}\n${logs()}`);
      await sleep(200);
    }
  }

  it('every subscriber gets the practice; the killed delivery is resent with the same Message-ID, every other one goes out once', async () => {
    const databaseUrl = (t.dataSource.options as { url: string }).url;
    const tag = `Topic ${unique()}`;
    const author = await createMember(t.app, await createOrganisation(t.app));
    const subscribed: Subscribed[] = [];
    for (let i = 0; i < SUBSCRIBERS; i += 1) {
      const member = await createMember(t.app, await createOrganisation(t.app));
      subscribed.push(await subscribe(t, member, { frequency: 'IMMEDIATE', filter: { tags: [tag] } }));
    }

    // Both at once (afterAll stops any that started, even if the other did not).
    await Promise.all(
      ['worker-a', 'worker-b'].map(async (name) => {
        const from = `${name}@practice-exchange.localhost`;
        const worker = await spawnWorker({
          env: {
            DATABASE_URL: databaseUrl,
            APP_SECRET,
            SMTP_URL: smtp.url,
            MAIL_FROM: `Practice Exchange <${from}>`,
            DATA_DIR: mkdtempSync(path.join(os.tmpdir(), `pe-${name}-`)),
            LOG_LEVEL: 'log',
          },
          queue: {
            pollingIntervalSeconds: 0.5,
            maintenanceIntervalSeconds: 1,
            queueSettings: { [DIGEST_QUEUES.deliver]: { expireInSeconds: EXPIRE_SECONDS, retryDelay: 1 } },
          },
        });
        workers.push({ name, from, process: worker });
      }),
    );

    // The first mail to arrive is kept, and its sender left waiting for the answer to DATA.
    const held = smtp.holdNext();
    const practice = await createPractice(t.app, author, { tags: [tag], title: `Crash-safe ${unique()}` });
    const periodKey = `immediate:${practice.id}`;

    const first = await within('the first mail', 10_000, async () => (smtp.messages.length ? await held : undefined));
    const killed = workers.find((w) => w.from === first.mailFrom);
    expect(killed).toBeDefined();
    const survivor = workers.find((w) => w !== killed)!;
    killed!.process.kill('SIGKILL');
    await within('the killed worker to exit', 5_000, async () => killed!.process.exit);
    expect(killed!.process.exit).toEqual({ code: null, signal: 'SIGKILL' });

    // Killed between sending and recording: the receiver has the mail, the delivery is still PENDING.
    expect(first.rcptTo).toHaveLength(1);
    const victim = subscribed.find((s) => s.owner.member.email.toLowerCase() === first.rcptTo[0]);
    expect(victim).toBeDefined();
    const [pending] = await deliveryRows(t, victim!.id);
    expect(pending).toMatchObject({ period_key: periodKey, status: 'PENDING', attempts: 0 });

    // The survivor sends the rest, and the killed delivery once pg-boss has expired its job.
    const allSent = async () => {
      for (const s of subscribed) {
        const rows = await deliveryRows(t, s.id);
        if (rows.length !== 1 || rows[0]!.status !== 'SENT') return undefined;
      }
      return true;
    };
    await within('every delivery to be SENT', 25_000, allSent);
    // Room for a stray duplicate job to run, were there one.
    await sleep(1_500);

    const victimRows = await deliveryRows(t, victim!.id);
    const messageIds = new Set<string>();
    let received = 0;
    for (const s of subscribed) {
      const rows = await deliveryRows(t, s.id);
      expect(rows.map((r) => [r.period_key, r.status])).toEqual([[periodKey, 'SENT']]);
      const row = rows[0]!;
      messageIds.add(row.message_id);
      // One entry for (subscription, practice), against that delivery.
      expect((await entryRows(t, s.id)).map((e) => [e.practice_id, e.delivery_id])).toEqual([[practice.id, row.id]]);

      const mails = await mailsTo(smtp, s.owner.member.email);
      for (const mail of mails) {
        expect(mail.text).toContain(practice.title);
        expect(mail.messageId).toBe(`<${row.message_id}@localhost>`);
      }
      const senders = smtp.messages.filter((m) => m.rcptTo.includes(s.owner.member.email.toLowerCase())).map((m) => m.mailFrom);
      if (s === victim) {
        // Twice, with the same Message-ID: the receiver drops the second. The killed worker sent the first.
        expect(mails).toHaveLength(2);
        expect(senders).toEqual([killed!.from, survivor.from]);
        expect(row.message_id).toBe(pending!.message_id);
      } else {
        // Everyone else: one mail, from either worker (each runs four deliveries at once, so the killed one may have
        // finished some); or, for a delivery the killed worker had sent but not yet recorded, the same mail again from
        // the survivor, under the same Message-ID.
        if (mails.length === 1) expect([killed!.from, survivor.from]).toContain(senders[0]);
        else expect(senders).toEqual([killed!.from, survivor.from]);
        expect(row.attempts).toBe(1);
      }
      received += mails.length;
    }
    expect(messageIds.size).toBe(SUBSCRIBERS);
    expect(victimRows[0]!.sent_at).toBeInstanceOf(Date);
    // Nothing else arrived.
    expect(smtp.messages).toHaveLength(received);

    // The resend came from pg-boss retrying the killed worker's job after it expired.
    const jobs: { state: string; retry_count: number }[] = await t.dataSource.query(
      `SELECT state, retry_count FROM pgboss.job WHERE name = $1 AND data->'requests'->0->>'subscriptionId' = $2 AND data->'requests'->0->>'periodKey' = $3`,
      [DIGEST_QUEUES.deliver, victim!.id, periodKey],
    );
    expect(jobs.some((job) => job.state === 'completed' && job.retry_count >= 1)).toBe(true);
    expect(survivor.process.exit).toBeUndefined();
  }, 180_000);
});
