import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { cookieValue } from '#identity';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';
import { WebError, WebErrorCode } from '../errors/web-errors.js';
import type { WebRequest } from '../page-context.js';

/** Binds the form tokens of a browser that has no session yet (the sign-in form). */
export const BROWSER_COOKIE = 'pe_browser';

type BoundRequest = WebRequest & { browserId?: string };

/**
 * What a form token is bound to: the session when signed in, else this browser's own random cookie. The session id
 * is not secret, but the token is an HMAC of it under a key derived from APP_SECRET, so it cannot be forged.
 */
function bindingOf(req: BoundRequest): string | undefined {
  if (req.sessionId) return `session:${req.sessionId}`;
  const browser = req.browserId ?? cookieValue(req, BROWSER_COOKIE);
  return browser && /^[\w-]{20,64}$/.test(browser) ? `browser:${browser}` : undefined;
}

export interface CsrfOptions {
  appSecret: string;
  secureCookies: boolean;
}

/**
 * Synchroniser-token CSRF protection with csrf-sync. We have no express-session: the token is derived (HMAC) from
 * what the request is bound to instead of stored, so any API process checks any form, and it changes when the person
 * signs in or out. Every POST, PUT, PATCH and DELETE to the pages needs the `_csrf` field.
 */
export function csrf(options: CsrfOptions) {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(options.appSecret, 'utf8'), Buffer.alloc(0), 'web-csrf', 32));
  const { csrfSynchronisedProtection } = csrfSync({
    getTokenFromRequest: (req) => {
      const token = (req.body as Record<string, unknown> | undefined)?._csrf;
      return typeof token === 'string' ? token : undefined;
    },
    getTokenFromState: (req) => {
      const binding = bindingOf(req as BoundRequest);
      return binding ? createHmac('sha256', key).update(binding).digest('base64url') : undefined;
    },
    // Derived, never stored: nothing to keep or revoke.
    storeTokenInState: () => undefined,
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    const bound = req as BoundRequest;
    if (!bound.sessionId && !bindingOf(bound) && req.method === 'GET') {
      bound.browserId = randomBytes(24).toString('base64url');
      res.cookie(BROWSER_COOKIE, bound.browserId, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/' });
    }
    csrfSynchronisedProtection(req, res, (error?: unknown) => {
      if (error) {
        next(new WebError(WebErrorCode.FORM_EXPIRED, "The form token is missing or is not this browser's"));
        return;
      }
      if (bindingOf(bound)) res.locals.csrfToken = req.csrfToken?.();
      next();
    });
  };
}
