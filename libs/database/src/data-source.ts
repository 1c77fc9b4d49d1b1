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

/** Applies pending migrations; returns the names applied. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}
