import { assignCspNonce, cspNonce, type AppConfig } from '#config';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet, { contentSecurityPolicy } from 'helmet';

/**
 * The inline script of the GraphiQL page `@nestjs/apollo` serves at GET /graphql outside production (its other
 * scripts and stylesheets come from unpkg.com). The page is fixed text, so a hash admits exactly that script; a test
 * fails when a new version of the page no longer matches it.
 */
export const GRAPHIQL_INLINE_SCRIPT_HASH = "'sha256-0xLQ6PUZ3R8rSVlhREPOswHs3+vn4Ekj8r+1DYy67Sc='";

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
      scriptSrc: [GRAPHIQL_CDN, GRAPHIQL_INLINE_SCRIPT_HASH],
      // GraphiQL's editor sets style attributes from script, which hashes cannot admit; styles cannot run code.
      styleSrc: [GRAPHIQL_CDN, "'unsafe-inline'"],
      fontSrc: [GRAPHIQL_CDN, 'data:'],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  });
  const graphiqlServed = !config.production;
  const recorded = recordHeaders(headers);
  return [
    (_req: Request, res: Response, next: NextFunction) => {
      const value = assignCspNonce(res);
      for (const [name, header] of recorded) res.setHeader(name, header.includes(NONCE_SLOT) ? header.replaceAll(NONCE_SLOT, value) : header);
      next();
    },
    (req: Request, res: Response, next: NextFunction) => {
      if (graphiqlServed && req.method === 'GET' && req.path === '/graphql') graphiql(req, res, next);
      else next();
    },
  ];
}

/** Stands for the response's nonce in the recorded headers. */
const NONCE_SLOT = '\u0000nonce\u0000';

/**
 * Helmet's headers, taken once from a run against a recording response with {@link NONCE_SLOT} for the nonce: the same
 * headers as running helmet's dozen middleware for each request, which was some 8 % of a GraphQL request's time.
 */
function recordHeaders(middleware: RequestHandler): [string, string][] {
  const recorded = new Map<string, string>();
  const res = {
    locals: { cspNonce: NONCE_SLOT },
    setHeader: (name: string, value: string) => recorded.set(name, String(value)),
    removeHeader: (name: string) => recorded.delete(name),
  };
  let called = false;
  void middleware({ method: 'GET', headers: {} } as Request, res as unknown as Response, () => (called = true));
  if (!called) throw new Error('security headers: helmet did not finish synchronously');
  return [...recorded];
}
