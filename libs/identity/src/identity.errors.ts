/** What went wrong in identity; one class, one code each. */
export enum IdentityErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  PERMISSION_DENIED = 'PERMISSION_DENIED',
  ORGANISATION_NOT_FOUND = 'ORGANISATION_NOT_FOUND',
  MEMBER_NOT_FOUND = 'MEMBER_NOT_FOUND',
  TOKEN_NOT_FOUND = 'TOKEN_NOT_FOUND',
  SESSION_NOT_FOUND = 'SESSION_NOT_FOUND',
  IDP_NOT_FOUND = 'IDP_NOT_FOUND',
  IDP_METADATA_INVALID = 'IDP_METADATA_INVALID',
  DOMAIN_TAKEN = 'DOMAIN_TAKEN',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  EMAIL_OUTSIDE_DOMAINS = 'EMAIL_OUTSIDE_DOMAINS',
  ROLE_NOT_ASSIGNABLE = 'ROLE_NOT_ASSIGNABLE',
  TOKEN_SCOPE_TOO_WIDE = 'TOKEN_SCOPE_TOO_WIDE',
  TOKEN_EXPIRY_TOO_LATE = 'TOKEN_EXPIRY_TOO_LATE',
  INVALID_ID = 'INVALID_ID',
  INVALID_CURSOR = 'INVALID_CURSOR',
  INVALID_INPUT = 'INVALID_INPUT',
}

export class IdentityError extends Error {
  constructor(
    readonly code: IdentityErrorCode,
    message: string,
    /** The input field at fault, when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'IdentityError';
  }
}
