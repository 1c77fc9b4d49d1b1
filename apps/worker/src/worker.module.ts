import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { IdentityModule } from '#identity';
import { DigestsModule } from '#digests';
import { DigestDeliverJob } from './jobs/digest-deliver.job.js';
import { DigestPublicationJob } from './jobs/digest-publication.job.js';
import { DigestScheduleJob } from './jobs/digest-schedule.job.js';
import type { DataSource } from 'typeorm';
import { IdpMetadataRefreshJob } from './jobs/idp-metadata-refresh.job.js';
import { SamlStatePurgeJob } from './jobs/saml-state-purge.job.js';

/** Every job the worker runs; `startWorker` schedules each. */
export const WORKER_JOBS = [IdpMetadataRefreshJob, SamlStatePurgeJob, DigestPublicationJob, DigestScheduleJob, DigestDeliverJob];

/** The libraries' services and repositories (never their GraphQL modules) and the job handlers that call them. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forDataSource(dataSource), IdentityModule, DigestsModule],
      providers: WORKER_JOBS,
    };
  }
}
