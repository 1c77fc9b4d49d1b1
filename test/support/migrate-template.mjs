// Applies every migration to the run's template database. A separate process, so the entity classes are never
// loaded into jest's own process (where they would clash with the copies the tests load).
import { createDataSource, migrate } from '../../dist/libs/database/src/index.js';
import { ENTITIES, MIGRATIONS } from '../../dist/migrations/schema.js';

const dataSource = createDataSource({ url: process.argv[2], entities: ENTITIES, migrations: MIGRATIONS, poolSize: 1 });
await dataSource.initialize();
await migrate(dataSource);
await dataSource.destroy();
