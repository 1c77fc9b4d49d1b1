/**
 * What never reaches a log line. Two layers: request and response lines are serialised from a few chosen fields (no
 * headers at all, the URL without its secrets), and pino's `redact` removes the keys below wherever code logs them.
 */

const REDACTED = '[redacted]';

/** Keys whose value is a credential, a secret or a signed SAML message, at the top of a line or one level down. */
const SECRET_KEYS = ['authorization', 'cookie', '"set-cookie"', 'token', 'secret', 'webhookSecret', 'password', 'SAMLRequest', 'SAMLResponse', 'RelayState'];

/** pino `redact` paths: each secret key on its own, inside any object, and inside any `headers`. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `[${key}]` : key)),
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `*[${key}]` : `*.${key}`)),
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `*.headers[${key}]` : `*.headers.${key}`)),
];

export const REDACT_CENSOR = REDACTED;

/**
 * Paths whose last segment is a secret: a subscription's Atom feed (`/feeds/subscriptions/<token>.atom`) and a signed
 * unsubscribe link (`/unsubscribe/<token>`). Express routes case-insensitively, so these match in any case, and with
 * repeated slashes; a route's pattern (`:token`) is left alone.
 */
const SECRET_PATHS = /(\/+feeds\/+subscriptions\/+|\/+unsubscribe\/+)(?!:)[^/?#\s"'<>,{}]+/gi;

/** Text (an error message, a path) with the secret of any feed or unsubscribe path in it replaced. */
export function withoutSecretPaths(text: string): string {
  return text.replace(SECRET_PATHS, `$1${REDACTED}`);
}

/**
 * pino's `logMethod` hook: whatever a line's message or top-level fields say (a framework's "Cannot GET <path>", a
 * path logged by hand), no feed or unsubscribe secret gets through.
 */
export function scrubSecretPaths(args: unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === 'string') return withoutSecretPaths(arg);
    if (typeof arg !== 'object' || arg === null || arg instanceof Error || Array.isArray(arg)) return arg;
    const entries = Object.entries(arg);
    if (!entries.some(([, value]) => typeof value === 'string')) return arg;
    return Object.fromEntries(entries.map(([key, value]) => [key, typeof value === 'string' ? withoutSecretPaths(value) : value]));
  });
}

/** Query parameters that carry SAML messages (redirect binding) or credentials. */
const SECRET_PARAMETERS = new Set(['samlrequest', 'samlresponse', 'relaystate', 'signature', 'token', 'access_token', 'secret']);

/** A request URL as it may be logged: secret path segments and secret query values replaced, the rest kept. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  const path = withoutSecretPaths(at < 0 ? url : url.slice(0, at));
  if (at < 0) return path;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: compare it as sent.
      }
      return eq >= 0 && SECRET_PARAMETERS.has(decoded.trim().toLowerCase()) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
