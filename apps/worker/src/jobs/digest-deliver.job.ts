import { Injectable } from '@nestjs/common';
import { DIGEST_QUEUES, DigestDeliveryService, DigestJobs, type DeliverJob } from '#digests';
import type { PeriodicJob } from '../queue.js';

/** Sends one digest; a failure the receiver may recover from comes back later on the delivery's own schedule. */
@Injectable()
export class DigestDeliverJob implements PeriodicJob {
  readonly name = DIGEST_QUEUES.deliver;
  readonly queue = { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 10 * 60 };

  constructor(
    private readonly deliveries: DigestDeliveryService,
    private readonly jobs: DigestJobs,
  ) {}

  async run(data: object): Promise<void> {
    const request = data as DeliverJob;
    const outcome = await this.deliveries.deliver(request.subscriptionId, request.periodKey);
    if (typeof outcome === 'object') await this.jobs.enqueueDeliveries([request], Math.ceil(outcome.retryAfterMs / 1000));
  }
}
