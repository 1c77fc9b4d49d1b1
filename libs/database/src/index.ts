export { createDataSource, migrate, type DataSourceSettings } from './data-source.js';
export { DatabaseModule } from './database.module.js';
export { startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedDatabaseOptions } from './embedded/embedded-postgres.js';
export { EMBEDDED_DATABASE_NAME, openDatabase, type OpenDatabase } from './open-database.js';
export { createDatabase, dropDatabase, withDatabaseName } from './provisioning.js';
export { migrationSource, schemaDrift, type SchemaDrift } from './schema-drift.js';
export { SnakeNamingStrategy } from './naming.strategy.js';
export { SqlLogger } from './sql-logger.js';
export { TransactionHost } from './transaction-host.js';
