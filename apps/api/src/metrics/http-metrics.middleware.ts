import { httpRequestDuration } from '#config';
import type { NextFunction, Request, Response } from 'express';

/** Addresses served by mounted middleware rather than a route, whose requests would otherwise all be `unmatched`. */
const MOUNTS: [prefix: string, label: string][] = [
  ['/graphql', '/graphql'],
  ['/assets/', '/assets/*'],
];

/**
 * The route pattern a request matched (`/practices/:id`, never the id itself), so the series stay few: a mounted
 * path from {@link MOUNTS}, or `unmatched` for every address no route answers (404s, scanners).
 */
function routeLabel(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  // Middleware bound to every path (the request log context) leaves its catch-all pattern behind: not a route.
  if (typeof pattern === 'string' && !pattern.includes('*')) return `${req.baseUrl}${pattern}` || '/';
  const path = req.originalUrl.split('?')[0] ?? '';
  for (const [prefix, label] of MOUNTS) if (path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return label;
  return 'unmatched';
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Times every request to its answer, by method, route pattern and status class; first in the chain, so refusals count too. */
export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = httpRequestDuration.startTimer();
    res.once('finish', () => {
      end({ method: METHODS.has(req.method) ? req.method : 'OTHER', route: routeLabel(req), status_class: `${Math.floor(res.statusCode / 100)}xx` });
    });
    next();
  };
}
