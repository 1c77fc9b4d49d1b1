import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, createLogger, keepDemoSecret, loadConfig, serveMetrics } from '#config';
import { openDatabase } from '#database';
import { ENTITIES, MIGRATIONS } from '../../../migrations/schema.js';
import { startWorker } from './bootstrap/start-worker.js';

/** `npm run start:worker`: configuration, database, migrations, then the job worker alone (no HTTP). */
async function main(): Promise<void> {
  const config = keepDemoSecret(loadConfig());
  const logger = createLogger(config.logLevel);
  Logger.overrideLogger(logger);
  const database = await openDatabase(config, { entities: ENTITIES, migrations: MIGRATIONS }, { migrate: config.migrateOnStart });
  // In production a one-shot `db:migrate` applies migrations before new code starts; replicas only say what is missing.
  if (database.pending.length)
    logger.warn({ msg: 'Migrations are pending; MIGRATE_ON_START is false, so run db:migrate', pending: database.pending.length }, 'Bootstrap');
  const worker = await startWorker(config, database.dataSource, logger);
  // The digests and jobs are counted here, so with METRICS_PORT the worker serves its own metrics.
  const metrics = config.metricsPort === undefined ? undefined : await serveMetrics(config);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      // A second signal (Ctrl-C twice): stop now; pg-boss retries the running jobs once they expire.
      logger.warn({ msg: 'Worker stopping at once', signal }, 'Worker');
      process.exit(1);
    }
    stopping = true;
    logger.log({ msg: 'Worker stopping: running jobs may finish', signal, graceSeconds: config.shutdownGraceSeconds }, 'Worker');
    // Should closing the database hang, the process still ends.
    setTimeout(() => process.exit(1), (config.shutdownGraceSeconds + 10) * 1000).unref();
    try {
      await worker.stop();
      await metrics?.close();
      await database.close();
      process.exit(0);
    } catch (error) {
      logger.error({ msg: 'Worker did not stop cleanly', error: error instanceof Error ? error.message : String(error) }, 'Worker');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Practice Exchange worker could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
