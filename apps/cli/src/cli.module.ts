import { Module, type DynamicModule } from '@nestjs/common';
import { AppConfig, ConfigModule } from '#config';
import { DatabaseModule } from '#database';
import { DigestsModule } from '#digests';
import { IdentityModule } from '#identity';
import type { DataSource } from 'typeorm';

/**
 * What the operator commands need: identity's services on the database, no HTTP, no GraphQL. Digests come along
 * for what they register on identity's hooks, so a deactivation pauses the member's subscriptions as the API's does.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, dataSource: DataSource): DynamicModule {
    return { module: CliModule, imports: [ConfigModule.forRoot(config), DatabaseModule.forDataSource(dataSource), IdentityModule, DigestsModule] };
  }
}
