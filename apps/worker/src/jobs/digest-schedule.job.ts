import { Injectable } from '@nestjs/common';
import { DIGEST_QUEUE_SETTINGS, DIGEST_SCHEDULE_QUEUE, DigestDispatchService, DigestJobs } from '#digests';
import type { PeriodicJob } from '../queue.js';

/** Every five minutes: DAILY and WEEKLY subscriptions whose hour has come get one delivery job each. */
@Injectable()
export class DigestScheduleJob implements PeriodicJob {
  readonly name = DIGEST_SCHEDULE_QUEUE;
  readonly cron = '*/5 * * * *';
  readonly queue = DIGEST_QUEUE_SETTINGS[DIGEST_SCHEDULE_QUEUE];

  constructor(
    private readonly dispatch: DigestDispatchService,
    private readonly jobs: DigestJobs,
  ) {}

  async run(): Promise<void> {
    await this.jobs.enqueueDeliveries(await this.dispatch.dueScheduled(new Date(), 1000));
  }
}
