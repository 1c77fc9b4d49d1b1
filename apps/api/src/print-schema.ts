import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import { createApi } from './bootstrap/create-api.js';
import { schemaFileText } from './schema-file.js';

/** Writes schema.graphql from the code; needs no database (the DataSource is never connected). */
async function main(): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://unused@127.0.0.1/unused', APP_SECRET: 'x'.repeat(32) });
  const app = await createApi(config, createDataSource({ url: 'postgres://unused@127.0.0.1/unused', entities: ENTITIES, migrations: MIGRATIONS }), false);
  await app.init();
  writeFileSync('schema.graphql', schemaFileText(app));
  await app.close();
  process.stdout.write('schema.graphql written\n');
}

void main();
