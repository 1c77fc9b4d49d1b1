import type { Permission } from '#identity';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { WebInputError } from '../errors/web-errors.js';
import type { WebRequest } from '../page-context.js';

/** What an upload form may send: one file of at most 5 MiB, and a few short fields. */
export const UPLOAD_LIMITS = { fileBytes: 5 * 1024 * 1024, fields: 20, fieldBytes: 100 * 1024 } as const;

/** A page that takes one uploaded file: its form's path, the file field's name, and who may send it. */
export interface UploadRoute {
  path: string;
  field: string;
  permission: Permission;
}

/** What the multipart step leaves for the controller besides `req.body`. */
export interface UploadRequest extends Request {
  file?: Express.Multer.File;
  /** Set when the file was larger than {@link UPLOAD_LIMITS}: the form says so rather than failing. */
  uploadRefused?: 'tooLarge';
}

function pathOf(req: Request): string {
  return new URL(req.originalUrl, 'http://page.local').pathname;
}

/**
 * Reads `multipart/form-data` forms (multer, in memory, bounded) for the routes in `routes` only, and only for a
 * signed-in person whose roles allow the route: anyone else's upload is not read, so it carries no CSRF token and
 * is refused by the next step. It runs before the CSRF step, which then checks the form's `_csrf` field as for any
 * other form. A file over the limit is not an error page: the controller tells the person on the form.
 */
export function multipartForms(routes: UploadRoute[]) {
  const parsers = new Map(
    routes.map((route) => [
      route.path,
      {
        route,
        parse: multer({
          storage: multer.memoryStorage(),
          limits: {
            fileSize: UPLOAD_LIMITS.fileBytes,
            files: 1,
            fields: UPLOAD_LIMITS.fields,
            fieldSize: UPLOAD_LIMITS.fieldBytes,
            parts: UPLOAD_LIMITS.fields + 1,
          },
        }).single(route.field),
      },
    ]),
  );
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST' || !req.is('multipart/form-data')) {
      next();
      return;
    }
    const parser = parsers.get(pathOf(req));
    const actor = (req as WebRequest).actor;
    if (!parser || !actor?.can(parser.route.permission)) {
      next();
      return;
    }
    parser.parse(req, res, (error?: unknown) => {
      if (error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE') {
        (req as UploadRequest).uploadRefused = 'tooLarge';
        next();
        return;
      }
      if (error) {
        next(error instanceof multer.MulterError ? new WebInputError(`The upload form was refused: ${error.code}`) : error);
        return;
      }
      // Field names like `a[b]` make nested values; the pages' forms send flat fields only.
      const body = req.body as Record<string, unknown> | undefined;
      if (body && Object.values(body).some((value) => typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string')))) {
        next(new WebInputError('A form field had a nested value'));
        return;
      }
      // Read only here, after the API's check of bodies for NUL: PostgreSQL text cannot hold one.
      if (
        body &&
        Object.values(body)
          .flat()
          .some((value) => typeof value === 'string' && value.includes('\u0000'))
      ) {
        next(new WebInputError('A form field held a NUL character'));
        return;
      }
      next();
    });
  };
}
