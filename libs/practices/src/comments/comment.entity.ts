import { MemberEntity } from '#identity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { PracticeEntity } from '../practices/practice.entity.js';

/** A comment on a practice, or a reply to one (one level only). */
@Entity('comment')
@Index('comment_practice_idx', ['practiceId', 'createdAt'])
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  /** The comment this replies to; always a top-level comment. */
  @Index('comment_parent_idx')
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_id' })
  parent?: Relation<CommentEntity>;

  @Column({ type: 'uuid' })
  authorId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'author_id' })
  author?: Relation<MemberEntity>;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  editedAt!: Date | null;

  /** Deleted by its author: the body is no longer shown, replies stay. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  /** Hidden by moderation: gone from every read, with its replies. */
  @Column({ type: 'timestamptz', nullable: true })
  hiddenAt!: Date | null;
}
