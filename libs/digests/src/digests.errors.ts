import { DomainError } from '#config';

/** What went wrong with digests; one class, one code each. */
export enum DigestErrorCode {
  SUBSCRIPTION_NOT_FOUND = 'SUBSCRIPTION_NOT_FOUND',
  INVALID_INPUT = 'INVALID_INPUT',
  CHANNEL_UNAVAILABLE = 'CHANNEL_UNAVAILABLE',
  UNSUBSCRIBE_LINK_INVALID = 'UNSUBSCRIBE_LINK_INVALID',
  /** The member already holds as many subscriptions as one member may. */
  SUBSCRIPTION_LIMIT_REACHED = 'SUBSCRIPTION_LIMIT_REACHED',
}

export class DigestError extends DomainError<DigestErrorCode> {}
