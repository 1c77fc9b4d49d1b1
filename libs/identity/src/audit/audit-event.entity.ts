import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export enum AuditAction {
  SIGN_IN = 'SIGN_IN',
  SIGN_IN_REFUSED = 'SIGN_IN_REFUSED',
  TOKEN_CREATED = 'TOKEN_CREATED',
  TOKEN_REVOKED = 'TOKEN_REVOKED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  MEMBER_CREATED = 'MEMBER_CREATED',
  ROLES_CHANGED = 'ROLES_CHANGED',
  MEMBER_DEACTIVATED = 'MEMBER_DEACTIVATED',
  ORGANISATION_CREATED = 'ORGANISATION_CREATED',
  ORGANISATION_UPDATED = 'ORGANISATION_UPDATED',
  IDP_CHANGED = 'IDP_CHANGED',
  VISIBILITY_CHANGED = 'VISIBILITY_CHANGED',
  CONTENT_FLAGGED = 'CONTENT_FLAGGED',
  FLAG_RESOLVED = 'FLAG_RESOLVED',
  CONTENT_UNHIDDEN = 'CONTENT_UNHIDDEN',
  IDP_TRUST_CONFIRMED = 'IDP_TRUST_CONFIRMED',
  /** The first SAML sign-in linked its subject to a member the operator invited. */
  MEMBER_INVITATION_CLAIMED = 'MEMBER_INVITATION_CLAIMED',
}

/** Append-only record of security-relevant changes; ids only, never secrets or content. */
@Entity('audit_event')
@Index('audit_event_organisation_idx', ['organisationId', 'occurredAt'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('audit_event_occurred_idx')
  /** Millisecond precision, so a keyset cursor (made in JavaScript) matches the stored value exactly. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' })
  occurredAt!: Date;

  @Column({ type: 'enum', enum: AuditAction, enumName: 'audit_action' })
  action!: AuditAction;

  /** The member who acted; null for the system or an anonymous caller. */
  @Column({ type: 'uuid', nullable: true })
  actorMemberId!: string | null;

  /** The organisation whose admins may read the event. */
  @Column({ type: 'uuid', nullable: true })
  organisationId!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  subjectType!: string | null;

  @Column({ type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details!: Record<string, unknown>;
}
