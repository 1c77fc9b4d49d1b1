/**
 * SIGTERM to a real worker process (test/support/worker-process.ts, compiled) in the middle of a delivery: the SMTP sink
 * keeps the first digest mail and holds its DATA unanswered, so the worker is between sending and recording when the
 * signal arrives. Within SHUTDOWN_GRACE_SECONDS the job finishes and the worker exits 0; past it, pg-boss fails the job,
 * which a worker started afterwards retries, resending under the same Message-ID (a receiver drops the copy). Either
 * way every subscriber receives each digest once, and none is lost.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DIGEST_QUEUES } from '#digests';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { deliveryRows, subscribe, type Subscribed } from '../support/digests.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { TEST_APP_SECRET } from '../support/spawn-api.js';
import { spawnWorker, stopAllWorkers, type WorkerProcess } from '../support/spawn-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

const SUBSCRIBERS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIGTERM to a worker mid-delivery', () => {
  let t: TestApp;
  let smtp: SmtpSink;
  const started: WorkerProcess[] = [];

  beforeEach(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, DIGEST_IMMEDIATE_DELAY_SECONDS: '0' });
  });
  afterEach(async () => {
    smtp.releaseHeld();
    await stopAllWorkers(5_000);
    started.length = 0;
    await t?.close();
    await smtp?.close();
  });

  const logs = () => started.map((w) => `--- ${w.pid} ${JSON.stringify(w.exit ?? 'running')}\n${w.output.join('').slice(-5_000)}`).join('\n');

  async function within<T>(what: string, ms: number, attempt: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await attempt();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}\n${logs()}`);
      await sleep(100);
    }
  }

  async function worker(graceSeconds: number): Promise<WorkerProcess> {
    const process = await spawnWorker({
      env: {
        DATABASE_URL: t.databaseUrl,
        APP_SECRET: TEST_APP_SECRET,
        SMTP_URL: smtp.url,
        DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'pe-worker-')),
        LOG_LEVEL: 'log',
        SHUTDOWN_GRACE_SECONDS: String(graceSeconds),
      },
      // A released job is retried one second later rather than after production's thirty.
      queue: { pollingIntervalSeconds: 0.5, queueSettings: { [DIGEST_QUEUES.deliver]: { retryDelay: 1 } } },
    });
    started.push(process);
    return process;
  }

  /** Subscribers to a fresh tag, and a practice with it: one IMMEDIATE digest each. */
  async function publishToSubscribers(): Promise<{ subscribed: Subscribed[]; periodKey: string; title: string }> {
    const tag = `Topic ${unique()}`;
    const author = await createMember(t.app, await createOrganisation(t.app));
    const subscribed: Subscribed[] = [];
    for (let i = 0; i < SUBSCRIBERS; i += 1)
      subscribed.push(await subscribe(t, await createMember(t.app, await createOrganisation(t.app)), { frequency: 'IMMEDIATE', filter: { tags: [tag] } }));
    const practice = await createPractice(t.app, author, { tags: [tag], title: `Shutdown ${unique()}` });
    return { subscribed, periodKey: `immediate:${practice.id}`, title: practice.title };
  }

  const allSent = (subscribed: Subscribed[]) => async () => {
    for (const s of subscribed) {
      const rows = await deliveryRows(t, s.id);
      if (rows.length !== 1 || rows[0]!.status !== 'SENT') return undefined;
    }
    return true;
  };

  /** What each subscriber's mail program shows: the mails received, with copies of one Message-ID dropped. */
  async function digestsSeen(subscribed: Subscribed[], title: string): Promise<{ distinct: number[]; received: number[] }> {
    const distinct: number[] = [];
    const received: number[] = [];
    for (const s of subscribed) {
      const mails = await mailsTo(smtp, s.owner.member.email);
      for (const mail of mails) expect(mail.text).toContain(title);
      const [row] = await deliveryRows(t, s.id);
      for (const mail of mails) expect(mail.messageId).toBe(`<${row!.message_id}@localhost>`);
      distinct.push(new Set(mails.map((m) => m.messageId)).size);
      received.push(mails.length);
    }
    return { distinct, received };
  }

  it('within the grace period, the running delivery finishes and is recorded; the worker exits 0 and nothing is sent twice', async () => {
    const first = await worker(30);
    const held = smtp.holdNext();
    const { subscribed, title } = await publishToSubscribers();
    const mail = await within('the first mail', 15_000, async () => (smtp.messages.length ? await held : undefined));

    first.kill('SIGTERM');
    await within('the worker to begin stopping', 10_000, async () => (first.output.join('').includes('Test worker stopping') ? true : undefined));
    expect(first.exit).toBeUndefined();
    // The receiver answers at last: the delivery completes inside the grace period.
    smtp.releaseHeld();
    expect(await within('the worker to exit', 30_000, async () => first.exit)).toEqual({ code: 0, signal: null });
    const victim = subscribed.find((s) => s.owner.member.email.toLowerCase() === mail.rcptTo[0])!;
    expect((await deliveryRows(t, victim.id)).map((r) => [r.status, r.attempts])).toEqual([['SENT', 1]]);

    // A worker started afterwards sends whatever the first did not take, and nothing it already sent.
    await worker(30);
    await within('every delivery to be SENT', 30_000, allSent(subscribed));
    await sleep(1_500); // room for a stray duplicate, were there one
    const seen = await digestsSeen(subscribed, title);
    expect(seen.received).toEqual(Array(SUBSCRIBERS).fill(1));
  }, 180_000);

  it('past the grace period, the running delivery is released and retried by the next worker: each digest arrives once', async () => {
    const first = await worker(1);
    const held = smtp.holdNext();
    const { subscribed, periodKey, title } = await publishToSubscribers();
    const mail = await within('the first mail', 15_000, async () => (smtp.messages.length ? await held : undefined));
    const victim = subscribed.find((s) => s.owner.member.email.toLowerCase() === mail.rcptTo[0])!;

    // The receiver never answers: the worker gives up on the job after one second and exits.
    first.kill('SIGTERM');
    const exit = await within('the worker to exit', 30_000, async () => first.exit);
    expect(exit.signal).toBeNull();
    const jobs = async () =>
      (await t.dataSource.query(
        `SELECT state, retry_count FROM pgboss.job WHERE name = $1 AND data->'requests'->0->>'subscriptionId' = $2 AND data->'requests'->0->>'periodKey' = $3`,
        [DIGEST_QUEUES.deliver, victim.id, periodKey],
      )) as { state: string; retry_count: number }[];
    // Released for a retry, not lost: pg-boss failed it with attempts left.
    expect((await jobs()).map((j) => j.state)).toEqual(['retry']);
    expect((await deliveryRows(t, victim.id)).map((r) => r.status)).toEqual(['PENDING']);

    await worker(30);
    await within('every delivery to be SENT', 30_000, allSent(subscribed));
    await sleep(1_500);
    const seen = await digestsSeen(subscribed, title);
    // Each subscriber has the digest once; the victim's was resent under the same Message-ID, which it drops.
    expect(seen.distinct).toEqual(Array(SUBSCRIBERS).fill(1));
    expect(seen.received[subscribed.indexOf(victim)]).toBe(2);
    expect((await jobs()).map((j) => [j.state, j.retry_count])).toEqual([['completed', 1]]);
  }, 180_000);
});
