/**
 * The job worker in a process of its own, for tests that kill one (test/support/spawn-worker.ts starts it). It runs
 * compiled, as `node dist/test/support/worker-process.js`: configuration from the environment as `npm run
 * start:worker` reads it, a DataSource on DATABASE_URL (already migrated by the test), and `startWorker` with the
 * JobQueueOptions in PE_TEST_WORKER_OPTIONS (JSON), and its metrics on METRICS_PORT when set, as the worker serves them. It tells its parent over IPC once it takes jobs, stops on SIGTERM,
 * and exits when its parent goes away, so no worker outlives the test run.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLogger, loadConfig, serveMetrics } from '#config';
import { createDataSource } from '#database';
import { startWorker } from '../../apps/worker/src/bootstrap/start-worker.js';
import type { JobQueueOptions } from '../../apps/worker/src/queue.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required: the test worker joins the test database');
  const logger = createLogger(config.logLevel);
  Logger.overrideLogger(logger);
  const options = JSON.parse(process.env.PE_TEST_WORKER_OPTIONS || '{}') as JobQueueOptions;
  const dataSource = await createDataSource({ url: config.databaseUrl, entities: ENTITIES, migrations: MIGRATIONS, poolSize: 4 }).initialize();
  const worker = await startWorker(config, dataSource, logger, options);
  const metrics = config.metricsPort === undefined ? undefined : await serveMetrics(config);
  let stopping = false;
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'Test worker stopping', reason }, 'TestWorker');
    try {
      await worker.stop();
      await metrics?.close();
      await dataSource.destroy();
      process.exit(0);
    } catch (error) {
      logger.error({ msg: 'Test worker did not stop cleanly', error: error instanceof Error ? error.message : String(error) }, 'TestWorker');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('disconnect', () => void shutdown('parent gone'));
  process.send?.({ type: 'ready', pid: process.pid });
}

main().catch((error: unknown) => {
  process.stderr.write(`Test worker could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
