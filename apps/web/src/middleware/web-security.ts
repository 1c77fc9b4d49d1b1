import { assignCspNonce, cspNonce } from '#config';
import type { NextFunction, Request, Response } from 'express';

/**
 * The pages' Content-Security-Policy: nothing inline runs without this response's nonce, styles and fonts come from
 * us only, forms post to us (plus `formTargets`, see {@link allowFormTargets}), and no one may frame the pages.
 */
export function contentSecurityPolicy(nonce: string, formTargets: readonly string[] = []): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    `form-action ${["'self'", ...formTargets].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/**
 * Sets the nonce and the security headers of a page, replacing whatever a global middleware set before: the pages
 * need their own policy (nonces), whatever the API's default is.
 */
export function applyWebSecurity(res: Response): void {
  // One nonce a response: the API's security headers may have made it already.
  const nonce = cspNonce(res) || assignCspNonce(res);
  res.locals.formTargets = [];
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
  res.removeHeader('Content-Security-Policy-Report-Only');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // Links out of a page (a practice's resources) do not tell other sites which page they came from.
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/** Middleware step: {@link applyWebSecurity}. */
export function webSecurity(_req: Request, res: Response, next: NextFunction): void {
  applyWebSecurity(res);
  next();
}

/**
 * Lets this page's forms lead to other origins. Browsers apply `form-action` to every redirect that follows a form
 * submission, so a form whose answer redirects to an identity provider (sign-in, single logout) needs that
 * provider's origin here, or the browser stops at the redirect.
 */
export function allowFormTargets(res: Response, targets: readonly (string | null | undefined)[]): void {
  const current = (res.locals.formTargets as string[] | undefined) ?? [];
  const next = [...new Set([...current, ...targets.filter((t): t is string => !!t)])];
  res.locals.formTargets = next;
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(res.locals.cspNonce as string, next));
}
