import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createLogger, loadConfig } from '#config';
import { openDatabase } from '#database';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import { startWorker } from './bootstrap/start-worker.js';

/** `npm run start:worker`: configuration, database, migrations, then the job worker alone (no HTTP). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  Logger.overrideLogger(logger);
  const database = await openDatabase(config, { entities: ENTITIES, migrations: MIGRATIONS }, { migrate: config.migrateOnStart });
  // In production a one-shot `db:migrate` applies migrations before new code starts; replicas only say what is missing.
  if (database.pending.length) logger.warn({ msg: 'Migrations are pending; MIGRATE_ON_START is false, so run db:migrate', pending: database.pending.length }, 'Bootstrap');
  const worker = await startWorker(config, database.dataSource, logger);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'Worker stopping', signal }, 'Worker');
    try {
      await worker.stop();
      await database.close();
      process.exit(0);
    } catch (error) {
      logger.error({ msg: 'Worker did not stop cleanly', error: error instanceof Error ? error.message : String(error) }, 'Worker');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Practice Exchange worker could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
