import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each revision records the practice's status when it was written, so text written as a draft stays readable by the
 * practice's own organisation only after publication (the revision read rule applies a revision's own status, level
 * and audience as well as the practice's current ones).
 *
 * Backfill of existing revisions:
 * - A practice never goes back to DRAFT, and `published_at` is set by the server at its first publication, so a
 *   revision created before it (or of a practice never published) was written as a draft, and one created at or
 *   after it as published.
 * - A publication time earlier than the practice's creation was backdated (only the demo seeder does that) and tells
 *   nothing: those practices' revisions count as drafts, the safe side.
 * - A published or archived practice whose newest revision thereby counts as a draft (published unchanged) gets the
 *   revision publishing now writes: a copy of that newest revision, recorded as PUBLISHED, at the next revision
 *   number. Its text, level and audience are the practice's current ones (every change writes a revision), so it
 *   shows nothing the practice itself does not already show.
 *
 * `down` drops the column and leaves those copies in the history, where they are harmless.
 */
export class PracticeRevisionStatus1796000100000 implements MigrationInterface {
  name = 'PracticeRevisionStatus1796000100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "practice_revision" ADD "status" "public"."practice_status"`);
    await queryRunner.query(
      `UPDATE "practice_revision" r
       SET "status" = CASE WHEN p.published_at IS NOT NULL AND p.published_at >= p.created_at AND r.created_at >= p.published_at
                           THEN 'PUBLISHED' ELSE 'DRAFT' END::"public"."practice_status"
       FROM "practice" p WHERE p.id = r.practice_id`,
    );
    await queryRunner.query(
      `INSERT INTO "practice_revision" ("practice_id", "revision", "editor_id", "title", "summary", "problem", "approach", "outcomes",
         "resources", "tag_slugs", "language", "visibility", "audience_organisation_ids", "status", "created_at")
       SELECT r.practice_id, r.revision + 1, r.editor_id, r.title, r.summary, r.problem, r.approach, r.outcomes,
         r.resources, r.tag_slugs, r.language, r.visibility, r.audience_organisation_ids, 'PUBLISHED', GREATEST(r.created_at, p.published_at)
       FROM "practice" p JOIN "practice_revision" r ON r.practice_id = p.id AND r.revision = p.revision
       WHERE p.status <> 'DRAFT' AND r.status = 'DRAFT'`,
    );
    await queryRunner.query(
      `UPDATE "practice" p SET "revision" = p.revision + 1
       WHERE p.status <> 'DRAFT'
         AND EXISTS (SELECT 1 FROM "practice_revision" r WHERE r.practice_id = p.id AND r.revision = p.revision AND r.status = 'DRAFT')`,
    );
    await queryRunner.query(`ALTER TABLE "practice_revision" ALTER COLUMN "status" SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "practice_revision" DROP COLUMN "status"`);
  }
}
