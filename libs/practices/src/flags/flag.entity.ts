import { MemberEntity } from '#identity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { CommentEntity } from '../comments/comment.entity.js';
import { PracticeEntity } from '../practices/practice.entity.js';

export enum FlagReason {
  PARTY_POLITICAL = 'PARTY_POLITICAL',
  ABUSIVE = 'ABUSIVE',
  FALSE_INFORMATION = 'FALSE_INFORMATION',
  OTHER = 'OTHER',
}

export enum FlagStatus {
  OPEN = 'OPEN',
  /** Resolved by hiding the content. */
  HIDDEN = 'HIDDEN',
  /** Resolved by keeping the content. */
  DISMISSED = 'DISMISSED',
  /** The content was hidden, then brought back by unhideContent. */
  UNHIDDEN = 'UNHIDDEN',
}

/** A report on a practice or a comment. `practice_id` is always set (a comment's practice), so reads join one way. */
@Entity('flag')
@Index('flag_status_idx', ['status', 'createdAt'])
export class FlagEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('flag_practice_idx')
  @Column({ type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  /** Set when the flag is on a comment rather than the practice itself. */
  @Column({ type: 'uuid', nullable: true })
  commentId!: string | null;

  @ManyToOne(() => CommentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'comment_id' })
  comment?: Relation<CommentEntity>;

  @Column({ type: 'enum', enum: FlagReason, enumName: 'flag_reason' })
  reason!: FlagReason;

  @Column({ type: 'text', default: '' })
  note!: string;

  @Column({ type: 'uuid' })
  reporterId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reporter_id' })
  reporter?: Relation<MemberEntity>;

  @Column({ type: 'enum', enum: FlagStatus, enumName: 'flag_status', default: FlagStatus.OPEN })
  status!: FlagStatus;

  /** Who hid the content or dismissed the flag. */
  @Column({ type: 'uuid', nullable: true })
  resolvedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Who brought the hidden content back. */
  @Column({ type: 'uuid', nullable: true })
  unhiddenById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  unhiddenAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
