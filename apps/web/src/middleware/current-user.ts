import type { NextFunction, Request, Response } from 'express';
import { actorOf } from '../page-context.js';

/** Who is signed in, for the navigation and the pages' choices; and where the page is. */
export function applyCurrentUser(req: Request, res: Response, demoMode: boolean): void {
  const actor = actorOf(req);
  res.locals.user = { signedIn: actor.signedIn, roles: actor.roles };
  res.locals.currentPath = req.path;
  res.locals.demoMode = demoMode;
}

export function currentUser(demoMode: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    applyCurrentUser(req, res, demoMode);
    next();
  };
}
