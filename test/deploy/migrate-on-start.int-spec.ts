import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '#config';
import { createDatabase, dropDatabase } from '#database';
import { MIGRATIONS } from '../../migrations/schema.js';
import { CLI_MAIN, spawnApi, type ApiProcess } from '../support/spawn-api.js';
import { createSigningKey } from '../support/saml-idp.js';

/**
 * Migrations run once, by the one-shot `db:migrate`, never by every replica: in production an API process started on a
 * database with pending migrations leaves the schema alone and says so; outside production (and with
 * MIGRATE_ON_START=true) a process migrates as it always did.
 */
describe('MIGRATE_ON_START', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'pe-migrate-'));
  const serverUrl = () => process.env.PE_TEST_SERVER_URL!;
  const names: string[] = [];
  const apis: ApiProcess[] = [];
  let production: Record<string, string>;

  beforeAll(async () => {
    const sp = await createSigningKey('sp.migrate.example.gov.uk');
    writeFileSync(path.join(work, 'sp-key.pem'), sp.privateKey);
    writeFileSync(path.join(work, 'sp-cert.pem'), sp.certificate);
    production = {
      NODE_ENV: 'production',
      APP_SECRET: 'test-secret-of-at-least-32-characters!!',
      PUBLIC_URL: 'https://exchange.example.gov.uk',
      SAML_SP_KEY_FILE: path.join(work, 'sp-key.pem'),
      SAML_SP_CERT_FILE: path.join(work, 'sp-cert.pem'),
      DATA_DIR: work,
      LOG_LEVEL: 'warn',
    };
  });

  afterAll(async () => {
    for (const api of apis) await api.stop();
    for (const name of names) await dropDatabase(serverUrl(), name);
    rmSync(work, { recursive: true, force: true });
  });

  /** An empty database (no table at all), as a new managed PostgreSQL hands it over. */
  async function emptyDatabase(): Promise<string> {
    const name = `pe_test_${process.env.PE_TEST_RUN}_empty_${randomBytes(4).toString('hex')}`;
    names.push(name);
    return createDatabase(serverUrl(), name);
  }

  async function tables(url: string): Promise<string[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const result = await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
      return result.rows.map((row) => row.name);
    } finally {
      await client.end();
    }
  }

  it('is off in production and on elsewhere by default; true or false overrides; anything else is refused', () => {
    const files = { SAML_SP_KEY_FILE: production.SAML_SP_KEY_FILE, SAML_SP_CERT_FILE: production.SAML_SP_CERT_FILE };
    const prod = { ...production, ...files, DATABASE_URL: 'postgres://pe@db.internal/pe' };
    expect(loadConfig(prod, work).migrateOnStart).toBe(false);
    expect(loadConfig({ ...prod, MIGRATE_ON_START: 'true' }, work).migrateOnStart).toBe(true);
    expect(loadConfig({ DATA_DIR: work }, work).migrateOnStart).toBe(true);
    expect(loadConfig({ DATA_DIR: work, MIGRATE_ON_START: 'false' }, work).migrateOnStart).toBe(false);
    expect(() => loadConfig({ ...prod, MIGRATE_ON_START: 'sometimes' }, work)).toThrow(/MIGRATE_ON_START must be true or false/);
  });

  it('a production API replica leaves pending migrations to db:migrate and warns how many there are', async () => {
    const url = await emptyDatabase();
    const api = await spawnApi({ ...production, DATABASE_URL: url }, { production: true });
    apis.push(api);
    expect(await tables(url)).toEqual([]);
    const warning = api.output
      .join('')
      .split('\n')
      .find((line) => line.includes('Migrations are pending'));
    expect(JSON.parse(warning!)).toMatchObject({ level: 'warn', pending: MIGRATIONS.length });
    await api.stop();

    // The one-shot migrate service's command, then a replica finds nothing to say.
    const migrated = spawnSync(process.execPath, [CLI_MAIN, 'db:migrate'], {
      env: { ...production, PATH: process.env.PATH ?? '', DATABASE_URL: url },
      encoding: 'utf8',
    });
    expect(migrated.status).toBe(0);
    expect(migrated.stdout).toContain(`Applied ${MIGRATIONS.length} migration(s)`);
    const again = await spawnApi({ ...production, DATABASE_URL: url }, { production: true });
    apis.push(again);
    expect(again.output.join('')).not.toContain('Migrations are pending');
    const health = await fetch(`${again.baseUrl}/health`);
    expect(health.status).toBe(200);
  }, 240_000);

  it('MIGRATE_ON_START=true makes a production process migrate on start', async () => {
    const url = await emptyDatabase();
    const api = await spawnApi({ ...production, DATABASE_URL: url, MIGRATE_ON_START: 'true' }, { production: true });
    apis.push(api);
    expect(api.output.join('')).not.toContain('Migrations are pending');
    expect(await tables(url)).toEqual(expect.arrayContaining(['migrations', 'practice', 'member']));
  }, 180_000);
});
