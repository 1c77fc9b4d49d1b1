import { randomBytes } from 'node:crypto';
import type { AppConfig } from '#config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { contentSecurityPolicy } from 'helmet';

/** Where a page finds the nonce its inline `<style>` and `<script>` elements must carry. */
export function cspNonce(res: Response): string {
  return String(res.locals.cspNonce ?? '');
}

/**
 * The inline script and style of the GraphiQL page `@nestjs/apollo` serves at GET /graphql outside production
 * (its script and stylesheets come from unpkg.com). The page is fixed text, so hashes admit exactly it; a test
 * fails when a new version of the page no longer matches them.
 */
export const GRAPHIQL_INLINE_HASHES = {
  script: "'sha256-REPLACE'",
  style: "'sha256-REPLACE'",
};

const GRAPHIQL_CDN = 'https://unpkg.com';

/**
 * Security headers on every response, before any route or error handler runs: nosniff, no framing
 * (`frame-ancestors 'none'` and X-Frame-Options DENY), no referrer, and a strict Content-Security-Policy whose only
 * inline styles and scripts are those carrying the response's nonce. The GraphiQL page of development gets its
 * own policy (hashes and the CDN it loads from).
 */
export function securityHeaders(config: AppConfig): RequestHandler[] {
  const nonce = (_req: unknown, res: unknown) => `'nonce-${cspNonce(res as Response)}'`;
  // Forms post to this origin; the demo IdP's hand-back posts to PUBLIC_URL, which may be spelt differently.
  const formAction = ["'self'", new URL(config.publicUrl).origin];
  const common = {
    defaultSrc: ["'none'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
    formAction,
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...common, scriptSrc: [nonce], styleSrc: [nonce], imgSrc: ["'self'"], connectSrc: ["'self'"] },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Browsers ignore HSTS over http; over https it must not reach other hosts of the domain.
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  const graphiql = contentSecurityPolicy({
    useDefaults: false,
    directives: {
      ...common,
      scriptSrc: [GRAPHIQL_CDN, GRAPHIQL_INLINE_HASHES.script],
      // GraphiQL's editor sets style attributes from script, which hashes cannot admit; styles cannot run code.
      styleSrc: [GRAPHIQL_CDN, "'unsafe-inline'"],
      fontSrc: [GRAPHIQL_CDN, 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  });
  const graphiqlServed = !config.production;
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      res.locals.cspNonce = randomBytes(16).toString('base64');
      next();
    },
    headers,
    (req: Request, res: Response, next: NextFunction) => {
      if (graphiqlServed && req.method === 'GET' && req.path === '/graphql') graphiql(req, res, next);
      else next();
    },
  ];
}
