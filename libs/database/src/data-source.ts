import pg from 'pg';
import { DataSource, type MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './naming.strategy.js';
import { SqlLogger } from './sql-logger.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassList = MixedList<Function | string>;

export interface DataSourceSettings {
  url: string;
  entities: ClassList;
  migrations: ClassList;
  /** Connections in the pool; small by default, since api and worker may run side by side. */
  poolSize?: number;
}

/** The one way to build a DataSource: `synchronize` is off everywhere; the schema changes only through migrations. */
export function createDataSource(settings: DataSourceSettings): DataSource {
  return new DataSource({
    type: 'postgres',
    url: settings.url,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    namingStrategy: new SnakeNamingStrategy(),
    logger: new SqlLogger(),
    maxQueryExecutionTime: 2000,
    extra: { max: settings.poolSize ?? 10 },
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
