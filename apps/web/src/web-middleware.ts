import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '#config';
import type { WebErrorPages } from './errors/web-error-pages.js';
import type { WebMessages } from './i18n/web-messages.js';
import { formBodies } from './middleware/body-parsing.js';
import { csrf } from './middleware/csrf.js';
import { currentUser } from './middleware/current-user.js';
import { language } from './middleware/language.js';
import { multipartForms } from './middleware/multipart.js';
import { noStoreWhenSignedIn } from './middleware/no-store.js';
import { webSecurity } from './middleware/web-security.js';
import { IDP_METADATA_UPLOAD } from './organisation/identity-provider.form.js';

export interface WebMiddlewareDeps {
  config: AppConfig;
  messages: WebMessages;
  errorPages: WebErrorPages;
}

/**
 * The pages' request handling, in the order it runs: the one place to read it.
 *
 * Before these steps, for every route, AppModule's authentication middleware has set the request id, `req.actor` and
 * `req.sessionId` (from the session cookie or a Bearer token). Then, for the pages' routes only:
 *
 * 1. web security: a CSP nonce for this response, the pages' Content-Security-Policy and headers
 * 2. caching: `no-store` when signed in
 * 3. body parsing: urlencoded forms, bounded, flat fields only; multipart forms (one file, 5 MiB) on the upload
 *    routes only, for people allowed to send them, so their `_csrf` field is read before the next steps
 * 4. language: `?lang=` or the remembered choice; `t()`, Intl formats, the language navigation's links
 * 5. CSRF: every POST carries this browser's or session's token; forms get it as `csrfToken`
 * 6. current user: who is signed in, for the navigation
 *
 * Then the route (a controller of apps/web), and for anything that goes wrong the GOV.UK error pages
 * (`WebExceptionFilter` on the controllers; `WebErrorPages.renderForBrowser` for browser requests no route matched).
 * Static files (`/assets/...`) skip all of this: they are the same for everyone.
 */
export function webMiddleware({ config, messages, errorPages }: WebMiddlewareDeps): RequestHandler[] {
  const steps: RequestHandler[] = [
    webSecurity,
    noStoreWhenSignedIn,
    formBodies,
    multipartForms([IDP_METADATA_UPLOAD]),
    language({ catalogues: messages.catalogues, secureCookies: config.secureCookies }),
    csrf({ appSecret: config.appSecret, secureCookies: config.secureCookies }),
    currentUser(config.demoMode),
  ];
  return [inOrder(steps.map((step) => answeringErrors(step, errorPages)))];
}

/**
 * The steps as one handler: Nest adds a router layer per middleware for each page route, and every request (GraphQL
 * ones too) is matched against the layers before its own, so one handler keeps that walk short.
 */
function inOrder(steps: RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const run = (index: number): void => {
      if (index === steps.length) return next();
      void steps[index]!(req, res, () => run(index + 1));
    };
    run(0);
  };
}

/**
 * Express passes a middleware's `next(error)` to its own error handler, which Nest does not replace; so each step's
 * error is answered here, with the error page.
 */
function answeringErrors(step: RequestHandler, errorPages: WebErrorPages): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const fail = (error: unknown) => errorPages.render(error, req, res);
    try {
      const result: unknown = step(req, res, (error?: unknown) => (error ? fail(error) : next()));
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}
