import { randomBytes } from 'node:crypto';
import { createDataSource, createDatabase } from '#database';
import type { DataSource } from 'typeorm';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';

/** A fresh database with every migration applied, copied from the run's template; its URL. */
export async function freshDatabaseUrl(): Promise<string> {
  const serverUrl = process.env.PE_TEST_SERVER_URL;
  const template = process.env.PE_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('The test database was not set up: run the tests through jest (npm test).');
  const name = `pe_test_${process.env.PE_TEST_RUN}_${randomBytes(4).toString('hex')}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await createDatabase(serverUrl, name, template);
    } catch (error) {
      // Two files copying the template at the same instant can collide; the copy itself is safe to retry.
      if (attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

/** An initialised DataSource on a fresh database. */
export async function freshDataSource(): Promise<DataSource> {
  return dataSourceFor(await freshDatabaseUrl());
}

/**
 * An initialised DataSource of its own on the database at `url` (a second process's view of the same data); with
 * `readUrl`, a streaming replica of it, as DATABASE_READ_URL configures.
 */
export function dataSourceFor(url: string, readUrl?: string): Promise<DataSource> {
  return createDataSource({ url, readUrl, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 }).initialize();
}
