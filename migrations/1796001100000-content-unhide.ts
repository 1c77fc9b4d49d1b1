import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A hide can be reversed: flags of content brought back become UNHIDDEN and record who did it and when, and the
 * audit log gets CONTENT_UNHIDDEN. The new enum values are not used in this transaction, as PostgreSQL requires.
 *
 * `down` turns UNHIDDEN flags into DISMISSED (the content was kept), deletes the CONTENT_UNHIDDEN audit rows (the
 * value cannot outlive its type), and rebuilds both types without the value, keeping any value added since.
 */
export class ContentUnhide1796001100000 implements MigrationInterface {
  name = 'ContentUnhide1796001100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."flag_status" ADD VALUE 'UNHIDDEN'`);
    await queryRunner.query(`ALTER TYPE "public"."audit_action" ADD VALUE 'CONTENT_UNHIDDEN'`);
    await queryRunner.query(`ALTER TABLE "flag" ADD "unhidden_by_id" uuid`);
    await queryRunner.query(`ALTER TABLE "flag" ADD "unhidden_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "flag" DROP COLUMN "unhidden_at"`);
    await queryRunner.query(`ALTER TABLE "flag" DROP COLUMN "unhidden_by_id"`);
    await queryRunner.query(`UPDATE "flag" SET "status" = 'DISMISSED' WHERE "status" = 'UNHIDDEN'`);
    await queryRunner.query(`DELETE FROM "audit_event" WHERE "action" = 'CONTENT_UNHIDDEN'`);
    await dropEnumValue(queryRunner, 'flag_status', 'UNHIDDEN');
    await dropEnumValue(queryRunner, 'audit_action', 'CONTENT_UNHIDDEN');
  }
}

/** Rebuilds enum `type` without `value` (PostgreSQL cannot drop one), converting every column that uses it. */
async function dropEnumValue(queryRunner: QueryRunner, type: string, value: string): Promise<void> {
  const labels = (await queryRunner.query(
    `SELECT e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typname = $1 ORDER BY e.enumsortorder`,
    [type],
  )) as { enumlabel: string }[];
  const columns = (await queryRunner.query(
    `SELECT table_name, column_name, column_default FROM information_schema.columns WHERE table_schema = 'public' AND udt_name = $1`,
    [type],
  )) as { table_name: string; column_name: string; column_default: string | null }[];
  const kept = labels.map((l) => l.enumlabel).filter((l) => l !== value);
  await queryRunner.query(`ALTER TYPE "public"."${type}" RENAME TO "${type}_old"`);
  await queryRunner.query(`CREATE TYPE "public"."${type}" AS ENUM(${kept.map((l) => `'${l.replace(/'/g, "''")}'`).join(', ')})`);
  for (const c of columns) {
    if (c.column_default !== null) await queryRunner.query(`ALTER TABLE "${c.table_name}" ALTER COLUMN "${c.column_name}" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "${c.table_name}" ALTER COLUMN "${c.column_name}" TYPE "public"."${type}" USING "${c.column_name}"::"text"::"public"."${type}"`,
    );
    if (c.column_default !== null) {
      const restored = c.column_default.replace(`::${type}_old`, `::"public"."${type}"`);
      await queryRunner.query(`ALTER TABLE "${c.table_name}" ALTER COLUMN "${c.column_name}" SET DEFAULT ${restored}`);
    }
  }
  await queryRunner.query(`DROP TYPE "public"."${type}_old"`);
}
