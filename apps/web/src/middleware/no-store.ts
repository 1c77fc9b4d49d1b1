import type { NextFunction, Request, Response } from 'express';
import { actorOf } from '../page-context.js';

/**
 * Pages of a signed-in person are never stored (a shared computer's back button, a proxy); other pages are revalidated
 * every time, as they carry a form token bound to the browser.
 */
export function noStoreWhenSignedIn(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', actorOf(req).signedIn ? 'no-store' : 'private, no-cache');
  res.setHeader('Vary', 'Cookie');
  next();
}
