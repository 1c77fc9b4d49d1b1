import { codeLookup } from '#config';
import { IdentityErrorCode } from '#identity';
import { PracticeErrorCode } from '#practices';
import { DigestErrorCode } from '#digests';

/**
 * The codes an API client sees in `extensions.code`. `RATE_LIMITED` (429) is answered by the rate-limit middleware
 * before any resolver runs, so no domain code maps to it.
 */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR';

// One table per code set: a new domain code fails to compile until it is mapped here.
const IDENTITY: Record<IdentityErrorCode, ApiErrorCode> = {
  [IdentityErrorCode.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [IdentityErrorCode.TOKEN_INVALID]: 'UNAUTHENTICATED',
  [IdentityErrorCode.PERMISSION_DENIED]: 'FORBIDDEN',
  [IdentityErrorCode.ROLE_NOT_ASSIGNABLE]: 'FORBIDDEN',
  [IdentityErrorCode.TOKEN_SCOPE_TOO_WIDE]: 'FORBIDDEN',
  [IdentityErrorCode.TOKEN_EXPIRY_TOO_LATE]: 'FORBIDDEN',
  [IdentityErrorCode.ORGANISATION_NOT_FOUND]: 'NOT_FOUND',
  [IdentityErrorCode.MEMBER_NOT_FOUND]: 'NOT_FOUND',
  [IdentityErrorCode.TOKEN_NOT_FOUND]: 'NOT_FOUND',
  [IdentityErrorCode.SESSION_NOT_FOUND]: 'NOT_FOUND',
  [IdentityErrorCode.IDP_NOT_FOUND]: 'NOT_FOUND',
  [IdentityErrorCode.DOMAIN_TAKEN]: 'CONFLICT',
  [IdentityErrorCode.EMAIL_TAKEN]: 'CONFLICT',
  [IdentityErrorCode.EMAIL_OUTSIDE_DOMAINS]: 'BAD_USER_INPUT',
  [IdentityErrorCode.INVALID_ID]: 'BAD_USER_INPUT',
  [IdentityErrorCode.INVALID_CURSOR]: 'BAD_USER_INPUT',
  [IdentityErrorCode.INVALID_INPUT]: 'BAD_USER_INPUT',
  [IdentityErrorCode.IDP_METADATA_INVALID]: 'BAD_USER_INPUT',
};

const PRACTICES: Record<PracticeErrorCode, ApiErrorCode> = {
  [PracticeErrorCode.PERMISSION_DENIED]: 'FORBIDDEN',
  [PracticeErrorCode.PRACTICE_NOT_FOUND]: 'NOT_FOUND',
  [PracticeErrorCode.COMMENT_NOT_FOUND]: 'NOT_FOUND',
  [PracticeErrorCode.FLAG_NOT_FOUND]: 'NOT_FOUND',
  [PracticeErrorCode.REVISION_CONFLICT]: 'CONFLICT',
  [PracticeErrorCode.INVALID_STATE]: 'CONFLICT',
  [PracticeErrorCode.INVALID_INPUT]: 'BAD_USER_INPUT',
};

const DIGESTS: Record<DigestErrorCode, ApiErrorCode> = {
  [DigestErrorCode.SUBSCRIPTION_NOT_FOUND]: 'NOT_FOUND',
  [DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED]: 'CONFLICT',
  [DigestErrorCode.INVALID_INPUT]: 'BAD_USER_INPUT',
  [DigestErrorCode.CHANNEL_UNAVAILABLE]: 'BAD_USER_INPUT',
  [DigestErrorCode.UNSUBSCRIBE_LINK_INVALID]: 'BAD_USER_INPUT',
};

/**
 * The one mapping from a domain error's code to its API code. Undefined for a code no table maps (an error meant to
 * be handled inside a library, such as a metadata refusal): the filter answers that as an internal error.
 */
export const apiCodeOf: (code: string) => ApiErrorCode | undefined = codeLookup(IDENTITY, PRACTICES, DIGESTS);
