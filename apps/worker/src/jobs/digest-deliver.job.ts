import { Injectable } from '@nestjs/common';
import { DIGEST_QUEUE_SETTINGS, DIGEST_QUEUES, DigestDeliveryService, DigestJobs, type DeliverJob } from '#digests';
import type { PeriodicJob } from '../queue.js';

/**
 * Sends one digest, or builds a batch of Atom ones; a failure the receiver may recover from comes back later, on that
 * delivery's own schedule.
 */
@Injectable()
export class DigestDeliverJob implements PeriodicJob {
  readonly name = DIGEST_QUEUES.deliver;
  readonly queue = DIGEST_QUEUE_SETTINGS[DIGEST_QUEUES.deliver];
  /** Building digests is database work and sending is waiting on peers: four at once keep two cores busy. */
  readonly concurrency = 4;

  constructor(
    private readonly deliveries: DigestDeliveryService,
    private readonly jobs: DigestJobs,
  ) {}

  async run(data: object): Promise<void> {
    const { requests } = data as DeliverJob;
    const outcomes = await this.deliveries.deliverMany(requests);
    for (const [i, outcome] of outcomes.entries()) {
      if (typeof outcome === 'object') await this.jobs.enqueueDeliveries([requests[i]!], Math.ceil(outcome.retryAfterMs / 1000));
    }
  }
}
