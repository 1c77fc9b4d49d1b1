import { PracticeEntity } from '#practices';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { DigestSubscriptionEntity } from '../subscriptions/digest-subscription.entity.js';
import { DigestDeliveryEntity } from './digest-delivery.entity.js';

/**
 * A practice that went to a subscription: the primary key makes it go once, whichever period it was committed in.
 */
@Entity('digest_entry')
export class DigestEntryEntity {
  @PrimaryColumn({ type: 'uuid' })
  subscriptionId!: string;

  @PrimaryColumn({ type: 'uuid' })
  practiceId!: string;

  @ManyToOne(() => DigestSubscriptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id' })
  subscription?: Relation<DigestSubscriptionEntity>;

  @ManyToOne(() => PracticeEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'practice_id' })
  practice?: Relation<PracticeEntity>;

  @Index('digest_entry_delivery_idx')
  @Column({ type: 'uuid' })
  deliveryId!: string;

  @ManyToOne(() => DigestDeliveryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: Relation<DigestDeliveryEntity>;

  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;
}
