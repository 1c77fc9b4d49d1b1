// npm run migration:generate -- <PascalName>: writes migrations/<timestamp>-<kebab-name>.ts with what the entities
// need beyond the existing migrations. Read and edit it, then add it to migrations/index.ts.
import { writeFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import {
  createDataSource,
  createDatabase,
  dropDatabase,
  migrate,
  migrationSource,
  schemaDrift,
  startEmbeddedPostgres,
} from '../dist/libs/database/src/index.js';
import { ENTITIES, MIGRATIONS } from '../dist/migrations/schema.js';

Logger.overrideLogger(['error', 'warn']);
const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  process.stderr.write('Usage: npm run migration:generate -- AddSomething   (PascalCase name)\n');
  process.exit(2);
}
const embedded = process.env.DATABASE_URL ? undefined : await startEmbeddedPostgres({ dataDir: '.data/migration-scratch', persistent: false });
const server = process.env.DATABASE_URL ?? embedded.url;
const scratch = `pe_migration_${Date.now()}`;
const dataSource = createDataSource({ url: await createDatabase(server, scratch), entities: ENTITIES, migrations: MIGRATIONS });
try {
  await dataSource.initialize();
  await migrate(dataSource);
  const drift = await schemaDrift(dataSource);
  if (drift.up.length === 0) {
    process.stdout.write('Entities and migrations agree; nothing to generate.\n');
  } else {
    const timestamp = Date.now();
    const file = `migrations/${timestamp}-${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()}.ts`;
    writeFileSync(file, migrationSource(`${name}${timestamp}`, drift));
    process.stdout.write(`Wrote ${file} (${drift.up.length} statements). Review it, then list it in migrations/index.ts.\n`);
  }
} finally {
  await dataSource.destroy();
  await dropDatabase(server, scratch);
  await embedded?.stop();
}
