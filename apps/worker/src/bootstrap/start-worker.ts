import 'reflect-metadata';
import { Logger, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '#config';
import type { DataSource } from 'typeorm';
import { JobQueue, type JobQueueOptions } from '../queue.js';
import { WORKER_JOBS, WorkerModule } from '../worker.module.js';

export interface RunningWorker {
  /**
   * Stops taking jobs, lets running ones finish for SHUTDOWN_GRACE_SECONDS, releases those still running for a retry
   * by another worker, and closes the worker's connections.
   */
  stop(): Promise<void>;
}

/**
 * Starts the job worker on an initialised DataSource (migrations applied): its Nest context without HTTP, and pg-boss
 * on the same database with every job scheduled. `npm start` runs it beside the API; `npm run start:worker` alone.
 */
export async function startWorker(
  config: AppConfig,
  dataSource: DataSource,
  logger: LoggerService | false,
  options: JobQueueOptions = {},
): Promise<RunningWorker> {
  const context = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, dataSource), { logger, abortOnError: false });
  let queue: JobQueue | undefined;
  try {
    queue = await JobQueue.start(dataSource, { stopTimeoutSeconds: config.shutdownGraceSeconds, ...options });
    for (const job of WORKER_JOBS) await queue.schedule(context.get(job));
  } catch (error) {
    await queue?.stop();
    await context.close();
    throw error;
  }
  const running = queue;
  new Logger('Worker').debug({ msg: 'Worker started', jobs: WORKER_JOBS.length });
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        await running.stop();
        await context.close();
      })();
      return stopped;
    },
  };
}
