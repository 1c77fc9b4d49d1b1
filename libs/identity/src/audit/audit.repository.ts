import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { AuditAction, AuditEventEntity } from './audit-event.entity.js';

export interface AuditEventInput {
  action: AuditAction;
  actorMemberId: string | null;
  organisationId: string | null;
  subjectType?: string;
  subjectId?: string;
  details?: Record<string, unknown>;
}

/** Who may read which events: one organisation's (its admins) or all (platform admins). */
export type AuditScope = { organisationId: string } | 'all';

export interface AuditQuery {
  scope: AuditScope;
  actions?: AuditAction[];
  since?: Date;
  first: number;
  /** Keyset: events strictly older than this (occurredAt, id). */
  before?: { occurredAt: string; id: string };
}

@Injectable()
export class AuditRepository {
  constructor(private readonly tx: TransactionHost) {}

  async insert(event: AuditEventInput): Promise<void> {
    await this.tx.manager.getRepository(AuditEventEntity).insert({
      action: event.action,
      actorMemberId: event.actorMemberId,
      organisationId: event.organisationId,
      subjectType: event.subjectType ?? null,
      subjectId: event.subjectId ?? null,
      details: (event.details ?? {}) as never,
    });
  }

  async findScopedById(scope: AuditScope, id: string): Promise<AuditEventEntity | null> {
    const qb = this.tx.manager.getRepository(AuditEventEntity).createQueryBuilder('e').where('e.id = :id', { id });
    if (scope !== 'all') qb.andWhere('e.organisation_id = :org', { org: scope.organisationId });
    return qb.getOne();
  }

  /** Newest first; reads `first + 1` rows so the caller can tell whether more follow. */
  async findScoped(query: AuditQuery): Promise<AuditEventEntity[]> {
    const qb = this.tx.manager.getRepository(AuditEventEntity).createQueryBuilder('e');
    if (query.scope !== 'all') qb.andWhere('e.organisation_id = :org', { org: query.scope.organisationId });
    if (query.actions?.length) qb.andWhere('e.action IN (:...actions)', { actions: query.actions });
    if (query.since) qb.andWhere('e.occurred_at >= :since', { since: query.since });
    if (query.before) {
      qb.andWhere('(e.occurred_at, e.id) < (:at, :id)', { at: query.before.occurredAt, id: query.before.id });
    }
    return qb
      .orderBy('e.occurred_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(query.first + 1)
      .getMany();
  }
}
