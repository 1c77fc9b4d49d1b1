/**
 * SIGTERM to a real API process (`node dist/apps/api/src/main.js --no-worker`) with requests in flight. The test holds
 * them there with PostgreSQL itself: it takes an ACCESS EXCLUSIVE lock on the practice table in a transaction of its
 * own, so every `practices` query waits, then signals the process, checks that the port no longer takes connections
 * while the held requests are still open, and releases the lock.
 */
import { connect } from 'node:net';
import pg from 'pg';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { spawnApi, stopAllApis, type ApiProcess } from '../support/spawn-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SLOW = 8;
const FAST = 12;
const LIST = '{ practices(first: 50) { edges { node { id title } } } }';

async function within<T>(what: string, ms: number, attempt: () => Promise<T | undefined>, logs: () => string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}\n${logs()}`);
    await sleep(100);
  }
}

/** Whether a new TCP connection to the port is refused. */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('SIGTERM to an API process under load', () => {
  let t: TestApp;
  let lock: pg.Client;
  let token: string;
  let titles: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const organisation = await createOrganisation(t.app);
    const member = await createMember(t.app, organisation);
    token = member.token;
    titles = [];
    for (let i = 0; i < 3; i += 1) titles.push((await createPractice(t.app, member, { title: `Held ${i}` })).title);
    lock = new pg.Client({ connectionString: t.databaseUrl });
    await lock.connect();
  });
  afterAll(async () => {
    await lock?.query('ROLLBACK').catch(() => undefined);
    await lock?.end();
    await stopAllApis();
    await t?.close();
  });

  const post = (api: ApiProcess, query: string) =>
    fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    }).then(async (response) => ({
      status: response.status,
      connection: response.headers.get('connection'),
      body: (await response.json()) as { data?: any; errors?: unknown[] },
    }));

  /** Requests of this database waiting for the test's lock. */
  const waiting = async () =>
    Number(
      (
        await lock.query(
          `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        )
      ).rows[0].n,
    );

  it('answers every request it accepted, refuses new connections, closes kept-alive ones and exits 0', async () => {
    const api = await spawnApi({ DATABASE_URL: t.databaseUrl, SHUTDOWN_GRACE_SECONDS: '30' });
    const logs = () => api.output.join('').slice(-4_000);
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE practice IN ACCESS EXCLUSIVE MODE');

    const slow = Array.from({ length: SLOW }, () => post(api, LIST));
    // Load that does not touch the held table: answered at once, on the same kept-alive connections.
    const fast = await Promise.all(Array.from({ length: FAST }, () => post(api, '{ me { name } }')));
    expect(fast.map((r) => r.status)).toEqual(Array(FAST).fill(200));
    await within('the slow requests to wait for the lock', 10_000, async () => ((await waiting()) >= SLOW ? true : undefined), logs);

    api.kill('SIGTERM');
    // The listening socket closes; the held requests are still open.
    await within('new connections to be refused', 10_000, async () => ((await refused(api.port)) ? true : undefined), logs);
    expect(await waiting()).toBe(SLOW);
    expect(api.exit).toBeUndefined();

    await lock.query('COMMIT');
    const answers = await Promise.all(slow);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
      expect(answer.body.data.practices.edges.map((e: { node: { title: string } }) => e.node.title).sort()).toEqual([...titles].sort());
      // Each client is told to reconnect elsewhere rather than reuse the connection.
      expect(answer.connection).toBe('close');
    }
    // Kept-alive connections closed once idle: the process ends by itself, well within its grace period.
    const exit = await within('the process to exit', 30_000, async () => api.exit, logs);
    expect(exit).toEqual({ code: 0, signal: null });
  }, 90_000);

  it('past SHUTDOWN_GRACE_SECONDS it cuts off what is still running and exits', async () => {
    const api = await spawnApi({ DATABASE_URL: t.databaseUrl, SHUTDOWN_GRACE_SECONDS: '1' });
    const logs = () => api.output.join('').slice(-4_000);
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE practice IN ACCESS EXCLUSIVE MODE');
    try {
      const held = post(api, LIST).then(
        () => 'answered',
        () => 'cut off',
      );
      await within('the request to wait for the lock', 10_000, async () => ((await waiting()) >= 1 ? true : undefined), logs);
      api.kill('SIGTERM');
      const exit = await within('the process to exit', 20_000, async () => api.exit, logs);
      // Non-zero: the operator learns that requests were cut off.
      expect(exit).toEqual({ code: 1, signal: null });
      expect(await held).toBe('cut off');
      expect(api.output.join('')).toContain('cut off');
    } finally {
      await lock.query('ROLLBACK');
    }
  }, 60_000);
});
