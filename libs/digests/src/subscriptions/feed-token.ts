import { createHmac, timingSafeEqual } from 'node:crypto';

function mac(subscriptionId: string, version: number, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`digest-feed:${subscriptionId}:${version}`).digest('base64url');
}

/** The secret part of a subscription's Atom URL: `<id without dashes>.<HMAC of id and version>`. */
export function feedToken(subscriptionId: string, version: number, appSecret: string): string {
  return `${subscriptionId.replace(/-/g, '')}.${mac(subscriptionId, version, appSecret)}`;
}

/** The subscription a feed token names, or null; the caller then checks it with {@link feedTokenMatches}. */
export function feedTokenSubscriptionId(token: string): string | null {
  const match = /^([0-9a-f]{32})\.[A-Za-z0-9_-]{43}$/.exec(token);
  if (!match) return null;
  const hex = match[1]!;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Constant-time check of a token against the subscription's current version. */
export function feedTokenMatches(token: string, subscriptionId: string, version: number, appSecret: string): boolean {
  const expected = Buffer.from(feedToken(subscriptionId, version, appSecret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
