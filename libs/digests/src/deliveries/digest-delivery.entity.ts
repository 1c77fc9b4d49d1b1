import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique, type Relation } from 'typeorm';
import { DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';

export enum DeliveryStatus {
  /** Claimed and committed before sending; a retry resends with the same message id. */
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

/**
 * One digest of one subscription for one period: the unique (subscription, period) key makes a retried or
 * concurrent job find the existing row instead of sending again.
 */
@Entity('digest_delivery')
@Unique('digest_delivery_period_key', ['subscriptionId', 'periodKey'])
export class DigestDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  subscriptionId!: string;

  @ManyToOne(() => DigestSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: Relation<DigestSubscriptionEntity>;

  /** The period this digest covers, such as `2026-11-25` (daily) or the batch start (immediate). */
  @Column({ type: 'varchar', length: 64 })
  periodKey!: string;

  @Index('digest_delivery_status_idx')
  @Column({ type: 'enum', enum: DeliveryStatus, enumName: 'digest_delivery_status', default: DeliveryStatus.PENDING })
  status!: DeliveryStatus;

  /** The e-mail Message-ID or the webhook-id: the same on every attempt, so receivers can drop duplicates. */
  @Column({ type: 'varchar', length: 200 })
  messageId!: string;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
