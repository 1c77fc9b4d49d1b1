import { Args, Mutation, ResolveField, Resolver } from '@nestjs/graphql';
import { Actor } from '../auth/actor.js';
import { CurrentActor, RequirePermission } from '../auth/auth.decorators.js';
import { Permission } from '../auth/permissions.js';
import type { AuthenticatedRequest } from '../auth/authentication.middleware.js';
import { requireGlobalId } from '../graphql/global-id.js';
import type { RequestContext } from '../graphql/request-context.js';
import { Member } from '../members/member.object.js';
import { RevokeSessionInput } from './dto/revoke-session.input.js';
import { Session, toSession } from './session.object.js';
import { SessionService } from './session.service.js';

/**
 * Sessions are credentials, like API tokens: listing and ending them needs the same permission, which a token holds
 * only with the admin scope (a session always does).
 */
const SESSION_PERMISSION = Permission.TOKEN_MANAGE;

@Resolver(() => Member)
export class SessionResolver {
  constructor(private readonly sessionService: SessionService) {}

  @ResolveField(() => [Session], {
    nullable: true,
    description: 'Your live sessions, newest first; null on anyone else, and through a token without the admin scope.',
  })
  async sessions(member: Member, _args: unknown, context: RequestContext): Promise<Session[] | null> {
    if (context.actor.memberId !== member.rowId || !context.actor.can(SESSION_PERMISSION)) return null;
    const current = (context.req as AuthenticatedRequest).sessionId;
    return (await this.sessionService.list(context.actor)).map((s) => toSession(s, current));
  }

  @RequirePermission(SESSION_PERMISSION)
  @Mutation(() => Session, { description: 'Ends one of your sessions (signs that browser out).' })
  async revokeSession(@CurrentActor() actor: Actor, @Args('input') input: RevokeSessionInput): Promise<Session> {
    return toSession(await this.sessionService.revoke(actor, requireGlobalId(input.id, 'Session')));
  }
}
