/** Queue names of the digest work that is sent; the worker registers their handlers. */
export const DIGEST_QUEUES = {
  /** A practice was published: find the IMMEDIATE subscriptions it goes to. */
  publication: 'digest-publication',
  /** Send one subscription's digest for one period. */
  deliver: 'digest-deliver',
} as const;

/** Every five minutes the worker turns due DAILY and WEEKLY subscriptions into deliver jobs; nothing sends to it. */
export const DIGEST_SCHEDULE_QUEUE = 'digest-schedule';

export type DigestQueueName = (typeof DIGEST_QUEUES)[keyof typeof DIGEST_QUEUES] | typeof DIGEST_SCHEDULE_QUEUE;

/** How a digest queue retries and expires its jobs (seconds); the worker stores these with the queue. */
export interface DigestQueueSettings {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  /** A run still active after this long is failed by pg-boss (and retried while attempts remain). */
  expireInSeconds: number;
}

export const DIGEST_QUEUE_SETTINGS: Readonly<Record<DigestQueueName, Readonly<DigestQueueSettings>>> = {
  [DIGEST_QUEUES.publication]: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 15 * 60 },
  [DIGEST_QUEUES.deliver]: { retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 10 * 60 },
  [DIGEST_SCHEDULE_QUEUE]: { retryLimit: 2, retryDelay: 30, retryBackoff: true, expireInSeconds: 4 * 60 },
};

/**
 * What a sender puts on each job: the attempts and backoff of its queue. The delay and expiry are left to the queue,
 * where a closed setup may shorten them for every job.
 */
export function digestSendRetry(queue: DigestQueueName): { retryLimit: number; retryBackoff: boolean } {
  const { retryLimit, retryBackoff } = DIGEST_QUEUE_SETTINGS[queue];
  return { retryLimit, retryBackoff };
}
