/**
 * DATABASE_READ_URL against a real streaming replica: a private PostgreSQL primary and a hot standby made from it by
 * pg_basebackup (Debian's PostgreSQL 15 programs; test/support/private-postgres.ts), every migration applied to the
 * primary. The test pauses replay on the standby, so it shows the data as of that moment; then whatever a request reads
 * from the replica is visibly stale, and whatever it reads from the primary is current. A write sent to the standby
 * would fail loudly (it is read-only).
 */
import { createDatabase, createDataSource, migrate } from '#database';
import pg from 'pg';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { createMember, createOrganisation } from '../factories/index.js';
import { describeWithTool } from '../support/needs-tool.js';
import { privatePostgresMissing, startReplicaCluster, type ReplicaCluster } from '../support/private-postgres.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const CREATE = `mutation($input: CreatePracticeInput!) { createPractice(input: $input) { id title status } }`;
const PUBLISH = `mutation($input: PublishPracticeInput!) { publishPractice(input: $input) { id title status } }`;
const LIST = `query($q: String) { practices(first: 100, filter: { query: $q }) { edges { node { id title } } } }`;
const ONE = `query($id: ID!) { practice(id: $id) { id title status } }`;

describeWithTool('DATABASE_READ_URL with a streaming replica', privatePostgresMissing(['pg_basebackup']), () => {
  let cluster: ReplicaCluster;
  let t: TestApp;
  let standby: pg.Client;
  let token: string;

  beforeAll(async () => {
    cluster = await startReplicaCluster();
    const primaryUrl = await createDatabase(cluster.primaryUrl, 'pe_replica');
    const migrator = await createDataSource({ url: primaryUrl, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 }).initialize();
    await migrate(migrator);
    await migrator.destroy();
    await cluster.caughtUp();
    const standbyUrl = cluster.standbyUrl.replace(/\/postgres$/, '/pe_replica');
    t = await startTestApp({}, { databaseUrl: primaryUrl, readDatabaseUrl: standbyUrl });
    const member = await createMember(t.app, await createOrganisation(t.app));
    token = member.token;
    standby = new pg.Client({ connectionString: standbyUrl });
    await standby.connect();
    await cluster.caughtUp();
  }, 180_000);
  afterAll(async () => {
    await standby?.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    await standby?.end();
    await t?.close();
    await cluster?.stop();
  });

  const titles = (response: { data?: any }) => (response.data?.practices.edges as { node: { title: string } }[]).map((e) => e.node.title);

  it('lists and search read the replica; mutations, their answers and single reads use the primary', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    try {
      // Writes succeed although the standby would refuse them, and each answer (read after the write) is current.
      const title = `Lagging replica ${Date.now()}`;
      const created = await t.gql(
        CREATE,
        { input: { title, summary: 'Seen on the primary first.', problem: 'p', approach: 'a', outcomes: 'o', tags: ['Phishing'], visibility: 'TLP_GREEN' } },
        token,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data!.createPractice).toMatchObject({ title, status: 'DRAFT' });
      const id = created.data!.createPractice.id as string;
      const published = await t.gql(PUBLISH, { input: { id } }, token);
      expect(published.errors).toBeUndefined();
      expect(published.data!.publishPractice).toMatchObject({ id, status: 'PUBLISHED' });
      expect((await t.gql(ONE, { id }, token)).data!.practice).toMatchObject({ id, status: 'PUBLISHED' });

      // The list and the search come from the paused replica: the new practice is not there yet.
      expect(titles(await t.gql(LIST, {}, token))).not.toContain(title);
      expect(titles(await t.gql(LIST, { q: 'Lagging replica' }, token))).toEqual([]);
      // The replica answered them: its statistics count reads of the practice table by this database's sessions.
      // A backend flushes its counters up to ten seconds after it goes idle: look again until they arrive.
      let scans = 0;
      for (const deadline = Date.now() + 15_000; scans === 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
        await standby.query('SELECT pg_stat_clear_snapshot()');
        scans = Number((await standby.query(`SELECT seq_scan + coalesce(idx_scan, 0) AS n FROM pg_stat_user_tables WHERE relname = 'practice'`)).rows[0].n);
      }
      expect(scans).toBeGreaterThan(0);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    await cluster.caughtUp();
    const listed = titles(await t.gql(LIST, {}, token));
    expect(listed.some((x) => x.startsWith('Lagging replica'))).toBe(true);
    expect(titles(await t.gql(LIST, { q: 'Lagging replica' }, token))).toHaveLength(1);
  }, 60_000);

  it('the public Atom feed reads the replica too', async () => {
    await standby.query('SELECT pg_wal_replay_pause()');
    const title = `Feed lag ${Date.now()}`;
    try {
      const created = await t.gql(
        CREATE,
        { input: { title, summary: 's', problem: 'p', approach: 'a', outcomes: 'o', tags: ['Phishing'], visibility: 'TLP_CLEAR' } },
        token,
      );
      expect((await t.gql(PUBLISH, { input: { id: created.data!.createPractice.id } }, token)).errors).toBeUndefined();
      const feed = await fetch(`${t.baseUrl}/feeds/practices.atom`);
      expect(feed.status).toBe(200);
      expect(await feed.text()).not.toContain(title);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()');
    }
    await cluster.caughtUp();
    expect(await (await fetch(`${t.baseUrl}/feeds/practices.atom`)).text()).toContain(title);
  }, 60_000);
});
