import { IdentityErrorCode } from '#identity';
import { PracticeErrorCode } from '#practices';
import { DigestErrorCode } from '#digests';

/** The codes an API client sees in `extensions.code`. */
export type ApiErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'INTERNAL_SERVER_ERROR';

/** The one mapping from domain codes to API codes; a new domain code fails to compile until it is mapped here. */
export function apiCodeOf(code: IdentityErrorCode | PracticeErrorCode | DigestErrorCode): ApiErrorCode {
  switch (code) {
    case IdentityErrorCode.UNAUTHENTICATED:
    case IdentityErrorCode.TOKEN_INVALID:
      return 'UNAUTHENTICATED';
    case IdentityErrorCode.PERMISSION_DENIED:
    case IdentityErrorCode.ROLE_NOT_ASSIGNABLE:
    case IdentityErrorCode.TOKEN_SCOPE_TOO_WIDE:
    case IdentityErrorCode.TOKEN_EXPIRY_TOO_LATE:
    case PracticeErrorCode.PERMISSION_DENIED:
      return 'FORBIDDEN';
    case IdentityErrorCode.ORGANISATION_NOT_FOUND:
    case IdentityErrorCode.MEMBER_NOT_FOUND:
    case IdentityErrorCode.TOKEN_NOT_FOUND:
    case IdentityErrorCode.SESSION_NOT_FOUND:
    case IdentityErrorCode.IDP_NOT_FOUND:
    case PracticeErrorCode.PRACTICE_NOT_FOUND:
    case PracticeErrorCode.COMMENT_NOT_FOUND:
    case PracticeErrorCode.FLAG_NOT_FOUND:
    case DigestErrorCode.SUBSCRIPTION_NOT_FOUND:
      return 'NOT_FOUND';
    case IdentityErrorCode.DOMAIN_TAKEN:
    case IdentityErrorCode.EMAIL_TAKEN:
    case PracticeErrorCode.REVISION_CONFLICT:
    case PracticeErrorCode.INVALID_STATE:
    case DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED:
      return 'CONFLICT';
    case IdentityErrorCode.EMAIL_OUTSIDE_DOMAINS:
    case IdentityErrorCode.INVALID_ID:
    case IdentityErrorCode.INVALID_CURSOR:
    case IdentityErrorCode.INVALID_INPUT:
    case IdentityErrorCode.IDP_METADATA_INVALID:
    case PracticeErrorCode.INVALID_INPUT:
    case DigestErrorCode.INVALID_INPUT:
    case DigestErrorCode.CHANNEL_UNAVAILABLE:
    case DigestErrorCode.UNSUBSCRIBE_LINK_INVALID:
      return 'BAD_USER_INPUT';
    default: {
      const unmapped: never = code;
      throw new Error(`Unmapped error code ${String(unmapped)}`);
    }
  }
}
