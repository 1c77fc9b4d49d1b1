import { Global, Module, type DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseMetrics } from './metrics/database-metrics.service.js';
import { TransactionHost } from './transaction-host.js';

/** Provides the application's initialised DataSource and the transaction host to every module. */
@Global()
@Module({})
export class DatabaseModule {
  static forDataSource(dataSource: DataSource): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DataSource, useValue: dataSource }, TransactionHost, DatabaseMetrics],
      exports: [DataSource, TransactionHost],
    };
  }
}
