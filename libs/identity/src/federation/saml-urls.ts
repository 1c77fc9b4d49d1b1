import type { AppConfig } from '#config';
import { isSlug } from '../organisations/slug.js';

/** This service's SAML endpoints for one organisation; the entity ID is the metadata URL. */
export function spUrls(config: AppConfig, organisationSlug: string) {
  const base = `${config.publicUrl}/auth/saml/${encodeURIComponent(organisationSlug)}`;
  return { entityId: `${base}/metadata`, acs: `${base}/acs`, slo: `${base}/slo`, login: `${base}/login`, metadata: `${base}/metadata` };
}

/** Whether `value` can be an organisation's slug at all; anything else is answered without a database query. */
export function isSlugShaped(value: string): boolean {
  return value.length <= 100 && isSlug(value);
}

const SAME_ORIGIN = 'http://same.origin';
const RETURN_TO_MAX_LENGTH = 2000;
/** Backslash (browsers read it as `/`), and every control, format or space character (browsers drop or trim some). */
const UNSAFE_CHARACTER = /[\\\p{Cc}\p{Cf}\p{Z}\s]/u;
/** Encoded `/`, `\`, `.`, `%` and control characters in the path: a later decoding step could turn them into `//`. */
const ENCODED_SEPARATOR = /%(?:2f|5c|2e|25|[01][0-9a-f]|7f)/i;

/** A path of this origin as written: one leading `/`, not `//`, no scheme-like first segment, nothing unsafe. */
function isPlainPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !UNSAFE_CHARACTER.test(value) && !/^\/[^/?#]*:/.test(value);
}

/**
 * `returnTo` as a path of this platform, or `/`. Checked as given and again after URL normalisation (which turns
 * `/.//evil.example` into `//evil.example`): one leading `/` and not `//`, no scheme, no backslash, no control or
 * space characters, no encoded separators in the path. A sign-in link therefore cannot send people elsewhere.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length > RETURN_TO_MAX_LENGTH || !isPlainPath(value)) return '/';
  let parsed: URL;
  try {
    parsed = new URL(value, SAME_ORIGIN);
  } catch {
    return '/';
  }
  if (parsed.origin !== SAME_ORIGIN || ENCODED_SEPARATOR.test(parsed.pathname)) return '/';
  const normalised = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  return isPlainPath(normalised) && normalised.length <= RETURN_TO_MAX_LENGTH ? normalised : '/';
}
