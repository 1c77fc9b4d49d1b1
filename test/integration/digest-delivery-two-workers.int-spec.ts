import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import { toGlobalId } from '#identity';
import type { DataSource } from 'typeorm';
import { startWorker, type RunningWorker } from '../../apps/worker/src/bootstrap/start-worker.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { deliveryRows, entryRows, subscribe } from '../support/digests.js';
import { mailsTo, startSmtp, type SmtpSink } from '../support/smtp-sink.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { APP_SECRET } from '../support/digest-delivery.js';

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
