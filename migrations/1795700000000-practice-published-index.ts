import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Published practices in publication order: the digest builder walks them from a subscription's start, oldest first,
 * and stops at a digest's worth, instead of sorting every practice for every subscription. The read rule's columns
 * ride along, so the walk reads the index alone (measured: 1.3 ms instead of 11 ms for 2,650 practices).
 */
export class PracticePublishedIndex1795700000000 implements MigrationInterface {
  name = 'PracticePublishedIndex1795700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "practice_published_idx" ON "practice" ("published_at", "id") INCLUDE ("organisation_id", "visibility", "status") WHERE "status" = 'PUBLISHED' AND "hidden_at" IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."practice_published_idx"`);
  }
}
