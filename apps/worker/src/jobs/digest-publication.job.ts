import { Injectable } from '@nestjs/common';
import { DIGEST_QUEUE_SETTINGS, DIGEST_QUEUES, DigestDispatchService, DigestJobs, type PublicationJob } from '#digests';
import type { PeriodicJob } from '../queue.js';

/** Sent inside a publication's transaction; runs DIGEST_IMMEDIATE_DELAY_SECONDS later and fans out to IMMEDIATE subscriptions. */
@Injectable()
export class DigestPublicationJob implements PeriodicJob {
  readonly name = DIGEST_QUEUES.publication;
  readonly queue = DIGEST_QUEUE_SETTINGS[DIGEST_QUEUES.publication];

  constructor(
    private readonly dispatch: DigestDispatchService,
    private readonly jobs: DigestJobs,
  ) {}

  async run(data: object): Promise<void> {
    const { practiceId } = data as PublicationJob;
    await this.jobs.enqueueDeliveries(await this.dispatch.forPublication(practiceId));
  }
}
