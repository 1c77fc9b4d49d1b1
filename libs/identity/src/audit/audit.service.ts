import { Injectable, Logger } from '@nestjs/common';
import { mayReadAudit, mayReadEveryAudit } from '../access/identity-access.js';
import { Actor } from '../auth/actor.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { AuditAction, AuditEventEntity } from './audit-event.entity.js';
import { AuditRepository, type AuditEventInput, type AuditQuery, type AuditScope } from './audit.repository.js';

@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);

  constructor(private readonly audit: AuditRepository) {}

  /** Records an event inside the transaction in force, so it stands or falls with the change it describes. */
  async record(event: AuditEventInput): Promise<void> {
    await this.audit.insert(event);
    this.logger.log({ msg: 'audit', action: event.action, subjectType: event.subjectType, subjectId: event.subjectId });
  }

  /** Organisation admins read their organisation's events, platform admins all; null for anyone else. */
  private scopeOf(actor: Actor): AuditScope | null {
    if (mayReadEveryAudit(actor)) return 'all';
    return actor.organisationId && mayReadAudit(actor, actor.organisationId) ? { organisationId: actor.organisationId } : null;
  }

  async findVisible(actor: Actor, id: string): Promise<AuditEventEntity | null> {
    const scope = this.scopeOf(actor);
    return scope ? this.audit.findScopedById(scope, id) : null;
  }

  /**
   * Events the actor may read, newest first; `organisationId` narrows them to one organisation's, which an
   * organisation admin may ask only of their own.
   * @throws IdentityError PERMISSION_DENIED for anyone else, or for another organisation than the admin's.
   */
  async list(
    actor: Actor,
    filter: { actions?: AuditAction[]; since?: Date; organisationId?: string },
    first: number,
    before?: AuditQuery['before'],
  ): Promise<AuditEventEntity[]> {
    const { organisationId, ...rest } = filter;
    let scope = this.scopeOf(actor);
    if (!scope) throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, 'Only organisation admins and platform admins read the audit log.');
    if (organisationId !== undefined) {
      if (!mayReadAudit(actor, organisationId)) {
        throw new IdentityError(IdentityErrorCode.PERMISSION_DENIED, "Organisation admins read their own organisation's audit log only.");
      }
      scope = { organisationId };
    }
    return this.audit.findScoped({ scope, ...rest, first, before });
  }
}
