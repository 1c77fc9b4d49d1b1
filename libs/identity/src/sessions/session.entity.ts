import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { MemberEntity } from '../members/member.entity.js';

/** A browser session; the cookie holds its id and a secret, of which only the SHA-256 is kept. */
@Entity('session')
export class SessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('session_member_idx')
  @Column({ type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;

  @Column({ type: 'bytea' })
  secretHash!: Buffer;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end, whatever the activity. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** For single logout: the IdP, NameID and SessionIndex this session came from. */
  @Column({ type: 'uuid', nullable: true })
  identityProviderId!: string | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  nameId!: string | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  sessionIndex!: string | null;

  @Column({ type: 'varchar', length: 400, nullable: true })
  userAgent!: string | null;
}
