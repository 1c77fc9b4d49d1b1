import { randomUUID } from 'node:crypto';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import { JsonLogger } from '#config';
import type { NextFunction, Request, Response } from 'express';
import { ApiTokenService } from '../api-tokens/api-token.service.js';
import { IdentityError } from '../identity.errors.js';
import { Actor } from './actor.js';

export type AuthenticatedRequest = Request & { actor?: Actor; authError?: IdentityError; requestId?: string };

/**
 * Finds who is calling, once per request: a Bearer API token, else anonymous. A token that is sent but refused is
 * kept as an error for the guard to report, never silently downgraded to anonymous.
 */
@Injectable()
export class AuthenticationMiddleware implements NestMiddleware {
  constructor(private readonly tokens: ApiTokenService) {}

  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    const incoming = req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    req.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    JsonLogger.runWith({ requestId }, () => {
      this.authenticate(req)
        .then((actor) => {
          req.actor = actor;
          if (actor.memberId) JsonLogger.enrich({ actorId: actor.memberId, organisationId: actor.organisationId ?? undefined });
        })
        .catch((error: unknown) => {
          if (!(error instanceof IdentityError)) throw error;
          req.actor = Actor.anonymous();
          req.authError = error;
        })
        .then(() => next(), next);
    });
  }

  private async authenticate(req: Request): Promise<Actor> {
    const header = req.header('authorization');
    if (!header) return Actor.anonymous();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return this.tokens.authenticate(match?.[1] ?? '');
  }
}
