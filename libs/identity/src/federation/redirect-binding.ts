import { X509Certificate, verify } from 'node:crypto';
import { groupBy } from '../graphql/rows-by-key.js';
import { SamlRefusal } from './saml-xml.js';

/** Signature algorithms of the HTTP-Redirect binding we accept, by their XML-DSig URIs (no SHA-1). */
const SIGNATURE_HASHES: Record<string, string> = {
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512': 'sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256': 'sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384': 'sha384',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512': 'sha512',
};

/** The query-string signature of an HTTP-Redirect message, and the exact bytes it signs. */
export interface RedirectSignature {
  /** `SAMLRequest=…&RelayState=…&SigAlg=…` as sent, still URL-encoded (SAML bindings 3.4.4.1). */
  signedContent: string;
  hash: string;
  signature: Buffer;
}

/**
 * Reads the signature of an HTTP-Redirect message from the raw query string (the one the IdP signed, not a
 * re-encoding of it). Refuses a message without a signature, with an algorithm we do not accept, or with any of the
 * signed parameters given twice (which would leave it open which value was signed).
 */
export function redirectSignature(rawQuery: string, messageParameter: 'SAMLRequest' | 'SAMLResponse'): RedirectSignature {
  const tokens = groupBy(rawQuery.split('&'), (token) => {
    const at = token.indexOf('=');
    return at < 0 ? token : token.slice(0, at);
  });
  const one = (name: string): string | undefined => {
    const found = tokens.get(name) ?? [];
    if (found.length > 1) throw new SamlRefusal('MALFORMED', `The logout message gives ${name} more than once.`);
    return found[0];
  };
  const message = one(messageParameter);
  const relayState = one('RelayState');
  const sigAlg = one('SigAlg');
  const signature = one('Signature');
  if (!message) throw new SamlRefusal('MALFORMED', 'No SAML logout message.');
  // node-saml treats a Redirect-binding message without a signature as valid (node-saml#419): anyone knowing a
  // NameID could sign people out. Only signed ones are taken.
  if (!sigAlg || !signature) throw new SamlRefusal('UNSIGNED', 'Logout messages must be signed by the identity provider.');
  const algorithm = safeDecode(sigAlg.slice('SigAlg='.length));
  const hash = algorithm === undefined ? undefined : SIGNATURE_HASHES[algorithm];
  if (!hash)
    throw new SamlRefusal(
      'SIGNATURE_ALGORITHM',
      'The logout message is signed with an algorithm this service does not accept; RSA or ECDSA with SHA-256 or stronger is needed.',
    );
  const signatureValue = safeDecode(signature.slice('Signature='.length));
  if (signatureValue === undefined) throw new SamlRefusal('MALFORMED', "The logout message's signature is not readable.");
  return {
    signedContent: [message, relayState, sigAlg].filter((t) => t !== undefined).join('&'),
    hash,
    signature: Buffer.from(signatureValue, 'base64'),
  };
}

/** Whether one of `certificates` (base64 DER, as stored for an IdP) made this signature. */
export function signedByOneOf(redirect: RedirectSignature, certificates: readonly string[]): boolean {
  return certificates.some((certificate) => {
    try {
      const key = new X509Certificate(Buffer.from(certificate, 'base64')).publicKey;
      return verify(redirect.hash, Buffer.from(redirect.signedContent, 'utf8'), key, redirect.signature);
    } catch {
      return false;
    }
  });
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
