import { MemberEntity } from '#identity';
import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { PracticeEntity, type PracticeResource } from '../practices/practice.entity.js';
import { PracticeStatus, Visibility } from '../visibility/visibility.enum.js';

/**
 * A full copy of a practice's content as of one revision, written with every change and at publication. It keeps the
 * status, level and audience it was written under: the revision read rule applies them as well as the practice's
 * current ones.
 */
@Entity('practice_revision')
@Unique('practice_revision_number_key', ['practiceId', 'revision'])
export class PracticeRevisionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  @Column({ type: 'int' })
  revision!: number;

  /** Who made this revision. */
  @Column({ type: 'uuid' })
  editorId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'editor_id' })
  editor?: Relation<MemberEntity>;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  problem!: string;

  @Column({ type: 'text' })
  approach!: string;

  @Column({ type: 'text' })
  outcomes!: string;

  @Column({ type: 'jsonb' })
  resources!: PracticeResource[];

  @Column({ type: 'text', array: true })
  tagSlugs!: string[];

  @Column({ type: 'varchar', length: 16 })
  language!: string;

  @Column({ type: 'enum', enum: Visibility, enumName: 'visibility' })
  visibility!: Visibility;

  @Column({ type: 'uuid', array: true })
  audienceOrganisationIds!: string[];

  /** The practice's status when this revision was written: DRAFT before publication, PUBLISHED from it on. */
  @Column({ type: 'enum', enum: PracticeStatus, enumName: 'practice_status' })
  status!: PracticeStatus;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
