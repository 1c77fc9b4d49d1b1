import { Logger } from '@nestjs/common';
import { requestIdOfJob, runWithLogContext } from '#config';
import { retryOnDeadlock } from '#database';
import PgBoss from 'pg-boss';
import type { DataSource } from 'typeorm';

/** pg-boss keeps its tables here and manages them itself: the one exemption from "migrations only" (ADR 0002). */
export const QUEUE_SCHEMA = 'pgboss';

/** How a job's queue retries and expires it; stored with the queue, so every process agrees. */
export interface QueueSettings {
  retryLimit: number;
  retryDelay: number;
  retryBackoff?: boolean;
  /** A run still active after this long is failed by pg-boss (and retried while attempts remain). */
  expireInSeconds: number;
}

/** Work the worker runs, on a schedule or when sent. The logic lives in a library; a job only calls it. */
export interface PeriodicJob {
  /** The queue's name: also what `send` takes, and the `kind` on every log line of a run. */
  readonly name: string;
  /** Five-field cron, in UTC; without one the job runs only when something sends it. */
  readonly cron?: string;
  readonly queue: QueueSettings;
  /** How many of its jobs one process runs at once (1 unless set). */
  readonly concurrency?: number;
  run(data: object): Promise<void>;
}

export interface JobQueueOptions {
  /** How often an idle worker asks for work (pg-boss's default, 2 s, unless set). */
  pollingIntervalSeconds?: number;
  /**
   * How often pg-boss's maintenance runs (pg-boss's default, 120 s, unless set). Maintenance is what fails a run that
   * outlived its queue's `expireInSeconds` (a worker that died mid-job), so it can be retried. One process on the
   * database runs it per interval. For tests and closed setups that must see a dead worker's job retried quickly;
   * production keeps the default.
   */
  maintenanceIntervalSeconds?: number;
  /**
   * Replaces some of a job's {@link QueueSettings}, by queue name: for example a short `expireInSeconds` and
   * `retryDelay` on `digest-deliver`, so a job whose worker was killed is retried within seconds instead of after ten
   * minutes. For tests and closed setups only: the settings are stored with the queue, so they apply to every process
   * on the database (until a worker without them starts and puts the job's own back), and a live run that outlasts a
   * short `expireInSeconds` is failed and retried while it is still running.
   */
  queueSettings?: Record<string, Partial<QueueSettings>>;
  /**
   * How long `stop()` lets running jobs finish (SHUTDOWN_GRACE_SECONDS; pg-boss waits at least one second). A job still
   * running then is failed by pg-boss, so it is retried later by another worker rather than lost.
   */
  stopTimeoutSeconds?: number;
}

/** Connections pg-boss may hold: polling, maintenance and cron are light. */
const POOL_SIZE = 4;
/** How long `stop()` waits for a running job before pg-boss fails it (it is retried later), unless set. */
const STOP_TIMEOUT_SECONDS = 25;

/** The URL of the application's database, so the queue lives on the same PostgreSQL (embedded or DATABASE_URL). */
function connectionUrl(dataSource: DataSource): string {
  const options = dataSource.options;
  if (options.type !== 'postgres' || !options.url) throw new Error('The job queue needs the PostgreSQL DataSource built from a URL (createDataSource).');
  return options.url;
}

/**
 * pg-boss on the application's database. Each job runs inside `runWithLogContext({ jobId, kind, attempt, requestId })`,
 * so every line it logs, down in the libraries, says which run wrote it and which request (if any) caused it; jobs it
 * sends carry that request id on.
 */
export class JobQueue {
  private readonly logger = new Logger(JobQueue.name);
  private stopped?: Promise<void>;

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: JobQueueOptions,
  ) {}

  /** Connects and creates or upgrades the `pgboss` schema (under pg-boss's own advisory lock, so processes may race). */
  static async start(dataSource: DataSource, options: JobQueueOptions = {}): Promise<JobQueue> {
    const boss = new PgBoss({
      connectionString: connectionUrl(dataSource),
      schema: QUEUE_SCHEMA,
      max: POOL_SIZE,
      application_name: 'practice-exchange-worker',
      // pg-boss checks the key's presence, not its value: leave it out unless set.
      ...(options.maintenanceIntervalSeconds === undefined ? {} : { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds }),
    });
    const queue = new JobQueue(boss, options);
    // pg-boss keeps polling after an error (a lost connection, say) and recovers by itself: retryable, so `warn`.
    // Once stopping, the server may be going down with us (the embedded one is stopped on the same signal): `debug`.
    boss.on('error', (error) => {
      const line = { msg: 'Job queue error', error: error.message, queue: (error as { queue?: string }).queue };
      if (queue.stopped) queue.logger.debug(line);
      else queue.logger.warn(line);
    });
    await boss.start();
    return queue;
  }

  /** Creates the job's queue (or brings its settings up to date), schedules it and starts working it. */
  async schedule(job: PeriodicJob): Promise<void> {
    const settings: QueueSettings = { ...job.queue, ...this.options.queueSettings?.[job.name] };
    // A queue must exist before anything is sent to it or scheduled on it (pg-boss 10); createQueue keeps existing settings.
    // Unlike its schema, pg-boss creates queues without a lock: workers starting together deadlock, and one retries.
    await retryOnDeadlock(() => this.boss.createQueue(job.name, { name: job.name, ...settings }));
    await this.boss.updateQueue(job.name, { name: job.name, ...settings });
    if (job.cron) await this.boss.schedule(job.name, job.cron, {}, { tz: 'UTC' });
    // pg-boss checks the key's presence, not its value: leave it out unless set.
    const polling = this.options.pollingIntervalSeconds === undefined ? {} : { pollingIntervalSeconds: this.options.pollingIntervalSeconds };
    const workOptions = { includeMetadata: true as const, batchSize: 1, ...polling };
    for (let i = 0; i < (job.concurrency ?? 1); i += 1) {
      await this.boss.work<object>(job.name, workOptions, async (batch) => {
        for (const item of batch) await this.runOne(job, item);
      });
    }
    this.logger.debug({ msg: 'Job scheduled', kind: job.name, cron: job.cron });
  }

  /**
   * Stops taking work, lets running jobs finish for up to `stopTimeoutSeconds`, fails (and so releases for a retry)
   * those still running, and closes the connections. Safe to call twice.
   */
  stop(): Promise<void> {
    const timeout = (this.options.stopTimeoutSeconds ?? STOP_TIMEOUT_SECONDS) * 1000;
    this.stopped ??= this.boss.stop({ graceful: true, wait: true, timeout });
    return this.stopped;
  }

  private runOne(job: PeriodicJob, item: PgBoss.JobWithMetadata<object>): Promise<void> {
    const attempt = item.retryCount + 1;
    return runWithLogContext({ jobId: item.id, kind: job.name, attempt, requestId: requestIdOfJob(item.data) }, async () => {
      const started = Date.now();
      this.logger.debug('Job started');
      try {
        await job.run(item.data ?? {});
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Rethrown, so pg-boss records the failure and retries while attempts remain.
        if (attempt > item.retryLimit)
          this.logger.error({ msg: 'Job failed, no attempts left', error: message }, error instanceof Error ? error.stack : undefined);
        else this.logger.warn({ msg: 'Job failed, will retry', error: message });
        throw error;
      }
      this.logger.debug({ msg: 'Job finished', durationMs: Date.now() - started });
    });
  }
}
