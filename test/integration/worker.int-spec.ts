import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, type AppConfig } from '#config';
import { createDataSource, schemaDrift } from '#database';
import { OPERATOR, IdentityProviderService, SamlStateRepository, type IdentityProviderEntity } from '#identity';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { startWorker, type RunningWorker } from '../../apps/worker/src/bootstrap/start-worker.js';
import { QUEUE_SCHEMA } from '../../apps/worker/src/queue.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { createOrganisation } from '../factories/index.js';
import { freshDatabaseUrl } from '../support/database.js';
import { metadataAnswer, startHttpPeer } from '../support/http-peer.js';
import { captureLogs, type LogLine } from '../support/log-capture.js';
import { certificateBody, createTestIdp, type TestIdp } from '../support/saml-idp.js';

/**
 * The worker against a real PostgreSQL: pg-boss's schema on the application's database, the scheduled jobs run by
 * name as their schedule would run them, and their effect read back from our tables. The IdP's metadata comes from
 * a node:http server on 127.0.0.1 (OUTBOUND_ALLOW_PRIVATE_NETWORKS=true lets the outbound helper reach it).
 */

function testConfig(): AppConfig {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pe-worker-'));
  return loadConfig(
    {
      NODE_ENV: 'test',
      APP_SECRET: 'test-secret-of-at-least-32-characters!!',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
      DATA_DIR: dataDir,
      OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true',
    },
    os.tmpdir(),
  );
}

/** A DataSource on a fresh, migrated database; its URL is what the worker's queue connects to. */
async function openFresh(): Promise<{ dataSource: DataSource; url: string }> {
  const url = await freshDatabaseUrl();
  const dataSource = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 }).initialize();
  return { dataSource, url };
}

describe('worker', () => {
  let dataSource: DataSource;
  let context: INestApplicationContext;
  let worker: RunningWorker;
  /** Another process's view of the queue: it sends jobs by name and reads their state, as the API will. */
  let producer: PgBoss;
  let idp: TestIdp;
  let lines: LogLine[] = [];

  beforeAll(async () => {
    const fresh = await openFresh();
    dataSource = fresh.dataSource;
    const config = testConfig();
    const capture = captureLogs('debug');
    const logger = capture.logger;
    lines = capture.lines;
    idp = await createTestIdp({ entityId: 'https://idp.worker.test/shibboleth' });
    context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, dataSource), { logger, abortOnError: false });
    worker = await startWorker(config, dataSource, logger, { pollingIntervalSeconds: 0.5 });
    producer = new PgBoss({ connectionString: fresh.url, schema: QUEUE_SCHEMA, supervise: false, schedule: false, migrate: false, max: 2 });
    await producer.start();
  });

  afterAll(async () => {
    await producer?.stop({ graceful: false });
    await worker?.stop();
    await context?.close();
    await dataSource?.destroy();
  });

  /** Sends job `name` and waits until the worker has completed it; its id. */
  async function runJob(name: string): Promise<string> {
    const id = await producer.send(name, {});
    if (!id) throw new Error(`pg-boss did not accept a ${name} job`);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const job = await producer.getJobById(name, id);
      if (job?.state === 'completed') return id;
      if (job?.state === 'failed') throw new Error(`${name} job ${id} failed: ${JSON.stringify(job.output)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${name} job ${id} did not complete within 20 s`);
  }

  async function idpRow(id: string): Promise<{ certificates: string[]; metadata_refreshed_at: Date; metadata_error: string | null }> {
    const [row] = await dataSource.query('SELECT certificates, metadata_refreshed_at, metadata_error FROM identity_provider WHERE id = $1', [id]);
    return row;
  }

  it('creates the pgboss schema with a queue and a schedule per job, beside (not inside) our migrated schema', async () => {
    const schemas = await dataSource.query(`SELECT schema_name FROM information_schema.schemata WHERE schema_name = $1`, [QUEUE_SCHEMA]);
    expect(schemas).toEqual([{ schema_name: QUEUE_SCHEMA }]);
    const queues = await dataSource.query(`SELECT name, retry_limit, expire_seconds FROM pgboss.queue WHERE name NOT LIKE '\\_\\_%' ORDER BY name`);
    expect(queues).toEqual([
      { name: 'digest-deliver', retry_limit: 3, expire_seconds: 600 },
      { name: 'digest-publication', retry_limit: 5, expire_seconds: 900 },
      { name: 'digest-schedule', retry_limit: 2, expire_seconds: 240 },
      { name: 'idp-metadata-refresh', retry_limit: 2, expire_seconds: 1500 },
      { name: 'saml-state-purge', retry_limit: 2, expire_seconds: 600 },
    ]);
    const schedules = await dataSource.query(`SELECT name, cron, timezone FROM pgboss.schedule ORDER BY name`);
    expect(schedules).toEqual([
      { name: 'digest-schedule', cron: '*/5 * * * *', timezone: 'UTC' },
      { name: 'idp-metadata-refresh', cron: '*/30 * * * *', timezone: 'UTC' },
      { name: 'saml-state-purge', cron: '7 * * * *', timezone: 'UTC' },
    ]);
    // The drift check compares only our entities: pg-boss's tables leave it with nothing to generate.
    expect((await schemaDrift(dataSource)).up).toEqual([]);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'job%'`);
    expect(n).toBe(0);
  });

  it('refreshes URL metadata: a rollover adds the second certificate; a failing server records the error and keeps the certificates', async () => {
    const server = await startHttpPeer();
    try {
      server.answer = metadataAnswer(idp.metadataXml);
      const organisation = await createOrganisation(context);
      const configured: IdentityProviderEntity = await context
        .get(IdentityProviderService)
        .configure(OPERATOR, { organisationSlug: organisation.slug, metadataUrl: `${server.url}/metadata` });
      const initial = await idpRow(configured.id);
      expect(initial.certificates).toEqual([idp.certificateBase64]);

      // The IdP announces its next key: metadata with both certificates.
      server.answer = metadataAnswer(idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]));
      const requestsBefore = server.requests.length;
      const refreshId = await runJob('idp-metadata-refresh');
      expect(server.requests).toHaveLength(requestsBefore + 1);
      const rolled = await idpRow(configured.id);
      expect(rolled.certificates).toEqual([idp.certificateBase64, certificateBody(idp.otherKey.certificate)]);
      expect(rolled.metadata_error).toBeNull();
      expect(rolled.metadata_refreshed_at.getTime()).toBeGreaterThan(initial.metadata_refreshed_at.getTime());
      // The library's own log line carries the run's context.
      expect(lines).toContainEqual(
        expect.objectContaining({
          msg: 'IdP metadata refreshed',
          identityProviderId: configured.id,
          jobId: refreshId,
          kind: 'idp-metadata-refresh',
          attempt: 1,
        }),
      );

      server.answer = { status: 500, headers: { 'content-type': 'application/samlmetadata+xml' }, body: 'Internal Server Error' };
      const failingId = await runJob('idp-metadata-refresh');
      const failed = await idpRow(configured.id);
      expect(failed.metadata_error).toMatch(/answered 500/);
      expect(failed.certificates).toEqual(rolled.certificates);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: 'IdP metadata refresh failed', jobId: failingId, kind: 'idp-metadata-refresh', attempt: 1 }),
      );
    } finally {
      await server.close();
    }
  });

  it('purges expired SAML requests and assertion IDs and keeps live ones', async () => {
    const organisation = await createOrganisation(context);
    const configured = await context
      .get(IdentityProviderService)
      .configure(OPERATOR, { organisationSlug: organisation.slug, key: 'purge', metadataXml: idp.metadataXml });
    const state = context.get(SamlStateRepository);
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 10 * 60_000);
    const request = (id: string, expiresAt: Date) =>
      state.saveRequest({ id, identityProviderId: configured.id, returnTo: '/', browserBinding: Buffer.from('binding'), expiresAt });
    await request('_expired-request', past);
    await request('_live-request', future);
    await state.recordAssertion(configured.id, '_expired-assertion', past);
    await state.recordAssertion(configured.id, '_live-assertion', future);

    await runJob('saml-state-purge');

    const requests = await dataSource.query('SELECT id FROM saml_request WHERE identity_provider_id = $1 ORDER BY id', [configured.id]);
    expect(requests).toEqual([{ id: '_live-request' }]);
    const assertions = await dataSource.query('SELECT assertion_id FROM saml_assertion WHERE identity_provider_id = $1 ORDER BY assertion_id', [configured.id]);
    expect(assertions).toEqual([{ assertion_id: '_live-assertion' }]);
  });
});

describe('worker shutdown', () => {
  it('stop() returns promptly and leaves no queue connection open', async () => {
    const { dataSource } = await openFresh();
    try {
      const worker = await startWorker(testConfig(), dataSource, false);
      const connections = () =>
        dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'practice-exchange-worker'`,
        );
      expect((await connections())[0].n).toBeGreaterThan(0);
      const started = Date.now();
      await worker.stop();
      expect(Date.now() - started).toBeLessThan(3_000);
      // A backend leaves pg_stat_activity a moment after its client disconnects.
      let open = (await connections())[0].n;
      for (let i = 0; open > 0 && i < 40; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        open = (await connections())[0].n;
      }
      expect(open).toBe(0);
      await worker.stop(); // a second call (two signals) is harmless
      expect(dataSource.isInitialized).toBe(true); // the application's DataSource is the caller's to close
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('workers starting together', () => {
  it('three workers starting at the same moment on a database without queues all start (pg-boss 10 creates queues without a lock; a deadlock is retried)', async () => {
    for (let round = 0; round < 2; round += 1) {
      const { dataSource } = await openFresh();
      const started: RunningWorker[] = [];
      try {
        const results = await Promise.allSettled([0, 1, 2].map(() => startWorker(testConfig(), dataSource, false)));
        for (const r of results) if (r.status === 'fulfilled') started.push(r.value);

        expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'started'))).toEqual(['started', 'started', 'started']);
        const queues = await dataSource.query(`SELECT count(*)::int AS n FROM pgboss.queue WHERE name NOT LIKE '\\_\\_%'`);
        expect(queues[0].n).toBe(5);
      } finally {
        for (const worker of started) await worker.stop();
        await dataSource.destroy();
      }
    }
  });
});
