import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `pe` for API tokens, `ps` for session cookies: the same shape, never interchangeable. */
export type SecretKind = 'pe' | 'ps';

/** A new secret `<kind>_<id>_<secret>` for the row `id`, and the hash to store. */
export function mintToken(id: string, kind: SecretKind = 'pe'): { token: string; secretHash: Buffer } {
  const secret = randomBytes(32).toString('hex');
  return { token: `${kind}_${id.replace(/-/g, '')}_${secret}`, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The row id and secret of a well-formed token of `kind`, or null. */
export function parseToken(token: string, kind: SecretKind = 'pe'): { id: string; secret: string } | null {
  const match = new RegExp(`^${kind}_([0-9a-f]{32})_([0-9a-f]{64})$`).exec(token);
  if (!match) return null;
  const hex = match[1]!;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, secret: match[2]! };
}

/**
 * A token's row id from what an operator has at hand: the id (with or without hyphens), or the token itself or its
 * `pe_<id>` prefix (the secret is not needed to name it). Null when it is none of these.
 */
export function tokenIdOf(value: string): string | null {
  const match = /^(?:pe_)?([0-9a-f]{32})(?:_[0-9a-f]{64})?$/i.exec(
    value.trim().replace(/^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i, '$1$2$3$4$5'),
  );
  if (!match) return null;
  const hex = match[1]!.toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Compares in constant time, so response time does not reveal how much of a secret matched. */
export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const candidate = hashSecret(secret);
  return candidate.length === storedHash.length && timingSafeEqual(candidate, storedHash);
}
