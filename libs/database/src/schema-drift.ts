import type { DataSource } from 'typeorm';

export interface SchemaDrift {
  up: string[];
  down: string[];
}

/**
 * What TypeORM would change to make the database match the entities (what `migration:generate` writes). Empty
 * after every migration has run means entities and migrations agree.
 */
export async function schemaDrift(dataSource: DataSource): Promise<SchemaDrift> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return { up: log.upQueries.map((q) => q.query), down: log.downQueries.map((q) => q.query).reverse() };
}

/** The source of a migration class running `drift`, for a person to read and edit before committing. */
export function migrationSource(className: string, drift: SchemaDrift): string {
  const lines = (queries: string[]) => queries.map((q) => `    await queryRunner.query(\`${q.replace(/[`\\$]/g, (c) => `\\${c}`)}\`);`).join('\n');
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(drift.up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(drift.down)}
  }
}
`;
}
