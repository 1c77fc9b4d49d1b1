import { Injectable } from '@nestjs/common';
import { DigestDispatchService, DigestJobs } from '#digests';
import type { PeriodicJob } from '../queue.js';

/** Every five minutes: DAILY and WEEKLY subscriptions whose hour has come get one delivery job each. */
@Injectable()
export class DigestScheduleJob implements PeriodicJob {
  readonly name = 'digest-schedule';
  readonly cron = '*/5 * * * *';
  readonly queue = { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 4 * 60 };

  constructor(
    private readonly dispatch: DigestDispatchService,
    private readonly jobs: DigestJobs,
  ) {}

  async run(): Promise<void> {
    await this.jobs.enqueueDeliveries(await this.dispatch.dueScheduled(new Date(), 1000));
  }
}
