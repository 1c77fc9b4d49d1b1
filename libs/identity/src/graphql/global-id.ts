import { IdentityError, IdentityErrorCode } from '../identity.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque global ID of an object: `base64url("Type:uuid")`. */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

/** Decodes a global ID; `null` when it is not one of ours. */
export function parseGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length > 200 || !/^[A-Za-z0-9_-]+={0,2}$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return null;
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  return /^[A-Z][A-Za-z]+$/.test(type) && UUID.test(id) ? { type, id } : null;
}

/**
 * The row id inside a global ID of the expected type.
 * @throws IdentityError INVALID_ID naming `field` when it is malformed or of another type.
 */
export function requireGlobalId(globalId: string, type: string, field = 'id'): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) {
    throw new IdentityError(IdentityErrorCode.INVALID_ID, `${field}: "${String(globalId).slice(0, 60)}" is not the ID of a ${type}`, field);
  }
  return parsed.id;
}
