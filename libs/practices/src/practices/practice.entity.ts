import { MemberEntity, OrganisationEntity } from '#identity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { PracticeStatus, Visibility } from '../visibility/visibility.enum.js';

export interface PracticeResource {
  title: string;
  url: string;
}

/**
 * A practice. `search_vector` is kept by a trigger (see the migration) from the text fields, weighted title >
 * summary > body; its GIN index, the listing index and the partial index of published practices (the digest
 * builder's) are created by hand, hence `synchronize: false`.
 */
@Entity('practice')
@Index('practice_search_idx', { synchronize: false })
@Index('practice_listed_at_idx', { synchronize: false })
@Index('practice_published_idx', { synchronize: false })
@Index('practice_organisation_idx', ['organisationId', 'status'])
export class PracticeEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  organisationId!: string;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'organisation_id' })
  organisation?: Relation<OrganisationEntity>;

  @Index('practice_author_idx')
  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<MemberEntity>;

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

  @Column({ type: 'jsonb', default: () => "'[]'" })
  resources!: PracticeResource[];

  @Column({ type: 'varchar', length: 16, default: 'en' })
  language!: string;

  @Column({ type: 'enum', enum: PracticeStatus, enumName: 'practice_status', default: PracticeStatus.DRAFT })
  status!: PracticeStatus;

  @Column({ type: 'enum', enum: Visibility, enumName: 'visibility' })
  visibility!: Visibility;

  @Column({ type: 'int', default: 1 })
  revision!: number;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  publishedAt!: Date | null;

  /** Set by a moderator (or the content organisation's admin); hidden practices disappear from every read. */
  @Column({ type: 'timestamptz', nullable: true })
  hiddenAt!: Date | null;

  @Column({ type: 'tsvector', nullable: true, select: false })
  searchVector?: string | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
