import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { OrganisationEntity } from './organisation.entity.js';

/** An e-mail domain; the primary key makes it belong to one organisation only. */
@Entity('organisation_domain')
export class OrganisationDomainEntity {
  @PrimaryColumn({ type: 'varchar', length: 253 })
  domain!: string;

  @Index('organisation_domain_organisation_idx')
  @Column({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => OrganisationEntity, (o) => o.domains, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<OrganisationEntity>;
}
