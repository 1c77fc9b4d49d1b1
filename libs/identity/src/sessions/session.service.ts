import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '#config';
import { TransactionHost } from '#database';
import { randomUUID } from 'node:crypto';
import { mintToken, parseToken, secretMatches } from '../api-tokens/token-format.js';
import { AuditAction } from '../audit/audit-event.entity.js';
import { AuditService } from '../audit/audit.service.js';
import { Actor } from '../auth/actor.js';
import { UseThrottle } from '../auth/use-throttle.js';
import { IdentityError, IdentityErrorCode } from '../identity.errors.js';
import type { MemberEntity } from '../members/member.entity.js';
import type { SessionEntity } from './session.entity.js';
import { SessionRepository } from './session.repository.js';

export const SESSION_COOKIE = 'pe_session';

export interface SessionOrigin {
  identityProviderId: string | null;
  nameId: string | null;
  sessionIndex: string | null;
  userAgent: string | null;
}

/** Sessions in PostgreSQL, so any API process accepts any session; idle and absolute timeouts. */
@Injectable()
export class SessionService {
  private readonly logger = new Logger(SessionService.name);
  private readonly useThrottle = new UseThrottle();

  constructor(
    private readonly sessions: SessionRepository,
    private readonly config: AppConfig,
    private readonly tx: TransactionHost,
    private readonly audit: AuditService,
  ) {}

  /** Starts a new session (always a fresh id: no fixation) and returns the cookie value. */
  async start(member: MemberEntity, origin: SessionOrigin, now = new Date()): Promise<{ session: SessionEntity; cookie: string }> {
    const id = randomUUID();
    const { token, secretHash } = mintToken(id, 'ps');
    const session = await this.sessions.insert({
      id,
      memberId: member.id,
      secretHash,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionAbsoluteHours * 3_600_000),
      identityProviderId: origin.identityProviderId,
      nameId: origin.nameId,
      sessionIndex: origin.sessionIndex,
      userAgent: origin.userAgent?.slice(0, 400) ?? null,
    });
    this.logger.log({ msg: 'session started', sessionId: id, memberId: member.id });
    return { session, cookie: token };
  }

  /** Cookie attributes: HttpOnly, SameSite=Lax, Secure over https, lasting as long as the session may. */
  cookieOptions(): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/'; maxAge: number } {
    return { httpOnly: true, sameSite: 'lax', secure: this.config.secureCookies, path: '/', maxAge: this.config.sessionAbsoluteHours * 3_600_000 };
  }

  /**
   * The actor of a session cookie. Unknown, revoked, idle, expired sessions and those of deactivated members are
   * refused alike.
   */
  async authenticate(cookie: string, now = new Date()): Promise<{ actor: Actor; sessionId: string }> {
    const parsed = parseToken(cookie, 'ps');
    const found = parsed && (await this.sessions.findForAuthentication(parsed.id));
    const idleLimit = this.config.sessionIdleMinutes * 60_000;
    const valid =
      parsed &&
      found &&
      secretMatches(parsed.secret, found.secretHash) &&
      !found.revokedAt &&
      found.expiresAt > now &&
      now.getTime() - found.lastSeenAt.getTime() < idleLimit &&
      !found.deactivatedAt;
    if (!valid || !found) {
      throw new IdentityError(IdentityErrorCode.UNAUTHENTICATED, 'Your session has ended. Sign in again.');
    }
    if (this.useThrottle.due(found.id, found.lastSeenAt, now)) await this.sessions.touch(found.id, now);
    return { actor: Actor.member(found.memberId, found.organisationId, found.roles), sessionId: found.id };
  }

  list(actor: Actor, now = new Date()): Promise<SessionEntity[]> {
    const activeSince = new Date(now.getTime() - this.config.sessionIdleMinutes * 60_000);
    return actor.memberId ? this.sessions.listLiveOfMember(actor.memberId, now, activeSince) : Promise.resolve([]);
  }

  /** Ends one of the actor's own sessions, audited; another member's is "not found", whoever asks. */
  async revoke(actor: Actor, sessionId: string, now = new Date()): Promise<SessionEntity> {
    return this.tx.run(async () => {
      const session = actor.memberId ? await this.sessions.findOfMember(actor.memberId, sessionId) : null;
      if (!session) throw new IdentityError(IdentityErrorCode.SESSION_NOT_FOUND, 'You have no session with this ID.', 'id');
      if (!session.revokedAt) {
        await this.sessions.revoke(session.id, now);
        await this.audit.record({
          action: AuditAction.SESSION_REVOKED,
          actorMemberId: actor.memberId,
          organisationId: actor.organisationId,
          subjectType: 'Session',
          subjectId: session.id,
          details: { viaToken: actor.tokenId },
        });
      }
      return { ...session, revokedAt: session.revokedAt ?? now };
    });
  }

  /** Ends the session a cookie names, if any (logout); returns it so single logout can follow. */
  async end(cookie: string, now = new Date()): Promise<SessionEntity | null> {
    const parsed = parseToken(cookie, 'ps');
    const found = parsed && (await this.sessions.findWithMember(parsed.id));
    if (!parsed || !found || !secretMatches(parsed.secret, found.session.secretHash)) return null;
    await this.sessions.revoke(found.session.id, now);
    return found.session;
  }

  revokeByIdentity(identityProviderId: string, nameId: string, sessionIndex: string | null, now = new Date()): Promise<number> {
    return this.sessions.revokeByIdentity(identityProviderId, nameId, sessionIndex, now);
  }

  revokeAllOfMember(memberId: string, now: Date): Promise<number> {
    return this.sessions.revokeAllOfMember(memberId, now);
  }
}
