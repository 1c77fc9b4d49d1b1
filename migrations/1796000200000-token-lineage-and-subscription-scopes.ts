import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scopes bind every path:
 * - `api_token.created_by_token_id` becomes a foreign key (kept as NULL when the minting token row goes), indexed,
 *   since revoking a token now revokes every token minted from it; tokens already minted from a revoked token are
 *   revoked here, as they would have been;
 * - `digest_subscription.composer_scopes`: the scopes of the token that last saved a subscription (NULL: a session),
 *   which its digests are composed under; existing subscriptions keep composing as their member (NULL);
 * - the `SESSION_REVOKED` audit action.
 */
export class TokenLineageAndSubscriptionScopes1796000200000 implements MigrationInterface {
  name = 'TokenLineageAndSubscriptionScopes1796000200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "digest_subscription" ADD "composer_scopes" "public"."token_scope" array`);
    await queryRunner.query(`ALTER TYPE "public"."audit_action" ADD VALUE IF NOT EXISTS 'SESSION_REVOKED'`);
    // A minting token that no longer exists leaves nothing to point at.
    await queryRunner.query(
      `UPDATE "api_token" t SET "created_by_token_id" = NULL
       WHERE t."created_by_token_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "api_token" p WHERE p."id" = t."created_by_token_id")`,
    );
    await queryRunner.query(`CREATE INDEX "api_token_created_by_token_idx" ON "api_token" ("created_by_token_id")`);
    await queryRunner.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "FK_82a17c7406a2257f26d52d59649" FOREIGN KEY ("created_by_token_id") REFERENCES "api_token"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `WITH RECURSIVE tree AS (
         SELECT c."id", p."revoked_at" FROM "api_token" c JOIN "api_token" p ON p."id" = c."created_by_token_id" WHERE p."revoked_at" IS NOT NULL
         UNION
         SELECT c."id", tree."revoked_at" FROM "api_token" c JOIN tree ON c."created_by_token_id" = tree."id")
       UPDATE "api_token" t SET "revoked_at" = tree."revoked_at" FROM tree WHERE t."id" = tree."id" AND t."revoked_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "api_token" DROP CONSTRAINT "FK_82a17c7406a2257f26d52d59649"`);
    await queryRunner.query(`DROP INDEX "public"."api_token_created_by_token_idx"`);
    // PostgreSQL cannot drop one value of an enum: rebuild the type from its other values (whatever later
    // migrations added stays), after removing the events that use it.
    await queryRunner.query(`DELETE FROM "audit_event" WHERE "action"::text = 'SESSION_REVOKED'`);
    await queryRunner.query(`ALTER TYPE "public"."audit_action" RENAME TO "audit_action_old"`);
    await queryRunner.query(
      `DO $$ BEGIN
         EXECUTE (SELECT format('CREATE TYPE "public"."audit_action" AS ENUM(%s)', string_agg(quote_literal(enumlabel), ', ' ORDER BY enumsortorder))
                  FROM pg_enum WHERE enumtypid = '"public"."audit_action_old"'::regtype AND enumlabel <> 'SESSION_REVOKED');
       END $$`,
    );
    await queryRunner.query(`ALTER TABLE "audit_event" ALTER COLUMN "action" TYPE "public"."audit_action" USING "action"::"text"::"public"."audit_action"`);
    await queryRunner.query(`DROP TYPE "public"."audit_action_old"`);
    await queryRunner.query(`ALTER TABLE "digest_subscription" DROP COLUMN "composer_scopes"`);
  }
}
