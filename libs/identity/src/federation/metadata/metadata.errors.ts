import { DomainError } from '#config';

/** The largest metadata document parsed, in characters: the same bound as a metadata URL's response (5 MiB). */
export const METADATA_MAX_CHARACTERS = 5 * 1024 * 1024;

/** Why SAML metadata (one IdP's, or a federation aggregate) was refused; one class, one code each. */
export enum MetadataErrorCode {
  /** Not well-formed XML, or empty. */
  METADATA_NOT_XML = 'METADATA_NOT_XML',
  /** Larger than any metadata we read ({@link METADATA_MAX_CHARACTERS}): refused before parsing. */
  METADATA_TOO_LARGE = 'METADATA_TOO_LARGE',
  /** A DOCTYPE or ENTITY declaration: refused before parsing (XXE, entity expansion). */
  METADATA_DTD_FORBIDDEN = 'METADATA_DTD_FORBIDDEN',
  /** The document element is not a SAML 2.0 md:EntityDescriptor or md:EntitiesDescriptor. */
  METADATA_NOT_SAML_METADATA = 'METADATA_NOT_SAML_METADATA',
  /** A structural problem not covered by a more specific code (an unreadable date, a bad ID). */
  METADATA_MALFORMED = 'METADATA_MALFORMED',
  METADATA_ENTITY_ID_MISSING = 'METADATA_ENTITY_ID_MISSING',
  /** No SAML 2.0 IDPSSODescriptor: a service provider's metadata, or SAML 1 only. */
  METADATA_NO_IDP_DESCRIPTOR = 'METADATA_NO_IDP_DESCRIPTOR',
  /** An EntitiesDescriptor with several IdPs where exactly one was expected. */
  METADATA_MULTIPLE_IDPS = 'METADATA_MULTIPLE_IDPS',
  METADATA_DUPLICATE_ENTITY_ID = 'METADATA_DUPLICATE_ENTITY_ID',
  METADATA_NO_SSO_URL = 'METADATA_NO_SSO_URL',
  /** An endpoint URL that does not parse. */
  METADATA_URL_INVALID = 'METADATA_URL_INVALID',
  /** An endpoint URL that is not https (http only with `allowHttp`). */
  METADATA_URL_NOT_HTTPS = 'METADATA_URL_NOT_HTTPS',
  METADATA_NO_SIGNING_CERTIFICATE = 'METADATA_NO_SIGNING_CERTIFICATE',
  METADATA_CERTIFICATE_INVALID = 'METADATA_CERTIFICATE_INVALID',
  /** validUntil has passed. */
  METADATA_EXPIRED = 'METADATA_EXPIRED',
  /** The configured federation certificate itself is not a readable X.509 certificate. */
  METADATA_TRUST_ANCHOR_INVALID = 'METADATA_TRUST_ANCHOR_INVALID',
  /** An aggregate with no signature at all. */
  METADATA_UNSIGNED = 'METADATA_UNSIGNED',
  /** Signed, but not by (one of) the configured certificate(s). */
  METADATA_SIGNATURE_INVALID = 'METADATA_SIGNATURE_INVALID',
  /** The signature is good but the signed content no longer matches its digest. */
  METADATA_MODIFIED = 'METADATA_MODIFIED',
  /** The signature does not cover exactly the document element (signature wrapping). */
  METADATA_SIGNATURE_WRAPPED = 'METADATA_SIGNATURE_WRAPPED',
  /** SHA-1, HMAC or another algorithm we do not accept. */
  METADATA_SIGNATURE_ALGORITHM_REFUSED = 'METADATA_SIGNATURE_ALGORITHM_REFUSED',
}

export class MetadataError extends DomainError<MetadataErrorCode> {
  constructor(
    code: MetadataErrorCode,
    message: string,
    /** The entityID concerned, when the problem is in one entity. */
    readonly entityId?: string,
  ) {
    super(code, message);
  }
}
