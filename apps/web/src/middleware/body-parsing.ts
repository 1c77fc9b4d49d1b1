import express, { type NextFunction, type Request, type Response } from 'express';
import { WebInputError } from '../errors/web-errors.js';

/** What a page's form may send: flat fields, bounded before anything reads them. */
export const FORM_LIMITS = { bytes: '100kb', fields: 200 } as const;

const parseForm = express.urlencoded({ extended: false, limit: FORM_LIMITS.bytes, parameterLimit: FORM_LIMITS.fields });

/**
 * Reads an urlencoded form body within {@link FORM_LIMITS} (a body Nest's default parser already read is left as it
 * is: that parser has its own 100 kb limit) and refuses nested values, which the pages' forms never send.
 */
export function formBodies(req: Request, res: Response, next: NextFunction): void {
  parseForm(req, res, (error?: unknown) => {
    if (error) {
      next(error);
      return;
    }
    const body: unknown = req.body;
    if (body !== undefined && body !== null && typeof body === 'object') {
      const nested = Object.values(body as Record<string, unknown>).some(
        (value) => typeof value !== 'string' && !(Array.isArray(value) && value.every((v) => typeof v === 'string')),
      );
      if (nested) {
        next(new WebInputError('A form field had a nested value'));
        return;
      }
    }
    next();
  });
}
