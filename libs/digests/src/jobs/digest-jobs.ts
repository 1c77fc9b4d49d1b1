import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { AppConfig, withRequestId } from '#config';
import { TransactionHost, retryOnDeadlock } from '#database';
import { PracticePublication } from '#practices';
import PgBoss from 'pg-boss';
import type { DeliveryRequest } from '../deliveries/digest-dispatch.service.js';
import { DigestChannel } from '../subscriptions/digest-subscription.entity.js';
import { DIGEST_QUEUES, digestSendRetry } from './digest-queues.js';
import { DataSource } from 'typeorm';

/** One or more digests to deliver: Atom ones in batches of {@link DELIVER_BATCH}, every other one alone. */
export interface DeliverJob {
  requests: DeliveryRequest[];
}

/**
 * How many Atom digests one deliver job builds, in one transaction: one commit for all of them (they send nothing,
 * so nothing waits on a peer). E-mail and webhook digests go one a job, so one slow receiver delays only its own.
 */
export const DELIVER_BATCH = 50;

export interface PublicationJob {
  practiceId: string;
}

/**
 * Enqueues digest work on pg-boss through the transaction in force, so a publication and its digest work are
 * committed together or not at all (no event lost between processes). Each job carries the request id in force (the
 * publishing request's, or the one the sending job carries), so the worker's lines can be traced to it. Sending
 * needs no running pg-boss: only its schema and queues, which this makes sure of before the first send (not at
 * start, so that building the application, as the schema printer does, needs no database).
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
   * Delivery jobs for these requests: Atom ones {@link DELIVER_BATCH} a job, the others one a job. pg-boss 10 does not
   * refuse a second job for the same delivery on a standard queue, so a copy may run: it finds the delivery sent, or
   * its send lock taken, and sends nothing.
   */
  async enqueueDeliveries(requests: DeliveryRequest[], startAfterSeconds = 0): Promise<void> {
    await this.started();
    const atom = requests.filter((r) => r.channel === DigestChannel.ATOM);
    const jobs: DeliverJob[] = requests.filter((r) => r.channel !== DigestChannel.ATOM).map((r) => ({ requests: [r] }));
    for (let i = 0; i < atom.length; i += DELIVER_BATCH) jobs.push({ requests: atom.slice(i, i + DELIVER_BATCH) });
    for (const job of jobs) {
      await this.boss.send(DIGEST_QUEUES.deliver, withRequestId(job), { startAfter: startAfterSeconds, ...digestSendRetry(DIGEST_QUEUES.deliver) });
    }
  }

  /** Inside the publishing transaction: the IMMEDIATE matching waits DIGEST_IMMEDIATE_DELAY_SECONDS to batch. */
  async enqueuePublication(practiceId: string): Promise<void> {
    const manager = this.tx.manager;
    await this.started();
    await this.boss.send(DIGEST_QUEUES.publication, withRequestId({ practiceId } satisfies PublicationJob), {
      startAfter: this.config.digestImmediateDelaySeconds,
      ...digestSendRetry(DIGEST_QUEUES.publication),
      db: { executeSql: async (text: string, values: unknown[]) => ({ rows: (await manager.query(text, values)) as unknown[] }) },
    });
  }
}
