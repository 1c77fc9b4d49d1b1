import { DIGEST_QUEUE_SETTINGS, DIGEST_QUEUES, digestSendRetry } from '../../libs/digests/src/jobs/digest-queues.js';

describe('digest queues', () => {
  it('sends each job with the attempts and backoff its queue is created with', () => {
    for (const name of Object.values(DIGEST_QUEUES)) {
      const { retryLimit, retryBackoff } = DIGEST_QUEUE_SETTINGS[name];
      expect(digestSendRetry(name)).toEqual({ retryLimit, retryBackoff });
    }
  });

  it('leaves the delay and expiry to the queue, where a closed setup may shorten them', () => {
    expect(Object.keys(digestSendRetry(DIGEST_QUEUES.deliver)).sort()).toEqual(['retryBackoff', 'retryLimit']);
  });
});
