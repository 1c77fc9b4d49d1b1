import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import type { DataSource } from 'typeorm';
import { CliModule } from '../../apps/cli/src/cli.module.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { freshDatabaseUrl } from './database.js';

/** The APP_SECRET the CLI specs give both the commands they run and their own context. */
export const CLI_APP_SECRET = 'x'.repeat(32);

export interface CliContext {
  /** A fresh database, for `runCli(…, { env: { DATABASE_URL: url } })`. */
  url: string;
  dataSource: DataSource;
  /** The CLI's own module on that database, to set up and read back what the commands touch. */
  app: INestApplicationContext;
  close(): Promise<void>;
}

export async function openCliContext(): Promise<CliContext> {
  const url = await freshDatabaseUrl();
  const dataSource = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 2 }).initialize();
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: url, APP_SECRET: CLI_APP_SECRET });
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config, dataSource), { logger: false });
  return {
    url,
    dataSource,
    app,
    close: async () => {
      await app.close();
      await dataSource.destroy();
    },
  };
}
