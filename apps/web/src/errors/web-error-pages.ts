import { HttpException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AppConfig, codeLookup, DomainError, requestIdOf } from '#config';
import { DigestErrorCode } from '#digests';
import { Actor, IdentityErrorCode } from '#identity';
import { PracticeErrorCode } from '#practices';
import type { Request, Response } from 'express';
import { WebMessages } from '../i18n/web-messages.js';
import { applyLanguage } from '../middleware/language.js';
import { applyWebSecurity } from '../middleware/web-security.js';
import type { WebRequest } from '../page-context.js';
import { WebViews } from '../rendering/web-views.js';
import { WebErrorCode } from './web-errors.js';

/** The error pages; each has its title and text under `errors.<kind>.*` in the catalogues. */
export type ErrorKind = 'notFound' | 'signInNeeded' | 'formExpired' | 'badRequest' | 'serverError';

const STATUS: Record<ErrorKind, number> = { notFound: 404, signInNeeded: 401, formExpired: 403, badRequest: 400, serverError: 500 };

// One table per code set, so a new code fails to compile until it has a page. What the person may not see is "not
// found", as the API answers, so a page does not reveal that a practice exists.
const IDENTITY: Record<IdentityErrorCode, ErrorKind> = {
  [IdentityErrorCode.UNAUTHENTICATED]: 'signInNeeded',
  [IdentityErrorCode.TOKEN_INVALID]: 'signInNeeded',
  [IdentityErrorCode.PERMISSION_DENIED]: 'notFound',
  [IdentityErrorCode.INVALID_ID]: 'notFound',
  [IdentityErrorCode.ORGANISATION_NOT_FOUND]: 'notFound',
  [IdentityErrorCode.MEMBER_NOT_FOUND]: 'notFound',
  [IdentityErrorCode.TOKEN_NOT_FOUND]: 'notFound',
  [IdentityErrorCode.SESSION_NOT_FOUND]: 'notFound',
  [IdentityErrorCode.IDP_NOT_FOUND]: 'notFound',
  [IdentityErrorCode.IDP_METADATA_INVALID]: 'badRequest',
  [IdentityErrorCode.DOMAIN_TAKEN]: 'badRequest',
  [IdentityErrorCode.EMAIL_TAKEN]: 'badRequest',
  [IdentityErrorCode.EMAIL_OUTSIDE_DOMAINS]: 'badRequest',
  [IdentityErrorCode.ROLE_NOT_ASSIGNABLE]: 'badRequest',
  [IdentityErrorCode.TOKEN_SCOPE_TOO_WIDE]: 'badRequest',
  [IdentityErrorCode.TOKEN_EXPIRY_TOO_LATE]: 'badRequest',
  [IdentityErrorCode.INVALID_CURSOR]: 'badRequest',
  [IdentityErrorCode.INVALID_INPUT]: 'badRequest',
};

const PRACTICES: Record<PracticeErrorCode, ErrorKind> = {
  [PracticeErrorCode.PERMISSION_DENIED]: 'notFound',
  [PracticeErrorCode.PRACTICE_NOT_FOUND]: 'notFound',
  [PracticeErrorCode.COMMENT_NOT_FOUND]: 'notFound',
  [PracticeErrorCode.FLAG_NOT_FOUND]: 'notFound',
  [PracticeErrorCode.REVISION_CONFLICT]: 'badRequest',
  [PracticeErrorCode.INVALID_STATE]: 'badRequest',
  [PracticeErrorCode.INVALID_INPUT]: 'badRequest',
};

const DIGESTS: Record<DigestErrorCode, ErrorKind> = {
  [DigestErrorCode.SUBSCRIPTION_NOT_FOUND]: 'notFound',
  [DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED]: 'badRequest',
  [DigestErrorCode.INVALID_INPUT]: 'badRequest',
  [DigestErrorCode.CHANNEL_UNAVAILABLE]: 'badRequest',
  [DigestErrorCode.UNSUBSCRIBE_LINK_INVALID]: 'badRequest',
};

const PAGES: Record<WebErrorCode, ErrorKind> = {
  [WebErrorCode.BAD_REQUEST]: 'badRequest',
  [WebErrorCode.FORM_EXPIRED]: 'formExpired',
  [WebErrorCode.NOT_FOUND]: 'notFound',
};

const kindOfCode = codeLookup(IDENTITY, PRACTICES, DIGESTS, PAGES);

/**
 * Which error page an exception gets: a domain error's by its code, a framework refusal's by its status, anything
 * else (a domain error with no page, such as a metadata refusal, included) the server error page.
 */
export function errorKindOf(exception: unknown): ErrorKind {
  const kind = exception instanceof DomainError ? kindOfCode(exception.code) : undefined;
  if (kind) return kind;
  const status = exception instanceof HttpException ? exception.getStatus() : httpErrorStatus(exception);
  if (status === 404) return 'notFound';
  if (status !== undefined && status >= 400 && status < 500) return 'badRequest';
  return 'serverError';
}

/** The status of an `http-errors` error (body-parser's "too large", say), which Nest does not know. */
function httpErrorStatus(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const { status, expose } = exception as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && expose === true ? status : undefined;
}

/**
 * Renders GOV.UK error pages: for the pages' own routes (through {@link WebExceptionFilter}) and, through the API's
 * exception filter, for any browser request that no route answered. Never shows an internal message: a server error
 * page gives the request id to quote, and the details go to the log.
 */
@Injectable()
export class WebErrorPages {
  private readonly logger = new Logger(WebErrorPages.name);

  constructor(
    private readonly views: WebViews,
    private readonly messages: WebMessages,
    private readonly config: AppConfig,
  ) {}

  render(exception: unknown, req: Request, res: Response): void {
    if (res.headersSent) return;
    const kind = errorKindOf(exception);
    const requestId = requestIdOf(req);
    if (kind === 'serverError') {
      this.logger.error({
        msg: 'page failed',
        path: req.path,
        error: exception instanceof Error ? exception.message : String(exception),
        stack: exception instanceof Error ? exception.stack : undefined,
      });
    } else {
      this.logger.debug({ msg: 'error page', kind, path: req.path, error: exception instanceof Error ? exception.message : String(exception) });
    }
    try {
      this.ensurePageContext(req, res);
      // The status is what the visitor's browser and monitoring need; the page never says more than its kind.
      this.views.render(res, 'pages/errors/error.njk', { kind, requestId }, STATUS[kind]);
    } catch (renderError) {
      this.logger.error({ msg: 'error page failed', error: renderError instanceof Error ? renderError.message : String(renderError) });
      if (!res.headersSent)
        res
          .status(STATUS[kind])
          .type('text/plain')
          .send(requestId ? `Sorry, there is a problem (${requestId}).` : 'Sorry, there is a problem.');
    }
  }

  /**
   * Answers "not found" outside the pages' routes (an address no route matches) with the GOV.UK 404 page when a
   * browser navigated to it (it prefers HTML to JSON); false leaves the answer to the API, as for every other error.
   */
  renderForBrowser(exception: unknown, req: Request, res: Response): boolean {
    if (!(exception instanceof NotFoundException) || req.path.startsWith('/graphql') || req.accepts(['json', 'html']) !== 'html') return false;
    this.render(exception, req, res);
    return true;
  }

  /** Outside the pages' routes their middleware has not run: the error page still needs a nonce and a language. */
  private ensurePageContext(req: Request, res: Response): void {
    applyWebSecurity(res);
    if (!res.locals.t) applyLanguage(req, res, { catalogues: this.messages.catalogues, secureCookies: this.config.secureCookies });
    if (!res.locals.user) {
      const actor = (req as WebRequest).actor ?? Actor.anonymous();
      res.locals.user = { signedIn: actor.signedIn, roles: actor.roles };
      res.locals.currentPath = req.path;
      res.locals.demoMode = this.config.demoMode;
    }
    res.setHeader('Cache-Control', 'no-store');
  }
}
