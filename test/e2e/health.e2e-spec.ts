/**
 * Liveness and readiness as an orchestrator sees them: `/health` answers while the process lives, whatever the
 * database does; `/health/ready` is 503, naming the failing part, when the database is away, a migration is missing or
 * the job queue's schema is not there.
 */
import pg from 'pg';
import { withDatabaseName } from '#database';
import { JobQueue } from '../../apps/worker/src/queue.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

interface Health {
  status: string;
  info?: Record<string, { status: string; message?: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string; message?: string }>;
}

async function get(t: TestApp, path: string): Promise<{ status: number; body: Health }> {
  const response = await fetch(`${t.baseUrl}${path}`, { headers: { accept: 'application/json' } });
  return { status: response.status, body: (await response.json()) as Health };
}

/** Runs `work` on the server's maintenance database, as an operator would. */
async function asOperator(databaseUrl: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabaseName(databaseUrl, 'postgres') });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

describe('health and readiness', () => {
  let t: TestApp;
  let databaseName: string;

  beforeAll(async () => {
    // Anonymous callers get one request a minute: probes must never be counted.
    t = await startTestApp({ RATE_LIMITS: 'on', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1' });
    databaseName = new URL(t.databaseUrl).pathname.slice(1);
    // A worker creates the job queue's schema when it starts, as in a deployment.
    const queue = await JobQueue.start(t.dataSource);
    await queue.stop();
  });
  afterAll(async () => {
    if (databaseName) await asOperator(t.databaseUrl, (c) => c.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`));
    await t?.close();
  });

  it('on a migrated database with its job queue: ready (200), every part up, without signing in and outside the rate limits', async () => {
    for (let i = 0; i < 3; i += 1) {
      const ready = await get(t, '/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.status).toBe('ok');
      expect(Object.keys(ready.body.details).sort()).toEqual(['database', 'migrations', 'queue']);
      for (const part of Object.values(ready.body.details)) expect(part.status).toBe('up');
      const live = await get(t, '/health');
      expect(live.status).toBe(200);
      expect(live.body.status).toBe('ok');
    }
    // The same caller is limited elsewhere: the probes above were not counted, and are still answered.
    await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(
      (await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' })).status,
    ).toBe(429);
    expect((await get(t, '/health/ready')).status).toBe(200);
  });

  it('a migration the database has not applied: 503 naming migrations and the migration; /health still 200', async () => {
    const [last] = (await t.dataSource.query('SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1')) as {
      id: number;
      timestamp: string;
      name: string;
    }[];
    await t.dataSource.query('DELETE FROM migrations WHERE id = $1', [last!.id]);
    try {
      const ready = await get(t, '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('error');
      expect(Object.keys(ready.body.error!)).toEqual(['migrations']);
      expect(ready.body.error!.migrations!.message).toContain(last!.name);
      expect(ready.body.info!.database!.status).toBe('up');
      expect((await get(t, '/health')).status).toBe(200);
    } finally {
      await t.dataSource.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [last!.id, last!.timestamp, last!.name]);
    }
    expect((await get(t, '/health/ready')).status).toBe(200);
  });

  it('no job queue schema yet (no worker has started on this database): 503 naming queue', async () => {
    const other = await startTestApp();
    try {
      const ready = await get(other, '/health/ready');
      expect(ready.status).toBe(503);
      expect(Object.keys(ready.body.error!)).toEqual(['queue']);
      expect(ready.body.error!.queue!.message).toMatch(/pgboss/);
      expect(ready.body.info!.database!.status).toBe('up');
    } finally {
      await other.close();
    }
  });

  it('the database refuses every connection: 503 naming database, without its error text; /health still 200; ready again once it is back', async () => {
    await asOperator(t.databaseUrl, async (c) => {
      await c.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS false`);
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [databaseName]);
    });
    const ready = await get(t, '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error!.database).toEqual(expect.objectContaining({ status: 'down', message: 'The database did not answer.' }));
    expect(JSON.stringify(ready.body)).not.toContain(databaseName);
    const live = await get(t, '/health');
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('ok');

    await asOperator(t.databaseUrl, (c) => c.query(`ALTER DATABASE "${databaseName}" WITH ALLOW_CONNECTIONS true`));
    expect((await get(t, '/health/ready')).status).toBe(200);
  });
});
