import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/authentication.middleware.js';
import { RateLimit, RateLimits, type RateLimitRefusal } from './rate-limits.js';

/** Probes from load balancers and orchestrators are not callers to limit. */
const UNLIMITED = new Set(['/health', '/health/ready']);

/**
 * The path as Express routes it (case-insensitive, trailing slash optional), so no spelling of a route escapes its
 * limit; `req.path` is relative to where Nest mounted the middleware, hence the original URL.
 */
function routedPath(req: AuthenticatedRequest): string {
  const path = (req.originalUrl.split('?')[0] ?? '/').toLowerCase();
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** What to tell the caller, by limit. */
function refusalMessage(refusal: RateLimitRefusal): string {
  const wait = `Wait ${refusal.retryAfterSeconds} second${refusal.retryAfterSeconds === 1 ? '' : 's'} and try again`;
  switch (refusal.limit) {
    case RateLimit.MEMBER:
      return `Too many requests: the limit is ${refusal.perMinute} a minute for each API token or signed-in member. ${wait}, and spread requests out.`;
    case RateLimit.ANONYMOUS:
      return `Too many requests from your address: the limit is ${refusal.perMinute} a minute without signing in. ${wait}, or sign in or use an API token.`;
    case RateLimit.SIGN_IN:
      return `Too many sign-in requests from your address: the limit is ${refusal.perMinute} a minute. ${wait}.`;
    default:
      return `Too many requests. ${wait}.`;
  }
}

/**
 * Counts every request against one limit, after authentication so the caller is known: a token's own count, a
 * signed-in member's, or the IP address's for everyone else; `/auth/saml/*` has its own, tighter count per address.
 * Over the limit the answer is 429 with Retry-After and a message saying what to do.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly logger = new Logger(RateLimitMiddleware.name);

  constructor(private readonly limits: RateLimits) {}

  use(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
    const path = routedPath(req);
    if (!this.limits.enabled || UNLIMITED.has(path)) {
      next();
      return;
    }
    const [limit, key] = this.bucketOf(req, path);
    this.limits.consume(limit, key).then((refusal) => {
      if (!refusal) {
        next();
        return;
      }
      // Ids and the address only: never the token or cookie.
      this.logger.warn({
        msg: 'request refused by rate limit',
        limit,
        tokenId: req.actor?.tokenId ?? undefined,
        ip: req.ip,
        path,
        retryAfterSeconds: refusal.retryAfterSeconds,
      });
      this.refuse(req, res, path, refusal);
    }, next);
  }

  private bucketOf(req: AuthenticatedRequest, path: string): [RateLimit, string] {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (path.startsWith('/auth/saml/')) return [RateLimit.SIGN_IN, ip];
    const actor = req.actor;
    if (actor?.tokenId) return [RateLimit.MEMBER, `token:${actor.tokenId}`];
    if (actor?.memberId) return [RateLimit.MEMBER, `member:${actor.memberId}`];
    return [RateLimit.ANONYMOUS, ip];
  }

  private refuse(req: AuthenticatedRequest, res: Response, path: string, refusal: RateLimitRefusal): void {
    const message = refusalMessage(refusal);
    res.status(429).setHeader('Retry-After', String(refusal.retryAfterSeconds));
    if (path === '/graphql') {
      res.json({
        errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: refusal.retryAfterSeconds, limitPerMinute: refusal.perMinute } }],
      });
    } else if (req.accepts(['json', 'html']) === 'html') {
      res
        .type('html')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Too many requests — Practice Exchange</title></head><body><h1>Too many requests</h1><p>${message}</p></body></html>`,
        );
    } else {
      res.json({ error: { code: 'RATE_LIMITED', message } });
    }
  }
}
