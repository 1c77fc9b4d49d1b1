import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a subscription's next digest starts looking: the newest publication time it has recorded. */
export class DigestSubscriptionComposedThrough1795700100000 implements MigrationInterface {
  name = 'DigestSubscriptionComposedThrough1795700100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "digest_subscription" ADD "composed_through" TIMESTAMP(3) WITH TIME ZONE`);
    // Subscriptions that already have entries start from their newest one.
    await queryRunner.query(
      `UPDATE "digest_subscription" s SET "composed_through" = x.through
       FROM (SELECT e.subscription_id, max(p.published_at) AS through FROM "digest_entry" e JOIN "practice" p ON p.id = e.practice_id GROUP BY e.subscription_id) x
       WHERE x.subscription_id = s.id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "digest_subscription" DROP COLUMN "composed_through"`);
  }
}
