import { DomainError } from '#config';

/** Codes of the pages' own errors (the libraries' errors keep theirs). */
export enum WebErrorCode {
  /** A request a page's own form or link could not have made (nested fields, a broken cursor). */
  BAD_REQUEST = 'WEB_BAD_REQUEST',
  /** The form's CSRF token is missing or is not this browser's. */
  FORM_EXPIRED = 'WEB_FORM_EXPIRED',
  NOT_FOUND = 'WEB_NOT_FOUND',
}

export class WebError extends DomainError<WebErrorCode> {
  constructor(code: WebErrorCode, message: string) {
    super(code, message);
  }
}

/** A request no page of ours sends; answered with the "problem with the request" page. */
export class WebInputError extends WebError {
  constructor(message: string) {
    super(WebErrorCode.BAD_REQUEST, message);
  }
}
