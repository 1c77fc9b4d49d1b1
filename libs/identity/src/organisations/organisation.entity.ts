import { Column, CreateDateColumn, Entity, Index, OneToMany, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { OrganisationDomainEntity } from './organisation-domain.entity.js';

export enum OrganisationKind {
  UK_COUNCIL = 'UK_COUNCIL',
  UK_CENTRAL_GOVERNMENT = 'UK_CENTRAL_GOVERNMENT',
  OVERSEAS_AUTHORITY = 'OVERSEAS_AUTHORITY',
  OTHER_PUBLIC_BODY = 'OTHER_PUBLIC_BODY',
}

@Entity('organisation')
export class OrganisationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('organisation_slug_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'enum', enum: OrganisationKind, enumName: 'organisation_kind' })
  kind!: OrganisationKind;

  /** ISO 3166-1 alpha-2, upper case. */
  @Column({ type: 'char', length: 2 })
  country!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  region!: string | null;

  @OneToMany(() => OrganisationDomainEntity, (d) => d.organisation)
  domains?: Relation<OrganisationDomainEntity>[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
