import { Injectable, type NestMiddleware } from '@nestjs/common';
import { addToLogContext } from '#config';
import type { NextFunction, Request, Response } from 'express';
import { ApiTokenService } from '../api-tokens/api-token.service.js';
import { SESSION_COOKIE, SessionService } from '../sessions/session.service.js';
import { IdentityError } from '../identity.errors.js';
import { Actor } from './actor.js';

export type AuthenticatedRequest = Request & { actor?: Actor; authError?: IdentityError; sessionId?: string };

/** One cookie's value from the Cookie header (no cookie-parsing middleware needed for the one we read). */
export function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      // A value that is not valid percent-encoding was never set by us: no cookie, rather than a failed request.
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * Finds who is calling, once per request: a Bearer API token, else the session cookie, else anonymous. A token that is sent but refused is
 * kept as an error for the guard to report, never silently downgraded to anonymous.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(
    private readonly tokens: ApiTokenService,
    private readonly sessions: SessionService,
  ) {}

  use(req: AuthenticatedRequest, _res: Response, next: NextFunction): void {
    this.authenticate(req)
      .then((actor) => {
        req.actor = actor;
        // The request's lines (and its completion line) say who made it; its id is there from the request logger.
        if (actor.memberId) addToLogContext({ actorId: actor.memberId, organisationId: actor.organisationId ?? undefined });
      })
      .catch((error: unknown) => {
        if (!(error instanceof IdentityError)) throw error;
        req.actor = Actor.anonymous();
        req.authError = error;
      })
      .then(() => next(), next);
  }

  private async authenticate(req: AuthenticatedRequest): Promise<Actor> {
    const header = req.header('authorization');
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      return this.tokens.authenticate(match?.[1] ?? '');
    }
    const cookie = cookieValue(req, SESSION_COOKIE);
    if (!cookie) return Actor.anonymous();
    try {
      const { actor, sessionId } = await this.sessions.authenticate(cookie);
      req.sessionId = sessionId;
      return actor;
    } catch {
      // An ended session leaves the browser signed out, not locked out of public pages.
      return Actor.anonymous();
    }
  }
}
