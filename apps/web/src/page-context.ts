import type { Actor, AuthenticatedRequest, RequestContext, Role } from '#identity';
import type { Request, Response } from 'express';
import type { Formats } from './i18n/formats.js';
import type { Language, Translate } from './i18n/messages.js';

/** A link of the language navigation: the same page in another language. */
export interface LanguageLink {
  lang: Language;
  text: string;
  href: string;
  current: boolean;
}

/** What every page's template can use; the middleware steps fill it in `res.locals`. */
export interface PageContext {
  /** This response's CSP nonce: the only inline or module scripts that run carry it. */
  cspNonce: string;
  lang: Language;
  t: Translate;
  formats: Formats;
  languageLinks: LanguageLink[];
  /** The path of the page, for the navigation's current item. */
  currentPath: string;
  user: { signedIn: boolean; roles: Role[] };
  /** For the hidden `_csrf` field of every form. */
  csrfToken?: string;
  demoMode: boolean;
}

export type WebRequest = AuthenticatedRequest;

/** The page context of a response whose middleware has run. */
export function pageContext(res: Response): PageContext {
  return res.locals as PageContext;
}

/**
 * Who is asking, as the authentication middleware (AppModule, before the web's own steps) found it.
 * @throws Error when that middleware did not run: a wiring mistake, never a visitor's.
 */
export function actorOf(req: Request): Actor {
  const actor = (req as WebRequest).actor;
  if (!actor) throw new Error('The authentication middleware must run before the web pages');
  return actor;
}

const LOADER_CONTEXT = Symbol('loaderContext');

/**
 * The request's DataLoader context, shaped as GraphQL's, so a page loads related rows with the very loaders (and read
 * rules) the API uses: one batch per kind of row, however many a page shows.
 */
export function loaderContext(req: Request): RequestContext {
  const holder = req as Request & { [LOADER_CONTEXT]?: RequestContext };
  holder[LOADER_CONTEXT] ??= { req, actor: actorOf(req), loaders: new Map() };
  return holder[LOADER_CONTEXT];
}
