import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MemberEntity } from '../members/member.entity.js';
import { IdentityProviderEntity } from './identity-provider.entity.js';

/** How a member is known to one IdP: its record and a NameID of a lasting format. */
@Entity('member_identity')
export class MemberIdentityEntity {
  @PrimaryColumn({ type: 'uuid' })
  identityProviderId!: string;

  @PrimaryColumn({ type: 'varchar', length: 512 })
  nameId!: string;

  @ManyToOne(() => IdentityProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_provider_id' })
  identityProvider?: Relation<IdentityProviderEntity>;

  @Index('member_identity_member_idx')
  @Column({ type: 'uuid' })
  memberId!: string;

  @ManyToOne(() => MemberEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_id' })
  member?: Relation<MemberEntity>;

  @Column({ type: 'varchar', length: 200 })
  nameIdFormat!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
