import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/** The prefix Standard Webhooks gives symmetric secrets, so integrators and their libraries recognise them. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

// The specification asks for 24 to 64 random bytes; 32 matches SHA-256's output, as strong as HMAC-SHA256 gets.
const SECRET_BYTES = 32;
const SEAL_VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Binds the version label to the ciphertext, so a v1 blob cannot be replayed under a later format.
const AAD = Buffer.from(`webhook-secret.${SEAL_VERSION}`, 'utf8');

/**
 * A sealed webhook secret could not be opened or a secret could not be sealed. The message never contains the
 * secret or the sealed text; it says what to do (restore APP_SECRET or rotate the secret).
 */
export class WebhookSecretError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookSecretError';
  }
}

/**
 * A new per-subscription signing secret in the Standard Webhooks form: `whsec_` followed by the standard base64 of
 * 32 random bytes. This is what the owner sees and what their verification library takes as is.
 */
export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(SECRET_BYTES).toString('base64');
}

/**
 * The AES-256 key for sealing webhook secrets, derived from APP_SECRET with HKDF-SHA256 (info `webhook-secret`).
 * A dedicated derivation keeps this key independent of the session and link-signing keys that come from the same
 * APP_SECRET.
 */
function sealingKey(appSecret: string): Buffer {
  if (!appSecret) throw new WebhookSecretError('Cannot seal or open a webhook secret: APP_SECRET is empty');
  return Buffer.from(hkdfSync('sha256', Buffer.from(appSecret, 'utf8'), Buffer.alloc(0), 'webhook-secret', 32));
}

/**
 * Encrypts a webhook secret for storage (AES-256-GCM, random 12-byte IV, key from {@link sealingKey}). The result
 * is `v1.<iv>.<tag>.<ciphertext>`, each part base64url, so the format can change later without guessing.
 * The secret stays recoverable (its owner must be able to read it again), which hashing would not allow.
 */
export function sealSecret(secret: string, appSecret: string): string {
  if (!secret) throw new WebhookSecretError('Cannot seal an empty webhook secret');
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(appSecret), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [SEAL_VERSION, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
}

/** Decodes one base64url part, refusing non-canonical text whose ignored bits could hide an edit. */
function part(text: string, expectedBytes?: number): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return undefined;
  if (expectedBytes !== undefined && bytes.length !== expectedBytes) return undefined;
  return bytes;
}

/**
 * Decrypts what {@link sealSecret} produced.
 * @throws WebhookSecretError when the text is not a sealed secret, was altered, or was sealed under another
 *   APP_SECRET (GCM cannot tell the last two apart, and neither can we).
 */
export function openSecret(sealed: string, appSecret: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== SEAL_VERSION) {
    throw new WebhookSecretError(`The stored webhook secret is not in the sealed ${SEAL_VERSION} format; rotate the subscription's webhook secret`);
  }
  const iv = part(parts[1]!, IV_BYTES);
  const tag = part(parts[2]!, TAG_BYTES);
  const ciphertext = part(parts[3]!);
  if (!iv || !tag || !ciphertext || ciphertext.length === 0) {
    throw new WebhookSecretError("The stored webhook secret is malformed (it was altered); rotate the subscription's webhook secret");
  }
  const key = sealingKey(appSecret);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch (error) {
    throw new WebhookSecretError(
      "The stored webhook secret could not be decrypted: it was sealed under another APP_SECRET or has been altered; restore the previous APP_SECRET or rotate the subscription's webhook secret",
      { cause: error },
    );
  }
}
