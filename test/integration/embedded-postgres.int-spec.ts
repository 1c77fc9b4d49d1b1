import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '#database';
import pg from 'pg';

/**
 * The embedded PostgreSQL of the default run. As root, PostgreSQL runs as the `postgres` OS user; when that user
 * cannot reach the project folder, the data moves under /var/tmp/practice-exchange and still survives a restart.
 * Not as root, the data stays exactly where it was asked to be.
 */

const RELOCATION_HOME = '/var/tmp/practice-exchange';
const asRoot = process.getuid?.() === 0;

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startEmbeddedPostgres', () => {
  let workDir: string;
  let askedFor: string;
  const started: EmbeddedDatabase[] = [];
  let relocatedTo: string | undefined;

  beforeAll(() => {
    // mkdtemp makes the folder 0700: root may enter it, the postgres OS user may not.
    workDir = mkdtempSync(path.join(os.tmpdir(), 'pe-embedded-'));
    askedFor = path.join(workDir, 'inner', '.data', 'postgres');
  });

  afterAll(async () => {
    for (const db of started.reverse()) await db.stop().catch(() => undefined);
    // The relocated folder is keyed by this test's own temporary path, so removing it touches nobody else's data.
    if (relocatedTo && relocatedTo.startsWith(`${RELOCATION_HOME}/data-`)) rmSync(path.dirname(relocatedTo), { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  }, 60_000);

  async function start(): Promise<EmbeddedDatabase> {
    const db = await startEmbeddedPostgres({ dataDir: askedFor, persistent: true });
    started.push(db);
    return db;
  }

  (asRoot ? it : it.skip)(
    'as root: moves the data out of a folder the postgres user cannot enter, and keeps it across a restart',
    async () => {
      expect(statSync(workDir).mode & 0o777).toBe(0o700);
      const first = await start();
      relocatedTo = first.dataDir;
      expect(first.relocatedBecause).toBeDefined();
      expect(first.relocatedBecause).toContain(workDir);
      expect(first.dataDir.startsWith(`${RELOCATION_HOME}/`)).toBe(true);
      expect(first.dataDir).not.toContain(workDir);
      expect(path.basename(first.dataDir)).toBe('postgres');
      expect(statSync(path.join(first.dataDir, 'PG_VERSION')).isFile()).toBe(true);

      await query(first.url, 'CREATE TABLE kept (note text)');
      await query(first.url, "INSERT INTO kept VALUES ('still here')");

      // A second start on the same folder while the first runs shares that server instead of failing.
      const second = await start();
      expect(second.port).toBe(first.port);
      expect(second.dataDir).toBe(first.dataDir);
      expect(await query(second.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
      await second.stop(); // stopping the sharer leaves the owner's server running
      expect(await query(first.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);

      await first.stop();
      await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

      const again = await start();
      expect(again.dataDir).toBe(first.dataDir);
      expect(again.relocatedBecause).toBe(first.relocatedBecause);
      expect(await query(again.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
      await again.stop();
    },
    120_000,
  );

  (asRoot ? it.skip : it)(
    'not as root: keeps the data where it was asked to be, and shares a running server',
    async () => {
      const first = await start();
      expect(first.dataDir).toBe(askedFor);
      expect(first.relocatedBecause).toBeUndefined();
      expect(statSync(path.join(askedFor, 'PG_VERSION')).isFile()).toBe(true);
      await query(first.url, 'CREATE TABLE kept (note text)');
      await query(first.url, "INSERT INTO kept VALUES ('still here')");

      const second = await start();
      expect(second.port).toBe(first.port);
      await first.stop();

      const again = await start();
      expect(again.dataDir).toBe(askedFor);
      expect(await query(again.url, 'SELECT note FROM kept')).toEqual([{ note: 'still here' }]);
      await again.stop();
    },
    120_000,
  );
});
