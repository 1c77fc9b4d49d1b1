import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, UpdateDateColumn, type Relation } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity.js';

/** Which assertion attribute names carry what; defaults cover Entra ID/ADFS claim URIs, urn:oid names and friendly names. */
export interface AttributeMapping {
  email?: string[];
  displayName?: string[];
  givenName?: string[];
  surname?: string[];
  /** The attribute whose values map to roles through `roleValues`. */
  roles?: string;
  /** Attribute value → role; roles above ORG_ADMIN are never taken from an IdP. */
  roleValues?: Record<string, string>;
}

/**
 * One SAML identity provider of an organisation. Members are keyed on this record and the NameID, never on the
 * entity ID (another organisation may register the same one) or on e-mail alone.
 */
@Entity('identity_provider')
@Unique('identity_provider_organisation_key_key', ['organisationId', 'key'])
export class IdentityProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('identity_provider_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<OrganisationEntity>;

  /** Chooses this IdP in `/auth/saml/:org/login?idp=` when the organisation has several. */
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The IdP's entity ID: the Issuer its responses must carry. */
  @Column({ type: 'varchar', length: 1024 })
  entityId!: string;

  @Column({ type: 'varchar', length: 2048 })
  ssoUrl!: string;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  sloUrl!: string | null;

  /** Base64 DER signing certificates; during a key rollover both are accepted. */
  @Column({ type: 'text', array: true })
  certificates!: string[];

  /** Refreshed on a schedule by the worker when set. */
  @Column({ type: 'varchar', length: 2048, nullable: true })
  metadataUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  metadataXml!: string | null;

  /**
   * Set when the metadata is a federation's signed aggregate: the federation's signing certificate (PEM), checked
   * before any entity in it is trusted, at configuration and at every refresh.
   */
  @Column({ type: 'text', nullable: true })
  federationCertificate!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  metadataRefreshedAt!: Date | null;

  /** Why the last refresh failed, for the organisation's admins; the previous metadata stays in force. */
  @Column({ type: 'text', nullable: true })
  metadataError!: string | null;

  /** Refuse responses whose outer Response is unsigned (IdPs that sign only the assertion need this off). */
  @Column({ type: 'boolean', default: true })
  wantAuthnResponseSigned!: boolean;

  @Column({ type: 'boolean', default: true })
  wantAssertionsSigned!: boolean;

  /** The IdP asks for signed AuthnRequests (WantAuthnRequestsSigned in its metadata). */
  @Column({ type: 'boolean', default: false })
  signAuthnRequests!: boolean;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributeMapping!: AttributeMapping;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /**
   * When the IdP's trust (entity ID, signing certificates or metadata source) last changed, and by whom (null: the
   * operator CLI). Null for an IdP whose trust never changed since these columns exist.
   */
  @Column({ type: 'timestamptz', nullable: true })
  trustChangedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  trustChangedByMemberId!: string | null;

  /**
   * When a platform admin (or the operator CLI: no member) confirmed the current trust; null while a change made by
   * someone else awaits confirmation, during which no member holding PLATFORM_ADMIN signs in through this IdP.
   */
  @Column({ type: 'timestamptz', nullable: true })
  trustConfirmedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  trustConfirmedByMemberId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Whether a trust change made by someone other than a platform admin awaits a platform admin's confirmation. */
export function trustChangeUnconfirmed(idp: Pick<IdentityProviderEntity, 'trustChangedAt' | 'trustConfirmedAt'>): boolean {
  return idp.trustChangedAt !== null && idp.trustConfirmedAt === null;
}
