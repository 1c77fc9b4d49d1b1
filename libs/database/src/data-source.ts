import pg from 'pg';
import { DataSource, type MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy.js';
import { SqlLogger } from './sql-logger.js';

type ClassList = MixedList<Function | string>;

export interface DataSourceSettings {
  url: string;
  entities: ClassList;
  migrations: ClassList;
  /** Connections in the pool; small by default, since api and worker may run side by side. */
  poolSize?: number;
  /** A streaming replica of `url` (DATABASE_READ_URL), for the reads that ask for it ({@link TransactionHost.onReplica}). */
  readUrl?: string;
}

/** The one way to build a DataSource: `synchronize` is off everywhere; the schema changes only through migrations. */
/**
 * Every connection's session settings. JIT compiles a plan when its estimated cost is high, as a search of a common
 * word is: some 15 ms of compiling for a statement that runs in tens of milliseconds, on every request.
 */
export const SESSION_OPTIONS = '-c jit=off';

export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    // Kept with replication too: the job queue and the migration lock connect to the primary by this URL.
    url: settings.url,
    // TypeORM sends every SELECT built by a query builder or repository to a replica unless told otherwise: 'master'
    // keeps them all on the primary, and only reads run through TransactionHost.onReplica go to the replica.
    ...(settings.readUrl ? { replication: { master: { url: settings.url }, slaves: [{ url: settings.readUrl }], defaultMode: 'master' as const } } : {}),
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    logger: new SqlLogger(),
    maxQueryExecutionTime: 2000,
    extra: { max: settings.poolSize ?? 10, options: SESSION_OPTIONS },
  });
}

/** Any fixed number: the advisory lock every process takes before migrating. */
const MIGRATION_LOCK = 727_361_001;

/**
 * Applies pending migrations; returns the names applied. An advisory lock makes an API and a worker starting at the
 * same moment take turns, since TypeORM does not lock the migrations table itself.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  // A connection of its own, so a pool of one still has one left for the migrations.
  const lock = new pg.Client({ connectionString: (dataSource.options as { url: string }).url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.end();
  }
}
