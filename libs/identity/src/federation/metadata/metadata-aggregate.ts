import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  childElements,
  isMd,
  notMetadata,
  parseMetadataXml,
  readIdpEntities,
  readValidUntil,
  XMLDSIG_NS,
  type IdpMetadata,
  type RejectedIdpEntity,
} from './idp-metadata.js';
import { MetadataError, MetadataErrorCode } from './metadata.errors.js';

const SIGNATURE_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512']);
const DIGEST_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const TRANSFORMS = new Set(['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N]);
/** The attributes xml-crypto resolves a Reference URI against. */
const ID_ATTRIBUTES = ['ID', 'Id', 'id'];
/** An NCName-like ID: keeps xml-crypto's XPath lookup of the Reference URI free of quotes and surprises. */
const SAFE_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The IdPs of a verified federation aggregate. */
export interface VerifiedMetadataAggregate {
  /** Every valid SAML 2.0 IdP entity the signature covered; service providers are skipped. */
  entities: IdpMetadata[];
  /** The aggregate's own validUntil, when it has one: refresh before then. */
  validUntil?: Date;
  /** IdP entities left out (an http endpoint, no signing certificate, an expired validUntil, a duplicate entityID...). One bad entity must not take a whole federation down. */
  rejected: RejectedIdpEntity[];
}

export interface VerifyMetadataAggregateOptions {
  /** Accept http:// endpoints in the entities (tests, closed networks). */
  allowHttp?: boolean;
}

/**
 * Verifies a federation's signed metadata aggregate and only then reads its IdPs.
 *
 * The enveloped signature on the document element must verify against `trustedCertificatePem` (several during the
 * federation's own key rollover), never against a key the document carries; its single Reference must point at the
 * document element's ID (anything else is signature wrapping); RSA-SHA256/512, SHA-256/512 and exclusive c14n
 * only; a passed `validUntil` is refused. Entities are read from the canonical XML that xml-crypto verified, not
 * from the received document, so nothing outside the signed bytes can be read. Errors are {@link MetadataError}s.
 */
export function verifyMetadataAggregate(
  xml: string,
  trustedCertificatePem: string | readonly string[],
  now: Date = new Date(),
  options: VerifyMetadataAggregateOptions = {},
): VerifiedMetadataAggregate {
  const trusted = trustAnchors(trustedCertificatePem);
  const document = parseMetadataXml(xml);
  const root = document.documentElement!;
  if (!isMd(root, 'EntitiesDescriptor') && !isMd(root, 'EntityDescriptor')) throw notMetadata(root);

  const signature = rootSignature(root, document.getElementsByTagNameNS(XMLDSIG_NS, 'Signature').length);
  const rootId = root.getAttribute('ID') ?? '';
  if (!SAFE_ID.test(rootId)) {
    throw wrapped(rootId ? `the document element's ID "${rootId}" is not a plain XML ID` : 'the document element has no ID for the signature to point at');
  }
  // xml-crypto refuses duplicate IDs too; checking here keeps the error ours and its code precise.
  let sameId = 0;
  for (const element of Array.from(document.getElementsByTagName('*'))) {
    if (ID_ATTRIBUTES.some((name) => element.getAttribute(name) === rootId)) sameId += 1;
  }
  if (sameId > 1) throw wrapped(`${sameId} elements carry the ID "${rootId}"`);

  const verified = checkSignature(xml, signature, rootId, trusted);
  const signedRoot = signedDocumentElement(verified, root, rootId);

  const validUntil = readValidUntil(signedRoot);
  if (validUntil && validUntil.getTime() <= now.getTime()) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_EXPIRED,
      `The federation metadata expired at ${validUntil.toISOString()} (validUntil); fetch a fresh copy.`,
    );
  }
  const { entities, rejected } = readIdpEntities(signedRoot, { allowHttp: options.allowHttp, now, strict: false, expiredEntity: 'reject' });
  return { entities, ...(validUntil ? { validUntil } : {}), rejected };
}

function trustAnchors(input: string | readonly string[]): string[] {
  const list = (typeof input === 'string' ? [input] : [...input]).map((pem) => pem.trim()).filter((pem) => pem !== '');
  if (list.length === 0) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_TRUST_ANCHOR_INVALID,
      'No federation signing certificate is configured, so the aggregate cannot be trusted.',
    );
  }
  return list.map((text) => {
    // A bare base64 body (as copied out of metadata) is accepted too.
    const pem = text.includes('-----BEGIN')
      ? text
      : `-----BEGIN CERTIFICATE-----\n${text.replace(/\s+/g, '').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    try {
      return new X509Certificate(pem).toString();
    } catch {
      throw new MetadataError(
        MetadataErrorCode.METADATA_TRUST_ANCHOR_INVALID,
        'The configured federation signing certificate is not a readable PEM X.509 certificate.',
      );
    }
  });
}

/** The one ds:Signature that is a direct child of the document element. */
function rootSignature(root: Element, signaturesInDocument: number): Element {
  const signatures = childElements(root, XMLDSIG_NS, 'Signature');
  if (signatures.length === 1) return signatures[0]!;
  if (signatures.length > 1) throw wrapped('the document element carries more than one signature');
  if (signaturesInDocument === 0) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_UNSIGNED,
      'The federation metadata is not signed; an aggregate is trusted only with a signature from the configured certificate.',
    );
  }
  // Signed parts further down do not vouch for the document element (and the entities beside them).
  throw wrapped('the signature is not on the document element');
}

/** Verifies against each trusted certificate; returns the one canonical signed reference. */
function checkSignature(xml: string, signature: Element, rootId: string, trusted: string[]): string {
  for (const publicCert of trusted) {
    // getCertFromKeyInfo returning null makes xml-crypto use publicCert only, never a certificate in the document.
    const signed = new SignedXml({ publicCert, getCertFromKeyInfo: () => null });
    try {
      // xml-crypto types its argument as the DOM's Node; at run time it is the xmldom node it works on itself.
      signed.loadSignature(signature as unknown as Parameters<SignedXml['loadSignature']>[0]);
    } catch (error) {
      throw new MetadataError(MetadataErrorCode.METADATA_MALFORMED, `The federation metadata's signature cannot be read: ${errorMessage(error)}.`);
    }
    checkAlgorithms(signed, rootId);
    let valid: boolean;
    try {
      valid = signed.checkSignature(xml);
    } catch {
      continue; // the signature value does not verify with this certificate: try the next one
    }
    if (!valid) {
      // A reference digest failed: the same for every key, so stop here.
      throw new MetadataError(
        MetadataErrorCode.METADATA_MODIFIED,
        'The federation metadata was changed after it was signed (its digest does not match); it is refused.',
      );
    }
    const references = signed.getSignedReferences();
    if (references.length !== 1) throw wrapped('the signature does not cover exactly one element');
    return references[0]!;
  }
  throw new MetadataError(
    MetadataErrorCode.METADATA_SIGNATURE_INVALID,
    'The federation metadata is not signed by the configured federation certificate (or its signature value is wrong); it is refused.',
  );
}

function checkAlgorithms(signed: SignedXml, rootId: string): void {
  const refuse = (what: string) =>
    new MetadataError(
      MetadataErrorCode.METADATA_SIGNATURE_ALGORITHM_REFUSED,
      `The federation metadata's signature uses ${what}; RSA-SHA256, SHA-256 and exclusive c14n are expected.`,
    );
  if (!SIGNATURE_ALGORITHMS.has(signed.signatureAlgorithm ?? '')) throw refuse(`the signature algorithm ${signed.signatureAlgorithm ?? '(none)'}`);
  if (signed.canonicalizationAlgorithm !== EXC_C14N) throw refuse(`the canonicalization ${signed.canonicalizationAlgorithm ?? '(none)'}`);
  const references = signed.getReferences();
  if (references.length !== 1) throw wrapped(`the signature has ${references.length} references where one, to the document element, is expected`);
  const reference = references[0]!;
  if (reference.uri !== `#${rootId}`) throw wrapped(`the signature points at "${reference.uri}", not at the document element (#${rootId})`);
  if (!DIGEST_ALGORITHMS.has(reference.digestAlgorithm)) throw refuse(`the digest algorithm ${reference.digestAlgorithm}`);
  const transform = reference.transforms.find((t) => !TRANSFORMS.has(t));
  if (transform !== undefined) throw refuse(`the transform ${transform}`);
}

/** Parses the verified canonical XML and checks it is the document element we were given. */
function signedDocumentElement(canonical: string, root: Element, rootId: string): Element {
  const signedRoot = parseMetadataXml(canonical).documentElement!;
  if (signedRoot.namespaceURI !== root.namespaceURI || signedRoot.localName !== root.localName || signedRoot.getAttribute('ID') !== rootId) {
    throw wrapped('the signed element is not the document element');
  }
  return signedRoot;
}

function wrapped(reason: string): MetadataError {
  return new MetadataError(MetadataErrorCode.METADATA_SIGNATURE_WRAPPED, `The federation metadata is refused: ${reason} (signature wrapping?).`);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
