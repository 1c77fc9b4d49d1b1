import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Digest subscriptions, one delivery per (subscription, period), and one entry per (subscription, practice). */
export class DigestSubscriptionsAndDeliveries1795628591836 implements MigrationInterface {
  name = 'DigestSubscriptionsAndDeliveries1795628591836';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."digest_frequency" AS ENUM('IMMEDIATE', 'DAILY', 'WEEKLY')`);
    await queryRunner.query(`CREATE TYPE "public"."weekday" AS ENUM('MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY')`);
    await queryRunner.query(`CREATE TYPE "public"."digest_channel" AS ENUM('EMAIL', 'WEBHOOK', 'ATOM')`);
    await queryRunner.query(
      `CREATE TABLE "digest_subscription" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "filter" jsonb NOT NULL DEFAULT '{}', "frequency" "public"."digest_frequency" NOT NULL, "hour" smallint NOT NULL DEFAULT '7', "weekday" "public"."weekday", "time_zone" character varying(64) NOT NULL DEFAULT 'Europe/London', "channel" "public"."digest_channel" NOT NULL, "webhook_url" character varying(2048), "webhook_secret_sealed" text, "feed_token_version" integer NOT NULL DEFAULT '0', "paused_at" TIMESTAMP WITH TIME ZONE, "pause_reason" character varying(500), "last_attempted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_74a622ca537d4579a9cfc98325b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "digest_subscription_member_idx" ON "digest_subscription"  ("member_id") `);
    await queryRunner.query(`CREATE INDEX "digest_subscription_due_idx" ON "digest_subscription"  ("frequency", "last_attempted_at") `);
    await queryRunner.query(`CREATE TYPE "public"."digest_delivery_status" AS ENUM('PENDING', 'SENT', 'FAILED')`);
    await queryRunner.query(
      `CREATE TABLE "digest_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "subscription_id" uuid NOT NULL, "period_key" character varying(64) NOT NULL, "status" "public"."digest_delivery_status" NOT NULL DEFAULT 'PENDING', "message_id" character varying(200) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "next_attempt_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "digest_delivery_period_key" UNIQUE ("subscription_id", "period_key"), CONSTRAINT "PK_fcd2c831f7b54a7aa064290f163" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "digest_delivery_status_idx" ON "digest_delivery"  ("status") `);
    await queryRunner.query(
      `CREATE TABLE "digest_entry" ("subscription_id" uuid NOT NULL, "practice_id" uuid NOT NULL, "delivery_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_982131bc5e588bcf7a14a5fe883" PRIMARY KEY ("subscription_id", "practice_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "digest_entry_delivery_idx" ON "digest_entry"  ("delivery_id") `);
    await queryRunner.query(
      `ALTER TABLE "digest_subscription" ADD CONSTRAINT "FK_e285229f3d19630d94cb835b206" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "digest_delivery" ADD CONSTRAINT "FK_5bb9d39a7b7a079252785d98801" FOREIGN KEY ("subscription_id") REFERENCES "digest_subscription"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "digest_entry" ADD CONSTRAINT "FK_67a44288443f7ce97089ee17c5d" FOREIGN KEY ("subscription_id") REFERENCES "digest_subscription"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "digest_entry" ADD CONSTRAINT "FK_b979b0c22f7740cc97747ad6fa9" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "digest_entry" ADD CONSTRAINT "FK_6c112b4f075b8f5b4d6ca9e910b" FOREIGN KEY ("delivery_id") REFERENCES "digest_delivery"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "digest_entry" DROP CONSTRAINT "FK_6c112b4f075b8f5b4d6ca9e910b"`);
    await queryRunner.query(`ALTER TABLE "digest_entry" DROP CONSTRAINT "FK_b979b0c22f7740cc97747ad6fa9"`);
    await queryRunner.query(`ALTER TABLE "digest_entry" DROP CONSTRAINT "FK_67a44288443f7ce97089ee17c5d"`);
    await queryRunner.query(`ALTER TABLE "digest_delivery" DROP CONSTRAINT "FK_5bb9d39a7b7a079252785d98801"`);
    await queryRunner.query(`ALTER TABLE "digest_subscription" DROP CONSTRAINT "FK_e285229f3d19630d94cb835b206"`);
    await queryRunner.query(`DROP INDEX "public"."digest_entry_delivery_idx"`);
    await queryRunner.query(`DROP TABLE "digest_entry"`);
    await queryRunner.query(`DROP INDEX "public"."digest_delivery_status_idx"`);
    await queryRunner.query(`DROP TABLE "digest_delivery"`);
    await queryRunner.query(`DROP TYPE "public"."digest_delivery_status"`);
    await queryRunner.query(`DROP INDEX "public"."digest_subscription_due_idx"`);
    await queryRunner.query(`DROP INDEX "public"."digest_subscription_member_idx"`);
    await queryRunner.query(`DROP TABLE "digest_subscription"`);
    await queryRunner.query(`DROP TYPE "public"."digest_channel"`);
    await queryRunner.query(`DROP TYPE "public"."weekday"`);
    await queryRunner.query(`DROP TYPE "public"."digest_frequency"`);
  }
}
