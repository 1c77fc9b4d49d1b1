import { MemberEntity, TokenScope, type OrganisationKind } from '#identity';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';

export enum DigestFrequency {
  /** Batched for DIGEST_IMMEDIATE_DELAY_SECONDS after the first new match. */
  IMMEDIATE = 'IMMEDIATE',
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
}

export enum DigestChannel {
  EMAIL = 'EMAIL',
  WEBHOOK = 'WEBHOOK',
  ATOM = 'ATOM',
}

export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

/** What a subscription matches: the practices filter's fields; tags by normalised slug, which need not exist yet. */
export interface DigestFilterValues {
  query?: string;
  tags?: string[];
  organisationSlugs?: string[];
  organisationKinds?: OrganisationKind[];
  countries?: string[];
}

/** A member's digest: what to match, how often, and where to send it. Read by its owner only. */
@Entity('digest_subscription')
@Index('digest_subscription_due_idx', ['frequency', 'lastAttemptedAt'])
export class DigestSubscriptionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('digest_subscription_member_idx')
  @Column({ type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  filter!: DigestFilterValues;

  @Column({ type: 'enum', enum: DigestFrequency, enumName: 'digest_frequency' })
  frequency!: DigestFrequency;

  /** Local hour (0–23) of DAILY and WEEKLY digests, in `timeZone`. */
  @Column({ type: 'smallint', default: 7 })
  hour!: number;

  @Column({ type: 'enum', enum: Weekday, enumName: 'weekday', nullable: true })
  weekday!: Weekday | null;

  /** IANA time zone name. */
  @Column({ type: 'varchar', length: 64, default: 'Europe/London' })
  timeZone!: string;

  @Column({ type: 'enum', enum: DigestChannel, enumName: 'digest_channel' })
  channel!: DigestChannel;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  webhookUrl!: string | null;

  /**
   * The scopes of the API token that last created or changed the subscription; null when a session (or the operator)
   * did. Digests are composed for the member under these scopes, so a subscription saved through a token without
   * `read` carries only what the public reads.
   */
  @Column({ type: 'enum', enum: TokenScope, enumName: 'token_scope', array: true, nullable: true })
  composerScopes!: TokenScope[] | null;

  /** The `whsec_` secret, sealed with a key derived from APP_SECRET; shown to the owner only. */
  @Column({ type: 'text', nullable: true })
  webhookSecretSealed!: string | null;

  /**
   * The secret ATOM feed URL is derived from APP_SECRET, the id and this version, so it can be shown to its owner
   * again and is never stored; rotating it bumps the version.
   */
  @Column({ type: 'int', default: 0 })
  feedTokenVersion!: number;

  /** Set when delivery stopped: a webhook failing for good, a permanent mail failure, or the member deactivated. */
  @Column({ type: 'timestamptz', nullable: true })
  pausedAt!: Date | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  pauseReason!: string | null;

  /** Watermark of the scheduler: oldest first, so no subscription starves. */
  @Column({ type: 'timestamptz', nullable: true })
  lastAttemptedAt!: Date | null;

  /**
   * The newest publication time among the practices recorded for this subscription: the next digest looks back from
   * here (less a grace for publications that committed late), not from the subscription's start, so composing a
   * digest costs what is new, not the whole history.
   */
  @Column({ type: 'timestamptz', precision: 3, nullable: true })
  composedThrough!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', precision: 3 })
  updatedAt!: Date;
}
