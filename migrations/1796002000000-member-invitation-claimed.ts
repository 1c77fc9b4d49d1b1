import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log records when a member the operator invited (`member:create`: a member with no linked IdP subject)
 * is claimed by their first SAML sign-in. The new value is not used in this transaction, as PostgreSQL requires.
 *
 * `down` deletes those audit rows (the value cannot outlive its type) and rebuilds the type without it, keeping any
 * value added since.
 */
export class MemberInvitationClaimed1796002000000 implements MigrationInterface {
  name = 'MemberInvitationClaimed1796002000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TYPE "public"."audit_action" ADD VALUE 'MEMBER_INVITATION_CLAIMED'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "audit_event" WHERE "action" = 'MEMBER_INVITATION_CLAIMED'`);
    const values = ((await queryRunner.query(`SELECT unnest(enum_range(NULL::"public"."audit_action"))::text AS value`)) as { value: string }[])
      .map((r) => r.value)
      .filter((v) => v !== 'MEMBER_INVITATION_CLAIMED');
    await queryRunner.query(`ALTER TYPE "public"."audit_action" RENAME TO "audit_action_old"`);
    await queryRunner.query(`CREATE TYPE "public"."audit_action" AS ENUM(${values.map((v) => `'${v}'`).join(', ')})`);
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "action" TYPE "public"."audit_action" USING "action"::text::"public"."audit_action"`);
    await queryRunner.query(`DROP TYPE "public"."audit_action_old"`);
  }
}
