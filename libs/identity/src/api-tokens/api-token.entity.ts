import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { TokenScope } from '../auth/permissions.js';
import { MemberEntity } from '../members/member.entity.js';

/** An API token: only the SHA-256 of its secret is kept; the token is shown once, when made. */
@Entity('api_token')
export class ApiTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('api_token_member_idx')
  @Column({ type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'enum', enum: TokenScope, enumName: 'token_scope', array: true })
  scopes!: TokenScope[];

  @Column({ type: 'bytea' })
  secretHash!: Buffer;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  /** The token that minted this one, when one did: revoking a token revokes every token minted from it. */
  @Index('api_token_created_by_token_idx')
  @Column({ type: 'uuid', nullable: true })
  createdByTokenId!: string | null;

  @ManyToOne(() => ApiTokenEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by_token_id' })
  createdByToken?: Relation<ApiTokenEntity>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
