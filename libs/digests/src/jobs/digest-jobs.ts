import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig } from '#config';
import { TransactionHost, retryOnDeadlock } from '#database';
import { PracticePublication } from '#practices';
import PgBoss from 'pg-boss';
import { DataSource } from 'typeorm';

/** Queue names of the digest work; the worker registers their handlers. */
export const DIGEST_QUEUES = {
  /** A practice was published: find the IMMEDIATE subscriptions it goes to. */
  publication: 'digest-publication',
  /** Send one subscription's digest for one period. */
  deliver: 'digest-deliver',
} as const;

export interface DeliverJob {
  subscriptionId: string;
  periodKey: string;
}

export interface PublicationJob {
  practiceId: string;
}

/**
 * Enqueues digest work on pg-boss through the transaction in force, so a publication and its digest work are
 * committed together or not at all (no event lost between processes). Sending needs no running pg-boss: only its
 * schema and queues, which this makes sure of before the first send (not at start, so that building the application,
 * as the schema printer does, needs no database).
 */
@Injectable()
export class DigestJobs implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(DigestJobs.name);
  private readonly boss: PgBoss;
  private ready?: Promise<void>;

  constructor(
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly publication: PracticePublication,
    dataSource: DataSource,
  ) {
    this.boss = new PgBoss({ connectionString: (dataSource.options as { url: string }).url, schema: 'pgboss', max: 1, supervise: false, schedule: false });
    this.boss.on('error', (error) => this.logger.warn({ msg: 'job queue error', error: error.message }));
  }

  onModuleInit(): void {
    this.publication.onPublished((practiceId) => this.enqueuePublication(practiceId));
  }

  async onModuleDestroy(): Promise<void> {
    // A no-op unless start() went through (even if creating a queue then failed).
    await this.boss.stop({ graceful: false, wait: true });
  }

  /**
   * start() creates or upgrades the pgboss schema under pg-boss's own lock; queues must exist before a send (pg-boss 10),
   * and pg-boss creates them without one, so a worker starting at the same moment can deadlock with us: retried. A
   * failure is not kept, so the next send tries again rather than every publication failing until a restart.
   */
  private started(): Promise<void> {
    this.ready ??= (async () => {
      await this.boss.start();
      for (const name of Object.values(DIGEST_QUEUES)) await retryOnDeadlock(() => this.boss.createQueue(name));
    })().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /**
   * One delivery job per subscription and period. pg-boss 10 does not refuse a second job with the same singleton key
   * on a standard queue, so a copy may run: it finds the delivery sent, or its send lock taken, and sends nothing.
   */
  async enqueueDeliveries(requests: DeliverJob[], startAfterSeconds = 0): Promise<void> {
    await this.started();
    for (const request of requests) {
      await this.boss.send(DIGEST_QUEUES.deliver, request, {
        startAfter: startAfterSeconds,
        singletonKey: `${request.subscriptionId}:${request.periodKey}:${startAfterSeconds}`,
        retryLimit: 3,
        retryBackoff: true,
      });
    }
  }

  /** Inside the publishing transaction: the IMMEDIATE matching waits DIGEST_IMMEDIATE_DELAY_SECONDS to batch. */
  async enqueuePublication(practiceId: string): Promise<void> {
    const manager = this.tx.manager;
    await this.started();
    await this.boss.send(DIGEST_QUEUES.publication, { practiceId } satisfies PublicationJob, {
      startAfter: this.config.digestImmediateDelaySeconds,
      retryLimit: 5,
      retryBackoff: true,
      db: { executeSql: async (text: string, values: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) },
    });
  }
}
