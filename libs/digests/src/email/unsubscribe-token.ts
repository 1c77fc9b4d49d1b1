import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** HKDF `info`: a key for unsubscribe links only, so a MAC made for another purpose never passes here. */
const PURPOSE = 'practice-exchange digest-unsubscribe v1';
const MAC_BYTES = 32;
/** Far above any real token (an id of a few dozen characters plus a MAC); bounds the work done on garbage. */
const MAX_TOKEN_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function unsubscribeKey(secret: string): Buffer {
  if (!secret) throw new Error('An unsubscribe token needs APP_SECRET');
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), PURPOSE, 32));
}

function mac(subscriptionId: string, secret: string): Buffer {
  return createHmac('sha256', unsubscribeKey(secret)).update(subscriptionId, 'utf8').digest();
}

/** Decodes strict base64url: anything that does not re-encode to the same text is refused, so one token has one spelling. */
function decode(part: string): Buffer | null {
  if (!BASE64URL.test(part)) return null;
  const bytes = Buffer.from(part, 'base64url');
  return bytes.toString('base64url') === part ? bytes : null;
}

/**
 * The token of an unsubscribe link (`/unsubscribe/:signedToken`), which works without signing in:
 * `base64url(subscriptionId) "." base64url(HMAC-SHA256(key, subscriptionId))`, the key derived from APP_SECRET
 * by HKDF with the purpose label `digest-unsubscribe`. It does not expire: a link in an old mail keeps working.
 */
export function signUnsubscribeToken(subscriptionId: string, secret: string): string {
  if (!subscriptionId) throw new Error('An unsubscribe token needs a subscription id');
  return `${Buffer.from(subscriptionId, 'utf8').toString('base64url')}.${mac(subscriptionId, secret).toString('base64url')}`;
}

/**
 * The subscription id a token was signed for, or `null` for anything else: a tampered, truncated or foreign token,
 * one signed with another secret, or plain garbage. The MAC is compared in constant time.
 */
export function verifyUnsubscribeToken(token: string, secret: string): string | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const idBytes = decode(parts[0]!);
  const given = decode(parts[1]!);
  if (!idBytes || !given || idBytes.length === 0 || given.length !== MAC_BYTES) return null;
  const subscriptionId = idBytes.toString('utf8');
  // Invalid UTF-8 decodes lossily; such an id was never signed.
  if (!Buffer.from(subscriptionId, 'utf8').equals(idBytes)) return null;
  return timingSafeEqual(given, mac(subscriptionId, secret)) ? subscriptionId : null;
}
