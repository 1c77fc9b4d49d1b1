import { OrganisationEntity } from '#identity';
import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { PracticeEntity } from './practice.entity.js';

/** The organisations a TLP_AMBER practice is shared with, beyond its own. */
@Entity('practice_audience')
@Index('practice_audience_organisation_idx', ['organisationId'])
export class PracticeAudienceEntity {
  @PrimaryColumn({ type: 'uuid' })
  practiceId!: string;

  @PrimaryColumn({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<OrganisationEntity>;
}
