import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { IdentityProviderEntity } from './identity-provider.entity.js';

/**
 * An AuthnRequest we sent: the ACS accepts a response only in reply to one of these, from its IdP, in the browser
 * that started it (the hash of the state cookie), once.
 */
@Entity('saml_request')
export class SamlRequestEntity {
  @PrimaryColumn({ type: 'varchar', length: 128 })
  id!: string;

  @Column({ type: 'uuid' })
  identityProviderId!: string;

  @ManyToOne(() => IdentityProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_provider_id' })
  identityProvider?: Relation<IdentityProviderEntity>;

  /** A same-origin relative path. */
  @Column({ type: 'varchar', length: 2048 })
  returnTo!: string;

  @Column({ type: 'bytea' })
  browserBinding!: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Index('saml_request_expires_idx')
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
