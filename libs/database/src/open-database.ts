import path from 'node:path';
import type { AppConfig } from '#config';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate, type DataSourceSettings } from './data-source.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded/embedded-postgres.js';
import { migrationStatus } from './migration-status.js';
import { createDatabase } from './provisioning.js';

export const EMBEDDED_DATABASE_NAME = 'practice_exchange';

export interface OpenDatabase {
  dataSource: DataSource;
  /** Set in demo mode: the embedded server, to stop on shutdown. */
  embedded?: EmbeddedDatabase;
  /** Names of the migrations this start applied. */
  applied: string[];
  /** Names of the migrations still to apply, when this start was told not to apply them. */
  pending: string[];
  close(): Promise<void>;
}

/**
 * Connects to `DATABASE_URL`, or starts the embedded PostgreSQL under the data folder when it is unset, and applies
 * pending migrations, or with `migrate: false` only lists them (production replicas leave them to `db:migrate`).
 */
export async function openDatabase(
  config: AppConfig,
  schema: Pick<DataSourceSettings, 'entities' | 'migrations'>,
  options: { migrate: boolean; onLog?: (line: string) => void } = { migrate: true },
): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres'), persistent: true, onLog: options.onLog });
    url = await createDatabase(embedded.url, EMBEDDED_DATABASE_NAME);
  }
  const dataSource = createDataSource({ url, readUrl: config.databaseReadUrl, ...schema });
  try {
    await dataSource.initialize();
  } catch (error) {
    await embedded?.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot connect to PostgreSQL${config.databaseUrl ? ' at DATABASE_URL' : ''}: ${reason}`);
  }
  const applied = options.migrate ? await migrate(dataSource) : [];
  const pending = options.migrate ? [] : (await migrationStatus(dataSource)).pending;
  return {
    dataSource,
    embedded,
    applied,
    pending,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
