import type { DataSource } from 'typeorm';

export interface MigrationStatus {
  /** Names recorded in the migrations table, in the order they ran. */
  applied: string[];
  /** This version's migrations not yet applied, in the order they will run. */
  pending: string[];
  /** Applied migrations this version does not know: the database was migrated by a newer version. */
  unknown: string[];
}

/** Which migrations the database has, without applying any (an empty database has none yet). */
export async function migrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const table = dataSource.options.migrationsTableName ?? 'migrations';
  const [{ exists }] = (await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [`public.${table}`])) as { exists: boolean }[];
  const applied = exists ? ((await dataSource.query(`SELECT name FROM "${table}" ORDER BY id`)) as { name: string }[]).map((r) => r.name) : [];
  const known = dataSource.migrations.map((m) => m.name ?? m.constructor.name);
  return { applied, pending: known.filter((n) => !applied.includes(n)), unknown: applied.filter((n) => !known.includes(n)) };
}
