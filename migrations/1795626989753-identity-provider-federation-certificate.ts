import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An IdP taken from a federation's signed aggregate keeps the federation's certificate, to check at every refresh. */
export class IdentityProviderFederationCertificate1795626989753 implements MigrationInterface {
  name = 'IdentityProviderFederationCertificate1795626989753';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "identity_provider" ADD "federation_certificate" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "identity_provider" DROP COLUMN "federation_certificate"`);
  }
}
