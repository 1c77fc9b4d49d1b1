import { Injectable } from '@nestjs/common';
import { SamlStateRepository } from '#identity';
import type { PeriodicJob } from '../queue.js';

/** Hourly, forgets expired SAML requests and assertion IDs: once expired, the ACS refuses them on their times alone. */
@Injectable()
export class SamlStatePurgeJob implements PeriodicJob {
  readonly name = 'saml-state-purge';
  readonly cron = '7 * * * *';
  readonly queue = { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 10 * 60 };

  constructor(private readonly samlState: SamlStateRepository) {}

  async run(): Promise<void> {
    await this.samlState.purgeExpired(new Date());
  }
}
