// npm run bench:seed [-- --scale 0.05 --seed N --practices N …]
//
// Builds the national-scale data `npm run bench` measures: a fresh database `practice_exchange_bench` on DATABASE_URL's
// server (never the database DATABASE_URL names), or, without DATABASE_URL, in an embedded PostgreSQL whose files stay
// under DATA_DIR (`.data/bench/postgres`) for `npm run bench` to start again. Migrated with the app's own migrations,
// filled set-based (bench/seed/generate.ts), analysed, then described in the manifest (bench/seed/manifest.ts) with
// the API tokens and ids the benchmark's scenarios use. See docs/benchmarks.md.
import 'reflect-metadata';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import pg from 'pg';
import { createDataSource, createDatabase, dropDatabase, migrate, startEmbeddedPostgres, withDatabaseName, type EmbeddedDatabase } from '#database';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { DEFAULT_SEED, FULL_SIZES, scaledSizes, seedDatabase } from './generate.js';
import { MANIFEST_VERSION, manifestPath, writeManifest, type SeedSizes } from './manifest.js';
import { Progress } from './progress.js';

const DATABASE_NAME = 'practice_exchange_bench';
const SIZE_FLAGS = Object.keys(FULL_SIZES) as (keyof SeedSizes)[];

interface Flags {
  scale: number;
  seed: number;
  jobs: number;
  now?: Date;
  sizes: Partial<SeedSizes>;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nUsage: npm run bench:seed -- [--scale 1] [--seed ${DEFAULT_SEED}] [--jobs 2] [--now 2026-12-07] ${SIZE_FLAGS.map((f) => `[--${f} N]`).join(' ')}\n`,
  );
  process.exit(2);
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { scale: 1, seed: DEFAULT_SEED, jobs: 2, sizes: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i]!;
    if (name === '--help' || name === '-h') usage('Generates the benchmark data (see docs/benchmarks.md).');
    const value = argv[i + 1];
    if (value === undefined) usage(`${name} needs a value`);
    i += 1;
    const number = Number(value.replace(/[_,]/g, ''));
    if (name === '--scale') {
      if (!(number > 0 && number <= 10)) usage(`--scale takes a number above 0 and at most 10, not "${value}"`);
      flags.scale = number;
    } else if (name === '--now') {
      const at = new Date(value);
      if (Number.isNaN(at.getTime())) usage(`--now takes a date (2026-12-07), not "${value}"`);
      flags.now = at;
    } else if (name === '--seed' || name === '--jobs' || SIZE_FLAGS.includes(name.slice(2) as keyof SeedSizes)) {
      if (!Number.isInteger(number) || number < (name === '--seed' ? 0 : 1)) usage(`${name} takes a whole number, not "${value}"`);
      if (name === '--seed') flags.seed = number;
      else if (name === '--jobs') flags.jobs = Math.min(number, 16);
      else flags.sizes[name.slice(2) as keyof SeedSizes] = number;
    } else {
      usage(`Unknown flag ${name}`);
    }
  }
  return flags;
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function databaseExists(serverUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabaseName(serverUrl, 'postgres') });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const sizes = scaledSizes(flags.scale, flags.sizes);
  // Midnight UTC of the day (or --now): the same seed on the same day gives the same rows.
  const anchor = new Date(Math.floor((flags.now ?? new Date()).getTime() / 86_400_000) * 86_400_000);
  // The migrations' SQL would drown the progress lines.
  Logger.overrideLogger(['error', 'warn']);

  const started = performance.now();
  let embedded: EmbeddedDatabase | undefined;
  let serverUrl: string;
  const dataDir = path.resolve(process.env.DATA_DIR || '.data', 'bench', 'postgres');
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
    const named = new URL(serverUrl).pathname.replace(/^\//, '');
    if (named === DATABASE_NAME)
      throw new Error(
        `DATABASE_URL names ${DATABASE_NAME} itself; name the server's usual database (such as postgres) and the benchmark database is made beside it.`,
      );
  } else {
    say(`Starting the embedded PostgreSQL in ${dataDir} …`);
    embedded = await startEmbeddedPostgres({ dataDir, persistent: true });
    if (embedded.relocatedBecause) say(`  (its files are in ${embedded.dataDir}: ${embedded.relocatedBecause})`);
    serverUrl = embedded.url;
  }
  const shownServer = new URL(serverUrl);
  shownServer.password = '';
  try {
    if (await databaseExists(serverUrl, DATABASE_NAME)) say(`Dropping the earlier ${DATABASE_NAME} on ${shownServer.host}.`);
    await dropDatabase(serverUrl, DATABASE_NAME);
    say(`Creating ${DATABASE_NAME} on ${shownServer.host} with the app's migrations.`);
    const url = await createDatabase(serverUrl, DATABASE_NAME);
    const dataSource = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 1 }).initialize();
    try {
      await migrate(dataSource);
    } finally {
      await dataSource.destroy();
    }
    say(
      `Seeding (seed ${flags.seed}, scale ${flags.scale}, ${flags.jobs} connections): ${SIZE_FLAGS.map((f) => `${sizes[f].toLocaleString('en-GB')} ${f}`).join(', ')}`,
    );
    const result = await seedDatabase(url, { seed: flags.seed, sizes, anchor, jobs: flags.jobs, progress: new Progress() });
    const seconds = (performance.now() - started) / 1000;
    const file = manifestPath();
    writeManifest(
      {
        version: MANIFEST_VERSION,
        seed: flags.seed,
        sizes: result.sizes,
        database: embedded ? { embeddedDataDir: dataDir, databaseName: DATABASE_NAME } : { url: withDatabaseName(serverUrl, DATABASE_NAME) },
        tokens: result.tokens,
        practices: result.practices,
        search: result.search,
        seededInSeconds: Math.round(seconds * 10) / 10,
        seededAt: new Date().toISOString(),
      },
      file,
    );
    say(`Done in ${seconds.toFixed(1)} s (migrations included). Manifest: ${file}`);
    say(`Database: ${embedded ? `${DATABASE_NAME} in the embedded server of ${dataDir}` : withDatabaseName(shownServer.toString(), DATABASE_NAME)}`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:seed failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
