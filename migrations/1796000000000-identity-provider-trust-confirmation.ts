import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An IdP records a change of its trust (entity ID, signing certificates, metadata source) and a platform admin's
 * confirmation of it; IdPs configured before count as confirmed.
 */
export class IdentityProviderTrustConfirmation1796000000000 implements MigrationInterface {
  name = 'IdentityProviderTrustConfirmation1796000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "identity_provider" ADD "trust_changed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "identity_provider" ADD "trust_changed_by_member_id" uuid`);
    await queryRunner.query(`ALTER TABLE "identity_provider" ADD "trust_confirmed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "identity_provider" ADD "trust_confirmed_by_member_id" uuid`);
    await queryRunner.query(`ALTER TYPE "public"."audit_action" ADD VALUE IF NOT EXISTS 'IDP_TRUST_CONFIRMED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // PostgreSQL cannot drop one value of an enum: the type is rebuilt with its other values (whichever later
    // migrations added), and this one's events are kept as IDP_CHANGED.
    await queryRunner.query(`UPDATE "audit_event" SET "action" = 'IDP_CHANGED' WHERE "action" = 'IDP_TRUST_CONFIRMED'`);
    const values = ((await queryRunner.query(`SELECT unnest(enum_range(NULL::"public"."audit_action"))::text AS value`)) as { value: string }[])
      .map((r) => r.value)
      .filter((v) => v !== 'IDP_TRUST_CONFIRMED');
    await queryRunner.query(`ALTER TYPE "public"."audit_action" RENAME TO "audit_action_old"`);
    await queryRunner.query(`CREATE TYPE "public"."audit_action" AS ENUM(${values.map((v) => `'${v}'`).join(', ')})`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "action" TYPE "public"."audit_action" USING "action"::text::"public"."audit_action"`);
    await queryRunner.query(`DROP TYPE "public"."audit_action_old"`);
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP COLUMN "trust_confirmed_by_member_id"`);
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP COLUMN "trust_confirmed_at"`);
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP COLUMN "trust_changed_by_member_id"`);
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP COLUMN "trust_changed_at"`);
  }
}
