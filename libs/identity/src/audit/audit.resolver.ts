import { Args, Query, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import { cursorKeyAfter, toPage } from '../graphql/connection.js';
import { AuditEvent, AuditEventConnection, toAuditEvent } from './audit-event.object.js';
import { AuditService } from './audit.service.js';
import { AuditEventsArgs } from './dto/audit-events.args.js';

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @RequirePermission(Permission.AUDIT_READ)
  @Query(() => AuditEventConnection, { description: "Organisation admins see their organisation's events, platform admins all; newest first." })
  async auditEvents(@CurrentActor() actor: Actor, @Args() args: AuditEventsArgs): Promise<AuditEventConnection> {
    const before = cursorKeyAfter(args.after, { occurredAt: 'timestamp', id: 'uuid' });
    const rows = await this.audit.list(actor, { actions: args.filter?.actions, since: args.filter?.since }, args.first, before);
    return toPage(rows, args.first, (e) => [e.occurredAt.toISOString(), e.id], toAuditEvent, before !== undefined);
  }
}
