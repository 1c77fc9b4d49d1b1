import { X509Certificate, createHash } from 'node:crypto';

/** How soon before its expiry a signing certificate is pointed out (the web pages and the operator CLI). */
export const EXPIRY_WARNING_DAYS = 30;

/** What an organisation admin needs to know of an IdP's signing certificate. */
export interface CertificateFacts {
  /** The subject's common name, or the whole subject when it has none; null when the certificate cannot be read. */
  subject: string | null;
  validTo: Date | null;
  expired: boolean;
  expiresSoon: boolean;
  /** SHA-256 of the DER, as administrators compare them. */
  fingerprint: string;
}

/** Reads a base64 DER certificate as the IdP's metadata gave it (the IdP record keeps them so). */
export function certificateFacts(base64Der: string, now = new Date()): CertificateFacts {
  const der = Buffer.from(base64Der, 'base64');
  const fingerprint = createHash('sha256')
    .update(der)
    .digest('hex')
    .replace(/(..)(?!$)/g, '$1:')
    .toUpperCase();
  try {
    const certificate = new X509Certificate(der);
    const validTo = new Date(certificate.validTo);
    const commonName = /^CN=(.*)$/m.exec(certificate.subject)?.[1];
    const expired = validTo.getTime() <= now.getTime();
    return {
      subject: commonName ?? certificate.subject.replace(/\n/g, ', '),
      validTo,
      expired,
      expiresSoon: !expired && validTo.getTime() - now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000,
      fingerprint,
    };
  } catch {
    return { subject: null, validTo: null, expired: false, expiresSoon: false, fingerprint };
  }
}
