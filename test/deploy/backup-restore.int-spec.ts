import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDatabase } from '#database';
import { demoToken, seedDemoData } from '../../apps/api/src/demo/demo-seeder.js';
import { describeWithTool } from '../support/needs-tool.js';
import { privatePostgresMissing, startPrivatePostgres, type PrivateCluster } from '../support/private-postgres.js';
import { CLI_MAIN, spawnApi, type ApiProcess } from '../support/spawn-api.js';
import { createSigningKey } from '../support/saml-idp.js';
import { startTestApp } from '../support/test-app.js';

/**
 * Backups as the README tells an operator to take them: a database holding the demo data, dumped with `pg_dump -Fc`
 * of the server's own version, the server thrown away, the dump restored with `pg_restore` into a new server, and the
 * compiled platform started on it as production runs it (MIGRATE_ON_START off). Everything must read back: every
 * table's rows, a token's read of a practice only members may see, and no migration left to apply.
 */
const APP_SECRET = 'test-secret-of-at-least-32-characters!!';
const DATABASE = 'practice_exchange';
const PRACTICE_QUERY = `query ($id: ID!) {
  practice(id: $id) { title summary visibility revision commentCount adoptionCount author { name } tags { slug }
    comments { edges { node { body author { name } replies { edges { node { body } } } } } } }
}`;

/** Rows in every table of the application's schema, by table. */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}"`);
      counts[name] = Number(result.rows[0].n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    return Math.floor(Number(result.rows[0].v) / 10_000);
  } finally {
    await client.end();
  }
}

describeWithTool('Backup and restore', privatePostgresMissing(['pg_dump', 'pg_restore']), () => {
  const folders: string[] = [];
  const clusters: PrivateCluster[] = [];
  let api: ApiProcess | undefined;
  let production: Record<string, string>;
  let restoredUrl: string;
  let baseUrl: string;
  let token: string;
  let before: Record<string, number>;
  let after: Record<string, number>;
  let dumpMajor: number;
  let sourceMajor: number;
  /** A published practice members may read and the public may not, and how the token read it before the backup. */
  let memberOnly: { id: string; visibility: string; commentCount: number };
  let readBefore: unknown;

  const cli = (args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, [CLI_MAIN, ...args], { env: { ...production, DATABASE_URL: databaseUrl }, encoding: 'utf8', timeout: 120_000 });

  const gql = async (query: string, variables: Record<string, unknown> = {}, bearer?: string) => {
    const response = await fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] };
  };

  beforeAll(async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'pe-backup-'));
    folders.push(work);
    const sp = await createSigningKey('sp.backup.example.gov.uk');
    writeFileSync(path.join(work, 'sp-key.pem'), sp.privateKey);
    writeFileSync(path.join(work, 'sp-cert.pem'), sp.certificate);
    production = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      NODE_ENV: 'production',
      APP_SECRET,
      PUBLIC_URL: 'https://exchange.example.gov.uk',
      SAML_SP_KEY_FILE: path.join(work, 'sp-key.pem'),
      SAML_SP_CERT_FILE: path.join(work, 'sp-cert.pem'),
      DATA_DIR: work,
      LOG_LEVEL: 'warn',
    };

    // The old server: migrated by db:migrate as the compose file's migrate service does, then the demo data.
    const source = await startPrivatePostgres();
    clusters.push(source);
    const sourceUrl = await createDatabase(source.url, DATABASE);
    const migrated = cli(['db:migrate'], sourceUrl);
    if (migrated.status !== 0) throw new Error(`db:migrate failed:\n${migrated.stdout}${migrated.stderr}`);
    const app = await startTestApp({ APP_SECRET }, { databaseUrl: sourceUrl });
    try {
      expect(await seedDemoData(app.app)).toBe(true);
      token = await demoToken(app.app, work);
      const listed = await app.gql('{ practices(first: 100) { edges { node { id visibility commentCount } } } }', {}, token);
      const nodes = (listed.data?.practices.edges ?? []).map((e: { node: typeof memberOnly }) => e.node);
      memberOnly = nodes.find((n: typeof memberOnly) => n.visibility !== 'TLP_CLEAR' && n.commentCount > 0);
      expect(memberOnly).toBeDefined();
      const read = await app.gql(PRACTICE_QUERY, { id: memberOnly.id }, token);
      expect(read.errors).toBeUndefined();
      readBefore = read.data?.practice;
    } finally {
      await app.close();
    }
    before = await rowCounts(sourceUrl);

    // The backup, with the server's own pg_dump; then the old server is gone.
    sourceMajor = await serverMajor(sourceUrl);
    dumpMajor = Number(/\s(\d+)(\.\d+)*/.exec(source.run('pg_dump', ['--version']))?.[1]);
    const dump = path.join(work, 'practice-exchange.dump');
    source.run('pg_dump', ['-Fc', '-d', sourceUrl, '-f', dump]);
    source.stop();

    // A new server, an empty database, pg_restore.
    const target = await startPrivatePostgres();
    clusters.push(target);
    restoredUrl = await createDatabase(target.url, DATABASE);
    target.run('pg_restore', ['--exit-on-error', '-d', restoredUrl, dump]);
    after = await rowCounts(restoredUrl);

    // The platform on the restored database, compiled and configured as production runs it.
    api = await spawnApi({ ...production, DATABASE_URL: restoredUrl }, { production: true });
    baseUrl = api.baseUrl;
  }, 400_000);

  afterAll(async () => {
    await api?.stop();
    for (const cluster of clusters) cluster.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }, 60_000);

  it("dumps with the server's own major version of pg_dump", () => {
    expect(dumpMajor).toBe(sourceMajor);
  });

  it('restores every row of every table', () => {
    expect(after).toEqual(before);
    for (const table of ['organisation', 'member', 'practice', 'practice_revision', 'comment', 'adoption', 'api_token', 'tag', 'migrations']) {
      expect(before[table]).toBeGreaterThan(0);
    }
  });

  it('serves the restored data: a token reads a practice the public may not, with its comments', async () => {
    const member = await gql(PRACTICE_QUERY, { id: memberOnly.id }, token);
    expect(member.errors).toBeUndefined();
    expect(member.data?.practice).toEqual(readBefore);
    expect(member.data?.practice.comments.edges.length).toBeGreaterThan(0);
    const me = await gql('{ me { email organisation { slug } } }', {}, token);
    expect(me.data?.me).toEqual({ email: 'sarah.okafor@kent.gov.uk', organisation: { slug: 'kent' } });
    const anonymous = await gql(PRACTICE_QUERY, { id: memberOnly.id });
    expect(anonymous.data?.practice ?? null).toBeNull();
  });

  it('finds no migration left to apply, and started without migrating', () => {
    expect(api!.output.join('')).not.toContain('Migrations are pending');
    const status = cli(['db:migrate'], restoredUrl);
    expect(status.stderr).toBe('');
    expect(status.stdout.trim()).toBe('The database is up to date.');
    expect(status.status).toBe(0);
  });
});
