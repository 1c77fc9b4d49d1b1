/**
 * What never reaches a log line. Two layers: request and response lines are serialised from a few chosen fields (no
 * headers at all, the URL without its secrets), and pino's `redact` removes the keys below wherever code logs them.
 */

const REDACTED = '[redacted]';

/** Keys whose value is a credential, a secret or a signed SAML message, at the top of a line or one level down. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  '"set-cookie"',
  'token',
  'secret',
  'webhookSecret',
  'password',
  'SAMLRequest',
  'SAMLResponse',
  'RelayState',
];

/** pino `redact` paths: each secret key on its own, inside any object, and inside any `headers`. */
export const REDACT_PATHS = [
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `[${key}]` : key)),
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `*[${key}]` : `*.${key}`)),
  ...SECRET_KEYS.map((key) => (key.startsWith('"') ? `*.headers[${key}]` : `*.headers.${key}`)),
];

export const REDACT_CENSOR = REDACTED;

/**
 * Paths whose last segment is a secret: a subscription's Atom feed (`/feeds/subscriptions/<token>.atom`) and a signed
 * unsubscribe link (`/unsubscribe/<token>`). Express routes case-insensitively and ignores repeated slashes, so these
 * do too.
 */
const SECRET_PATHS = [/^(\/+feeds\/+subscriptions\/+)[^/?#]+/i, /^(\/+unsubscribe\/+)[^/?#]+/i];

/** Query parameters that carry SAML messages (redirect binding) or credentials. */
const SECRET_PARAMETERS = new Set(['samlrequest', 'samlresponse', 'relaystate', 'signature', 'token', 'access_token', 'secret']);

/** A request URL as it may be logged: secret path segments and secret query values replaced, the rest kept. */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  let path = at < 0 ? url : url.slice(0, at);
  for (const pattern of SECRET_PATHS) path = path.replace(pattern, `$1${REDACTED}`);
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
