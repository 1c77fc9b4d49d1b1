import { DomainError } from '#config';

/** What went wrong with practices and what hangs off them; one class, one code each. */
export enum PracticeErrorCode {
  PRACTICE_NOT_FOUND = 'PRACTICE_NOT_FOUND',
  COMMENT_NOT_FOUND = 'COMMENT_NOT_FOUND',
  FLAG_NOT_FOUND = 'FLAG_NOT_FOUND',
  REVISION_CONFLICT = 'REVISION_CONFLICT',
  INVALID_STATE = 'INVALID_STATE',
  INVALID_INPUT = 'INVALID_INPUT',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
}

export class PracticeError extends DomainError<PracticeErrorCode> {}
