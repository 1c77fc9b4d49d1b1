import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: identity (organisations, members, tokens, audit) and practices (practices, revisions, tags,
 * comments, adoptions, flags). Generated from the entities, then given by hand what TypeORM does not model: the
 * full-text trigger and index, the listing index, and the curated topic vocabulary.
 */
export class Initial1764086400000 implements MigrationInterface {
  name = 'Initial1764086400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "organisation_domain" ("domain" character varying(253) NOT NULL, "organisation_id" uuid NOT NULL, CONSTRAINT "PK_f3ead5c9fe22b82a66c5d72af4f" PRIMARY KEY ("domain"))`,
    );
    await queryRunner.query(`CREATE INDEX "organisation_domain_organisation_idx" ON "organisation_domain"  ("organisation_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."organisation_kind" AS ENUM('UK_COUNCIL', 'UK_CENTRAL_GOVERNMENT', 'OVERSEAS_AUTHORITY', 'OTHER_PUBLIC_BODY')`,
    );
    await queryRunner.query(
      `CREATE TABLE "organisation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" character varying(64) NOT NULL, "name" character varying(200) NOT NULL, "kind" "public"."organisation_kind" NOT NULL, "country" character(2) NOT NULL, "region" character varying(100), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c725ae234ef1b74cce43d2d00c1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "organisation_slug_key" ON "organisation"  ("slug") `);
    await queryRunner.query(`CREATE TYPE "public"."member_role" AS ENUM('CONTRIBUTOR', 'MODERATOR', 'ORG_ADMIN', 'PLATFORM_ADMIN')`);
    await queryRunner.query(
      `CREATE TABLE "member" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "email" character varying(320) NOT NULL, "name" character varying(200) NOT NULL, "roles" "public"."member_role" array NOT NULL DEFAULT '{}', "deactivated_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_97cbbe986ce9d14ca5894fdc072" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "member_organisation_idx" ON "member"  ("organisation_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "member_email_key" ON "member"  ("email") `);
    await queryRunner.query(`CREATE TYPE "public"."token_scope" AS ENUM('read', 'write', 'moderate', 'admin')`);
    await queryRunner.query(
      `CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "member_id" uuid NOT NULL, "name" character varying(100) NOT NULL, "scopes" "public"."token_scope" array NOT NULL, "secret_hash" bytea NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "created_by_token_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "api_token_member_idx" ON "api_token"  ("member_id") `);
    await queryRunner.query(
      `CREATE TYPE "public"."audit_action" AS ENUM('SIGN_IN', 'SIGN_IN_REFUSED', 'TOKEN_CREATED', 'TOKEN_REVOKED', 'MEMBER_CREATED', 'ROLES_CHANGED', 'MEMBER_DEACTIVATED', 'ORGANISATION_CREATED', 'ORGANISATION_UPDATED', 'IDP_CHANGED', 'VISIBILITY_CHANGED', 'CONTENT_FLAGGED', 'FLAG_RESOLVED')`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "occurred_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "action" "public"."audit_action" NOT NULL, "actor_member_id" uuid, "organisation_id" uuid, "subject_type" character varying(40), "subject_id" uuid, "details" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "audit_event_occurred_idx" ON "audit_event"  ("occurred_at") `);
    await queryRunner.query(`CREATE INDEX "audit_event_organisation_idx" ON "audit_event"  ("organisation_id", "occurred_at") `);
    await queryRunner.query(`CREATE TYPE "public"."practice_status" AS ENUM('DRAFT', 'PUBLISHED', 'ARCHIVED')`);
    await queryRunner.query(`CREATE TYPE "public"."visibility" AS ENUM('TLP_CLEAR', 'TLP_GREEN', 'TLP_AMBER', 'TLP_AMBER_STRICT')`);
    await queryRunner.query(
      `CREATE TABLE "practice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "author_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "summary" text NOT NULL, "problem" text NOT NULL, "approach" text NOT NULL, "outcomes" text NOT NULL, "resources" jsonb NOT NULL DEFAULT '[]', "language" character varying(16) NOT NULL DEFAULT 'en', "status" "public"."practice_status" NOT NULL DEFAULT 'DRAFT', "visibility" "public"."visibility" NOT NULL, "revision" integer NOT NULL DEFAULT '1', "published_at" TIMESTAMP(3) WITH TIME ZONE, "hidden_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4d094a10eae690da34cc5b8ea32" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "practice_author_idx" ON "practice"  ("author_id") `);
    await queryRunner.query(`CREATE INDEX "practice_organisation_idx" ON "practice"  ("organisation_id", "status") `);
    await queryRunner.query(
      `CREATE TABLE "adoption" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "member_id" uuid NOT NULL, "note" text NOT NULL, "outcome" character varying(500) NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "adoption_practice_organisation_key" UNIQUE ("practice_id", "organisation_id"), CONSTRAINT "PK_bf86d90324541b197d4ac5362a5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "comment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "parent_id" uuid, "author_id" uuid NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "edited_at" TIMESTAMP(3) WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, "hidden_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0b0e4bbc8415ec426f87f3a88e2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "comment_parent_idx" ON "comment"  ("parent_id") `);
    await queryRunner.query(`CREATE INDEX "comment_practice_idx" ON "comment"  ("practice_id", "created_at") `);
    await queryRunner.query(`CREATE TYPE "public"."flag_reason" AS ENUM('PARTY_POLITICAL', 'ABUSIVE', 'FALSE_INFORMATION', 'OTHER')`);
    await queryRunner.query(`CREATE TYPE "public"."flag_status" AS ENUM('OPEN', 'HIDDEN', 'DISMISSED')`);
    await queryRunner.query(
      `CREATE TABLE "flag" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "comment_id" uuid, "reason" "public"."flag_reason" NOT NULL, "note" text NOT NULL DEFAULT '', "reporter_id" uuid NOT NULL, "status" "public"."flag_status" NOT NULL DEFAULT 'OPEN', "resolved_by_id" uuid, "resolved_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_17b74257294fdfd221178a132d4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "flag_practice_idx" ON "flag"  ("practice_id") `);
    await queryRunner.query(`CREATE INDEX "flag_status_idx" ON "flag"  ("status", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "practice_audience" ("practice_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, CONSTRAINT "PK_b75bb52c0eb62cf82ae82f7d149" PRIMARY KEY ("practice_id", "organisation_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "practice_audience_organisation_idx" ON "practice_audience"  ("organisation_id") `);
    await queryRunner.query(
      `CREATE TABLE "tag" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "slug" character varying(60) NOT NULL, "label" character varying(60) NOT NULL, "curated" boolean NOT NULL DEFAULT false, CONSTRAINT "PK_8e4052373c579afc1471f526760" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "tag_slug_key" ON "tag"  ("slug") `);
    await queryRunner.query(
      `CREATE TABLE "practice_tag" ("practice_id" uuid NOT NULL, "tag_id" uuid NOT NULL, CONSTRAINT "PK_672640ac7f0e72dae91ec3eb15c" PRIMARY KEY ("practice_id", "tag_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "practice_tag_tag_idx" ON "practice_tag"  ("tag_id") `);
    await queryRunner.query(
      `CREATE TABLE "practice_revision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "practice_id" uuid NOT NULL, "revision" integer NOT NULL, "editor_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "summary" text NOT NULL, "problem" text NOT NULL, "approach" text NOT NULL, "outcomes" text NOT NULL, "resources" jsonb NOT NULL, "tag_slugs" text array NOT NULL, "language" character varying(16) NOT NULL, "visibility" "public"."visibility" NOT NULL, "audience_organisation_ids" uuid array NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "practice_revision_number_key" UNIQUE ("practice_id", "revision"), CONSTRAINT "PK_84e8759d877b8926c4bbc0519b2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_domain" ADD CONSTRAINT "FK_e8efae81413e014cd34f2022ebe" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "member" ADD CONSTRAINT "FK_7594a52369dbe0de68f8ed7168e" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_token" ADD CONSTRAINT "FK_ca081e1e527d4f757c4d0c78366" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice" ADD CONSTRAINT "FK_094a114c81beb34e004d54cc3eb" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice" ADD CONSTRAINT "FK_4d498443c2f4078f779d3421407" FOREIGN KEY ("author_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "adoption" ADD CONSTRAINT "FK_26532c576d434fe7abf543e334e" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "adoption" ADD CONSTRAINT "FK_e50d7f314976c4165929878c323" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "adoption" ADD CONSTRAINT "FK_172bd8097b21a53e3ecc52ff708" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment" ADD CONSTRAINT "FK_89bfcb74ecdaf8580ea33ed7698" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment" ADD CONSTRAINT "FK_8bd8d0985c0d077c8129fb4a209" FOREIGN KEY ("parent_id") REFERENCES "comment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "comment" ADD CONSTRAINT "FK_3ce66469b26697baa097f8da923" FOREIGN KEY ("author_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flag" ADD CONSTRAINT "FK_9674fa1749f258e1ed58f038c8f" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flag" ADD CONSTRAINT "FK_9ec2877a16cb9dc657b019cfa43" FOREIGN KEY ("comment_id") REFERENCES "comment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "flag" ADD CONSTRAINT "FK_2282b18481752210ae3c063bda1" FOREIGN KEY ("reporter_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_audience" ADD CONSTRAINT "FK_2e97740e0b76028f53a9f53b876" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_audience" ADD CONSTRAINT "FK_ef154cbc6918a9ee324cf007881" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_tag" ADD CONSTRAINT "FK_c4fc3cb6cf26abd9bc4e635e8e8" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_tag" ADD CONSTRAINT "FK_a455f60fe5626a10d81f570eb21" FOREIGN KEY ("tag_id") REFERENCES "tag"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_revision" ADD CONSTRAINT "FK_2be47d46667375e8306dd34ea40" FOREIGN KEY ("practice_id") REFERENCES "practice"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "practice_revision" ADD CONSTRAINT "FK_3bac5b55f75a2c5064e96df37fb" FOREIGN KEY ("editor_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // By hand: the search vector is kept by a trigger, weighted title > summary > body.
    await queryRunner.query(`CREATE FUNCTION practice_search_vector_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.search_vector :=
          setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
          setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'B') ||
          setweight(to_tsvector('english', concat_ws(' ', NEW.problem, NEW.approach, NEW.outcomes)), 'C');
        RETURN NEW;
      END $$`);
    await queryRunner.query(`CREATE TRIGGER practice_search_vector_trigger BEFORE INSERT OR UPDATE OF title, summary, problem, approach, outcomes
      ON "practice" FOR EACH ROW EXECUTE FUNCTION practice_search_vector_update()`);
    await queryRunner.query(`CREATE INDEX "practice_search_idx" ON "practice" USING GIN ("search_vector")`);
    await queryRunner.query(`CREATE INDEX "practice_listed_at_idx" ON "practice" ((COALESCE("published_at", "created_at")) DESC, "id" DESC)`);
    await queryRunner.query(`INSERT INTO "tag" ("slug", "label", "curated") VALUES
        ('cyber-resilience', 'Cyber resilience', true),
        ('phishing', 'Phishing', true),
        ('disinformation', 'Disinformation', true),
        ('fake-accounts', 'Fake accounts', true),
        ('candidate-safety', 'Candidate safety', true),
        ('election-administration', 'Election administration', true),
        ('communications', 'Communications', true),
        ('incident-response', 'Incident response', true),
        ('polling-day', 'Polling day', true),
        ('count-integrity', 'Count integrity', true),
        ('social-media', 'Social media', true),
        ('training', 'Training', true),
        ('partnerships', 'Partnerships', true),
        ('data-protection', 'Data protection', true),
        ('physical-security', 'Physical security', true),
        ('voter-information', 'Voter information', true),
        ('deepfakes', 'Deepfakes', true),
        ('threat-intelligence', 'Threat intelligence', true)
      ON CONFLICT ("slug") DO UPDATE SET "curated" = true`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "practice_listed_at_idx"`);
    await queryRunner.query(`DROP INDEX "practice_search_idx"`);
    await queryRunner.query(`DROP TRIGGER practice_search_vector_trigger ON "practice"`);
    await queryRunner.query(`DROP FUNCTION practice_search_vector_update()`);
    await queryRunner.query(`ALTER TABLE "practice_revision" DROP CONSTRAINT "FK_3bac5b55f75a2c5064e96df37fb"`);
    await queryRunner.query(`ALTER TABLE "practice_revision" DROP CONSTRAINT "FK_2be47d46667375e8306dd34ea40"`);
    await queryRunner.query(`ALTER TABLE "practice_tag" DROP CONSTRAINT "FK_a455f60fe5626a10d81f570eb21"`);
    await queryRunner.query(`ALTER TABLE "practice_tag" DROP CONSTRAINT "FK_c4fc3cb6cf26abd9bc4e635e8e8"`);
    await queryRunner.query(`ALTER TABLE "practice_audience" DROP CONSTRAINT "FK_ef154cbc6918a9ee324cf007881"`);
    await queryRunner.query(`ALTER TABLE "practice_audience" DROP CONSTRAINT "FK_2e97740e0b76028f53a9f53b876"`);
    await queryRunner.query(`ALTER TABLE "flag" DROP CONSTRAINT "FK_2282b18481752210ae3c063bda1"`);
    await queryRunner.query(`ALTER TABLE "flag" DROP CONSTRAINT "FK_9ec2877a16cb9dc657b019cfa43"`);
    await queryRunner.query(`ALTER TABLE "flag" DROP CONSTRAINT "FK_9674fa1749f258e1ed58f038c8f"`);
    await queryRunner.query(`ALTER TABLE "comment" DROP CONSTRAINT "FK_3ce66469b26697baa097f8da923"`);
    await queryRunner.query(`ALTER TABLE "comment" DROP CONSTRAINT "FK_8bd8d0985c0d077c8129fb4a209"`);
    await queryRunner.query(`ALTER TABLE "comment" DROP CONSTRAINT "FK_89bfcb74ecdaf8580ea33ed7698"`);
    await queryRunner.query(`ALTER TABLE "adoption" DROP CONSTRAINT "FK_172bd8097b21a53e3ecc52ff708"`);
    await queryRunner.query(`ALTER TABLE "adoption" DROP CONSTRAINT "FK_e50d7f314976c4165929878c323"`);
    await queryRunner.query(`ALTER TABLE "adoption" DROP CONSTRAINT "FK_26532c576d434fe7abf543e334e"`);
    await queryRunner.query(`ALTER TABLE "practice" DROP CONSTRAINT "FK_4d498443c2f4078f779d3421407"`);
    await queryRunner.query(`ALTER TABLE "practice" DROP CONSTRAINT "FK_094a114c81beb34e004d54cc3eb"`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP CONSTRAINT "FK_ca081e1e527d4f757c4d0c78366"`);
    await queryRunner.query(`ALTER TABLE "member" DROP CONSTRAINT "FK_7594a52369dbe0de68f8ed7168e"`);
    await queryRunner.query(`ALTER TABLE "organisation_domain" DROP CONSTRAINT "FK_e8efae81413e014cd34f2022ebe"`);
    await queryRunner.query(`DROP TABLE "practice_revision"`);
    await queryRunner.query(`DROP INDEX "public"."practice_tag_tag_idx"`);
    await queryRunner.query(`DROP TABLE "practice_tag"`);
    await queryRunner.query(`DROP INDEX "public"."tag_slug_key"`);
    await queryRunner.query(`DROP TABLE "tag"`);
    await queryRunner.query(`DROP INDEX "public"."practice_audience_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "practice_audience"`);
    await queryRunner.query(`DROP INDEX "public"."flag_status_idx"`);
    await queryRunner.query(`DROP INDEX "public"."flag_practice_idx"`);
    await queryRunner.query(`DROP TABLE "flag"`);
    await queryRunner.query(`DROP TYPE "public"."flag_status"`);
    await queryRunner.query(`DROP TYPE "public"."flag_reason"`);
    await queryRunner.query(`DROP INDEX "public"."comment_practice_idx"`);
    await queryRunner.query(`DROP INDEX "public"."comment_parent_idx"`);
    await queryRunner.query(`DROP TABLE "comment"`);
    await queryRunner.query(`DROP TABLE "adoption"`);
    await queryRunner.query(`DROP INDEX "public"."practice_organisation_idx"`);
    await queryRunner.query(`DROP INDEX "public"."practice_author_idx"`);
    await queryRunner.query(`DROP TABLE "practice"`);
    await queryRunner.query(`DROP TYPE "public"."visibility"`);
    await queryRunner.query(`DROP TYPE "public"."practice_status"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_organisation_idx"`);
    await queryRunner.query(`DROP INDEX "public"."audit_event_occurred_idx"`);
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP TYPE "public"."audit_action"`);
    await queryRunner.query(`DROP INDEX "public"."api_token_member_idx"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
    await queryRunner.query(`DROP TYPE "public"."token_scope"`);
    await queryRunner.query(`DROP INDEX "public"."member_email_key"`);
    await queryRunner.query(`DROP INDEX "public"."member_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "member"`);
    await queryRunner.query(`DROP TYPE "public"."member_role"`);
    await queryRunner.query(`DROP INDEX "public"."organisation_slug_key"`);
    await queryRunner.query(`DROP TABLE "organisation"`);
    await queryRunner.query(`DROP TYPE "public"."organisation_kind"`);
    await queryRunner.query(`DROP INDEX "public"."organisation_domain_organisation_idx"`);
    await queryRunner.query(`DROP TABLE "organisation_domain"`);
  }
}
