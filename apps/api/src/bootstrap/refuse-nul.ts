import type { NextFunction, Request, Response } from 'express';
import { InputValidationError } from '../graphql/validation.js';

/** What a person is told: PostgreSQL text cannot hold U+0000, and no form or integration has a reason to send it. */
export const NUL_REFUSED = 'The request contains a NUL character (U+0000), which text on the platform cannot hold: remove it and send the request again.';

/** Whether a parsed body (a form's fields or a JSON document, already bounded in size) holds a NUL anywhere. */
export function holdsNul(value: unknown): boolean {
  // A loop rather than recursion: a 1 MB JSON body can nest hundreds of thousands of levels.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'string') {
      if (next.includes('\u0000')) return true;
    } else if (next !== null && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) {
        if (key.includes('\u0000')) return true;
        pending.push(inner);
      }
    }
  }
  return false;
}

/**
 * Refuses a NUL character in the address or the parsed body before any route reads it, with BAD_USER_INPUT and a
 * sentence; otherwise it reaches PostgreSQL, which refuses it with an error only the log should see (a 500).
 */
export function refuseNulCharacters(req: Request, _res: Response, next: NextFunction): void {
  // Thrown, not passed to next(): Nest answers what its middleware throws through the app's exception filter.
  if (/%00|\u0000/i.test(req.originalUrl) || holdsNul(req.body)) throw new InputValidationError([NUL_REFUSED]);
  next();
}
