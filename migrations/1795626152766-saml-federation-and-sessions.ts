import type { MigrationInterface, QueryRunner } from 'typeorm';

/** SAML federation (identity providers, member identities, requests in flight, seen assertions) and sessions. */
export class SamlFederationAndSessions1795626152766 implements MigrationInterface {
  name = 'SamlFederationAndSessions1795626152766';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "identity_provider" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "key" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "entity_id" character varying(1024) NOT NULL, "sso_url" character varying(2048) NOT NULL, "slo_url" character varying(2048), "certificates" text array NOT NULL, "metadata_url" character varying(2048), "metadata_xml" text, "metadata_refreshed_at" TIMESTAMP WITH TIME ZONE, "metadata_error" text, "want_authn_response_signed" boolean NOT NULL DEFAULT true, "want_assertions_signed" boolean NOT NULL DEFAULT true, "sign_authn_requests" boolean NOT NULL DEFAULT false, "attribute_mapping" jsonb NOT NULL DEFAULT '{}', "enabled" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "identity_provider_organisation_key_key" UNIQUE ("organisation_id", "key"), CONSTRAINT "PK_5f038d63f2887fd0893ae4c5736" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "identity_provider_organisation_idx" ON "identity_provider"  ("organisation_id") `);
    await queryRunner.query(
      `CREATE TABLE "member_identity" ("identity_provider_id" uuid NOT NULL, "name_id" character varying(512) NOT NULL, "member_id" uuid NOT NULL, "name_id_format" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_deb19d4d7ab370bd8397003ce1b" PRIMARY KEY ("identity_provider_id", "name_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "member_identity_member_idx" ON "member_identity"  ("member_id") `);
    await queryRunner.query(
      `CREATE TABLE "saml_assertion" ("identity_provider_id" uuid NOT NULL, "assertion_id" character varying(256) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_023eaae247bbb0e2e63f4d5a43e" PRIMARY KEY ("identity_provider_id", "assertion_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "saml_assertion_expires_idx" ON "saml_assertion"  ("expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "saml_request" ("id" character varying(128) NOT NULL, "identity_provider_id" uuid NOT NULL, "return_to" character varying(2048) NOT NULL, "browser_binding" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b15965f9b2fadb121de2215a94d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "saml_request_expires_idx" ON "saml_request"  ("expires_at") `);
    await queryRunner.query(
      `CREATE TABLE "session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "secret_hash" bytea NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "identity_provider_id" uuid, "name_id" character varying(512), "session_index" character varying(256), "user_agent" character varying(400), CONSTRAINT "PK_f55da76ac1c3ac420f444d2ff11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "session_member_idx" ON "session"  ("member_id") `);
    await queryRunner.query(
      `ALTER TABLE "identity_provider" ADD CONSTRAINT "FK_619db5f07b0c952884d7a46b60b" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "member_identity" ADD CONSTRAINT "FK_e49c8c2b0ede7148f1020aefe6b" FOREIGN KEY ("identity_provider_id") REFERENCES "identity_provider"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "member_identity" ADD CONSTRAINT "FK_bb94032bae3e55e7dc50402cf02" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "saml_request" ADD CONSTRAINT "FK_f1f4241389b9377da8875496af3" FOREIGN KEY ("identity_provider_id") REFERENCES "identity_provider"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "session" ADD CONSTRAINT "FK_d89c936c1022875dade62be24ec" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session" DROP CONSTRAINT "FK_d89c936c1022875dade62be24ec"`);
    await queryRunner.query(`ALTER TABLE "saml_request" DROP CONSTRAINT "FK_f1f4241389b9377da8875496af3"`);
    await queryRunner.query(`ALTER TABLE "member_identity" DROP CONSTRAINT "FK_bb94032bae3e55e7dc50402cf02"`);
    await queryRunner.query(`ALTER TABLE "member_identity" DROP CONSTRAINT "FK_e49c8c2b0ede7148f1020aefe6b"`);
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP CONSTRAINT "FK_619db5f07b0c952884d7a46b60b"`);
    await queryRunner.query(`DROP INDEX "public"."session_member_idx"`);
    await queryRunner.query(`DROP TABLE "session"`);
    await queryRunner.query(`DROP INDEX "public"."saml_request_expires_idx"`);
    await queryRunner.query(`DROP TABLE "saml_request"`);
    await queryRunner.query(`DROP INDEX "public"."saml_assertion_expires_idx"`);
    await queryRunner.query(`DROP TABLE "saml_assertion"`);
    await queryRunner.query(`DROP INDEX "public"."member_identity_member_idx"`);
    await queryRunner.query(`DROP TABLE "member_identity"`);
    await queryRunner.query(`DROP INDEX "public"."identity_provider_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "identity_provider"`);
  }
}
