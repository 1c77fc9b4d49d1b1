import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate limiter's counters (`rate-limiter-flexible`'s PostgreSQL store, told the table exists). Unlogged: one
 * write per request needs no WAL, and counters lost in a crash only reset a minute's window.
 */
export class RateLimit1796000300000 implements MigrationInterface {
  name = 'RateLimit1796000300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit" ("key" character varying(255) NOT NULL, "points" integer NOT NULL DEFAULT '0', "expire" bigint, CONSTRAINT "PK_e6c0c0608decdf78e4d4b263397" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(`CREATE INDEX "rate_limit_expire_idx" ON "rate_limit" ("expire")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."rate_limit_expire_idx"`);
    await queryRunner.query(`DROP TABLE "rate_limit"`);
  }
}
