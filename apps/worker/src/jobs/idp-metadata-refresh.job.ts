import { Injectable, Logger } from '@nestjs/common';
import { IdentityProviderRepository, IdentityProviderService } from '#identity';
import type { PeriodicJob } from '../queue.js';

/** IdPs refreshed in one run at most; the least recently refreshed go first, so a long list is covered over runs. */
export const IDP_REFRESH_BATCH = 50;

/**
 * Every 30 minutes, fetches the metadata of IdPs configured from a URL again, so a key rollover the IdP announces in
 * its metadata is followed (README, "SP key rollover"). `IdentityProviderService.refresh` records each IdP's failure on
 * its row and keeps the metadata in force, so one unreachable IdP does not fail the run.
 */
@Injectable()
export class IdpMetadataRefreshJob implements PeriodicJob {
  readonly name = 'idp-metadata-refresh';
  readonly cron = '*/30 * * * *';
  // Each fetch is bounded to 15 s by the outbound helper: a full batch fits well inside the expiry.
  readonly queue = { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 25 * 60 };
  private readonly logger = new Logger(IdpMetadataRefreshJob.name);

  constructor(
    private readonly idps: IdentityProviderRepository,
    private readonly service: IdentityProviderService,
  ) {}

  async run(): Promise<void> {
    const due = await this.idps.listWithMetadataUrl(IDP_REFRESH_BATCH);
    for (const idp of due) await this.service.refresh(idp);
    this.logger.debug({ msg: 'IdP metadata refresh run done', identityProviders: due.length });
  }
}
