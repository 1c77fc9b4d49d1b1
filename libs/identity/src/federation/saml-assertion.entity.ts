import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Assertion IDs seen, kept until they expire: inserting under the primary key refuses a replay even when two copies
 * arrive at once.
 */
@Entity('saml_assertion')
export class SamlAssertionEntity {
  @PrimaryColumn({ type: 'uuid' })
  identityProviderId!: string;

  @PrimaryColumn({ type: 'varchar', length: 256 })
  assertionId!: string;

  @Index('saml_assertion_expires_idx')
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
