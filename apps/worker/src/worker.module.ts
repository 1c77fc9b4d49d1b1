import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { IdentityModule } from '#identity';
import type { DataSource } from 'typeorm';
import { IdpMetadataRefreshJob } from './jobs/idp-metadata-refresh.job.js';
import { SamlStatePurgeJob } from './jobs/saml-state-purge.job.js';

/** Every job the worker runs; `startWorker` schedules each. */
export const WORKER_JOBS = [IdpMetadataRefreshJob, SamlStatePurgeJob];

/** The libraries' services and repositories (never their GraphQL modules) and the job handlers that call them. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forDataSource(dataSource), IdentityModule],
      providers: WORKER_JOBS,
    };
  }
}
