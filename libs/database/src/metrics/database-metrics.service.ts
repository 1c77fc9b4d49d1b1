import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { scrapeGauge } from '#config';
import { DataSource } from 'typeorm';

/** The `pg` Pool's counters (TypeORM keeps the pool on its Postgres driver: `master`, and `slaves` with replication). */
interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * The DataSources of this process, each with how many modules hold it (the API and the worker of `npm start` share
 * one); normally one, but tests run several apps in one process.
 */
const holders = new Map<DataSource, number>();
const tracked = holders.keys.bind(holders);

function pools(): { pool: 'primary' | 'replica'; counts: PgPool }[] {
  const out: { pool: 'primary' | 'replica'; counts: PgPool }[] = [];
  for (const dataSource of tracked()) {
    if (!dataSource.isInitialized) continue;
    const driver = dataSource.driver as unknown as { master?: PgPool; slaves?: PgPool[] };
    if (driver.master) out.push({ pool: 'primary', counts: driver.master });
    for (const slave of driver.slaves ?? []) out.push({ pool: 'replica', counts: slave });
  }
  return out;
}

function poolGauge(name: string, help: string, read: (pool: PgPool) => number) {
  return scrapeGauge(name, help, ['pool'], async (gauge) => {
    gauge.reset();
    for (const { pool, counts } of pools()) gauge.inc({ pool }, read(counts));
  });
}

poolGauge('db_pool_connections', 'Open connections in the database pool (primary, or replica with DATABASE_READ_URL).', (p) => p.totalCount);
poolGauge('db_pool_idle_connections', 'Open connections in the database pool that no query holds.', (p) => p.idleCount);
poolGauge('db_pool_waiting_queries', 'Queries waiting for a connection because the pool is at its maximum.', (p) => p.waitingCount);

interface QueueRow {
  queue: string;
  created: number;
  retry: number;
  active: number;
  oldest_due_seconds: number;
}

/** pg-boss's tables (its own schema, `pgboss`): one row per queue, internal queues left out. */
const QUEUE_SQL = `
  SELECT q.name AS queue,
         count(j.id) FILTER (WHERE j.state = 'created')::int AS created,
         count(j.id) FILTER (WHERE j.state = 'retry')::int AS retry,
         count(j.id) FILTER (WHERE j.state = 'active')::int AS active,
         coalesce(extract(epoch FROM now() - min(j.start_after) FILTER (WHERE j.state IN ('created', 'retry') AND j.start_after <= now())), 0)::float8 AS oldest_due_seconds
    FROM pgboss.queue q
    LEFT JOIN pgboss.job j ON j.name = q.name AND j.state IN ('created', 'retry', 'active')
   WHERE q.name NOT LIKE '\\_\\_%'
   GROUP BY q.name`;

const logger = new Logger('DatabaseMetrics');
let inflight: Promise<QueueRow[]> | undefined;

/** One query for both queue gauges of a scrape (prom-client collects them together); none when no database is open. */
function queueRows(): Promise<QueueRow[]> {
  const dataSource = [...tracked()].find((d) => d.isInitialized);
  if (!dataSource) return Promise.resolve([]);
  inflight ??= (dataSource.query(QUEUE_SQL) as Promise<QueueRow[]>)
    .catch((error: unknown) => {
      // No pgboss schema yet (no worker has started), or the database is away: the gauges are left empty.
      logger.debug({ msg: 'job queue metrics unavailable', error: error instanceof Error ? error.message : String(error) });
      return [];
    })
    .finally(() => (inflight = undefined));
  return inflight;
}

scrapeGauge(
  'job_queue_jobs',
  'Jobs in the queue by state: created (waiting, possibly scheduled for later), retry (waiting after a failure), active (running).',
  ['queue', 'state'],
  async (gauge) => {
    const rows = await queueRows();
    gauge.reset();
    for (const row of rows) for (const state of ['created', 'retry', 'active'] as const) gauge.set({ queue: row.queue, state }, row[state]);
  },
);

scrapeGauge(
  'job_queue_oldest_due_job_age_seconds',
  'How long the oldest job that is due (created or retry, start time passed) has waited for a worker; 0 when none.',
  ['queue'],
  async (gauge) => {
    const rows = await queueRows();
    gauge.reset();
    for (const row of rows) gauge.set({ queue: row.queue }, row.oldest_due_seconds);
  },
);

/** Puts the application's DataSource into the pool and queue gauges while its module lives. */
@Injectable()
export class DatabaseMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    holders.set(this.dataSource, (holders.get(this.dataSource) ?? 0) + 1);
  }

  onModuleDestroy(): void {
    const left = (holders.get(this.dataSource) ?? 1) - 1;
    if (left > 0) holders.set(this.dataSource, left);
    else holders.delete(this.dataSource);
  }
}
