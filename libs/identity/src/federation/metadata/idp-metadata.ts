import { X509Certificate } from 'node:crypto';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { METADATA_MAX_CHARACTERS, MetadataError, MetadataErrorCode } from './metadata.errors.js';

export const SAML_METADATA_NS = 'urn:oasis:names:tc:SAML:2.0:metadata';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const SAML2_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const BINDINGS = {
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect': 'HTTP-Redirect',
  'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST': 'HTTP-POST',
} as const;
/** SAML 2.0 metadata schema: entityID is at most 1024 characters. */
const MAX_ENTITY_ID_LENGTH = 1024;

/** The front-channel bindings we speak, by the short names node-saml uses. */
export type SamlHttpBinding = 'HTTP-Redirect' | 'HTTP-POST';

/** What the SP needs to know about one SAML 2.0 identity provider, read from its metadata. */
export interface IdpMetadata {
  entityId: string;
  /** Where AuthnRequests go: the HTTP-Redirect endpoint, or the HTTP-POST one when the IdP offers no redirect (see `ssoBinding`). */
  ssoRedirectUrl: string;
  /** The binding of `ssoRedirectUrl`. */
  ssoBinding: SamlHttpBinding;
  ssoPostUrl?: string;
  /** Single logout: the HTTP-Redirect endpoint, else the HTTP-POST one. */
  sloUrl?: string;
  sloBinding?: SamlHttpBinding;
  /** Base64 DER bodies, whitespace removed; more than one during a key rollover, all to be accepted. */
  signingCertificates: string[];
  encryptionCertificates: string[];
  wantAuthnRequestsSigned: boolean;
  nameIdFormats: string[];
  /** Accepted but worth telling an admin: expired or not-yet-valid certificates, an expired validUntil. */
  warnings: string[];
}

export interface ParseIdpMetadataOptions {
  /** Accept http:// endpoints (tests, closed networks); otherwise only https. */
  allowHttp?: boolean;
  /** The time certificates and validUntil are judged against. */
  now?: Date;
}

/** An IdP entity of a multi-entity document that was left out, and why. */
export interface RejectedIdpEntity {
  entityId: string;
  code: MetadataErrorCode;
  message: string;
}

/**
 * Reads one SAML 2.0 identity provider from its metadata: an md:EntityDescriptor with an IDPSSODescriptor, or an
 * md:EntitiesDescriptor holding exactly one such entity. Refuses (with a {@link MetadataError}) DTDs, documents
 * without an SSO endpoint or signing certificate, non-https endpoints unless `allowHttp`, and certificates that are
 * not X.509. Expired certificates are kept (SAML pins keys, not dates) and reported in `warnings`.
 */
export function parseIdpMetadata(xml: string, options: ParseIdpMetadataOptions = {}): IdpMetadata {
  const root = parseMetadataXml(xml).documentElement!;
  if (isMd(root, 'EntityDescriptor')) {
    return parseIdpEntity(root, options, undefined, 'warn');
  }
  const entities = requireIdps(readIdpEntities(root, { ...options, strict: true, expiredEntity: 'warn' }).entities);
  if (entities.length > 1) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_MULTIPLE_IDPS,
      `The metadata describes ${entities.length} identity providers (${entities.map((e) => e.entityId).join(', ')}); give the metadata of one, or load it as a federation aggregate.`,
    );
  }
  return entities[0]!;
}

/**
 * Reads every SAML 2.0 identity provider of an md:EntitiesDescriptor (nested ones included), skipping entities
 * that are service providers only. Strict: an invalid IdP entity, or two with the same entityID, refuses the
 * whole document, and so does a document with no IdP at all. A lone md:EntityDescriptor gives a list of one.
 */
export function parseIdpMetadataEntities(xml: string, options: ParseIdpMetadataOptions = {}): IdpMetadata[] {
  return requireIdps(readIdpEntities(parseMetadataXml(xml).documentElement!, { ...options, strict: true, expiredEntity: 'warn' }).entities);
}

function requireIdps(entities: IdpMetadata[]): IdpMetadata[] {
  if (entities.length === 0) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_NO_IDP_DESCRIPTOR,
      'The metadata contains no entity with a SAML 2.0 IDPSSODescriptor (service providers only?).',
    );
  }
  return entities;
}

/** @internal Options of {@link readIdpEntities}, shared with the aggregate verifier. */
export interface ReadIdpEntitiesOptions extends ParseIdpMetadataOptions {
  /** Throw on the first bad IdP entity (true) or leave it out and report it in `rejected` (false). */
  strict: boolean;
  /** What a passed validUntil on an entity (or a nested EntitiesDescriptor) does. */
  expiredEntity: 'warn' | 'reject';
}

/**
 * @internal Walks an already-trusted metadata element (EntityDescriptor or EntitiesDescriptor) and parses its IdP
 * entities. The aggregate verifier passes only the element its signature covered.
 */
export function readIdpEntities(root: Element, options: ReadIdpEntitiesOptions): { entities: IdpMetadata[]; rejected: RejectedIdpEntity[] } {
  if (!isMd(root, 'EntityDescriptor') && !isMd(root, 'EntitiesDescriptor')) {
    throw notMetadata(root);
  }
  const parsed: IdpMetadata[] = [];
  const rejected: RejectedIdpEntity[] = [];
  const visit = (element: Element, inheritedValidUntil: Date | undefined): void => {
    if (isMd(element, 'EntitiesDescriptor')) {
      const validUntil = earliest(inheritedValidUntil, readValidUntil(element));
      for (const child of childElements(element)) {
        if (isMd(child, 'EntitiesDescriptor') || isMd(child, 'EntityDescriptor')) visit(child, validUntil);
      }
      return;
    }
    if (!findIdpDescriptor(element)) return; // a service provider (or SAML 1 only): not ours to read
    try {
      parsed.push(parseIdpEntity(element, options, inheritedValidUntil, options.expiredEntity));
    } catch (error) {
      if (options.strict || !(error instanceof MetadataError)) throw error;
      rejected.push({ entityId: error.entityId ?? element.getAttribute('entityID') ?? '', code: error.code, message: error.message });
    }
  };
  visit(root, undefined);

  // Two descriptions of one entityID leave no way to tell which is meant: refuse (strict) or drop every copy.
  const counts = new Map<string, number>();
  for (const entity of parsed) counts.set(entity.entityId, (counts.get(entity.entityId) ?? 0) + 1);
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  if (duplicated.length > 0 && options.strict) {
    throw new MetadataError(MetadataErrorCode.METADATA_DUPLICATE_ENTITY_ID, `The metadata describes ${duplicated[0]} more than once.`, duplicated[0]);
  }
  for (const entityId of duplicated) {
    rejected.push({
      entityId,
      code: MetadataErrorCode.METADATA_DUPLICATE_ENTITY_ID,
      message: `The metadata describes ${entityId} more than once; every copy was left out.`,
    });
  }
  return { entities: parsed.filter((e) => !duplicated.includes(e.entityId)), rejected };
}

/**
 * @internal Parses metadata XML safely: larger than {@link METADATA_MAX_CHARACTERS} is refused unread, a DOCTYPE or ENTITY declaration is refused on the raw text, before any
 * parser sees it (XXE, entity expansion), and any parser error refuses the document.
 */
export function parseMetadataXml(xml: string): Document {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new MetadataError(MetadataErrorCode.METADATA_NOT_XML, 'The metadata is empty.');
  }
  if (xml.length > METADATA_MAX_CHARACTERS) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_TOO_LARGE,
      `The metadata is larger than ${METADATA_MAX_CHARACTERS / 1024 / 1024} MiB, which is more than this service reads.`,
    );
  }
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(xml)) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_DTD_FORBIDDEN,
      'The metadata contains a DOCTYPE or ENTITY declaration, which is refused; SAML metadata needs neither.',
    );
  }
  let document: Document;
  try {
    document = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'application/xml');
  } catch (error) {
    const full = error instanceof Error ? error.message.replace(/^Reporting \w+ "(.*)" caused .*$/s, '$1') : String(error);
    // The parser's message can repeat much of the document (every unclosed tag): keep what helps a person.
    const reason = full.length > 200 ? `${full.slice(0, 200)}…` : full;
    throw new MetadataError(MetadataErrorCode.METADATA_NOT_XML, `The metadata is not well-formed XML: ${reason}`);
  }
  if (!document.documentElement) {
    throw new MetadataError(MetadataErrorCode.METADATA_NOT_XML, 'The metadata is not well-formed XML: it has no document element.');
  }
  return document;
}

/** @internal Whether `element` is the SAML 2.0 metadata element `localName`. */
export function isMd(element: Element, localName: string): boolean {
  return element.namespaceURI === SAML_METADATA_NS && element.localName === localName;
}

/** @internal The element children of `parent`, optionally only those with this namespace and local name. */
export function childElements(parent: Element, namespace?: string, localName?: string): Element[] {
  const result: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType !== node.ELEMENT_NODE) continue;
    const element = node as Element;
    if (namespace !== undefined && (element.namespaceURI !== namespace || element.localName !== localName)) continue;
    result.push(element);
  }
  return result;
}

/** @internal The element's validUntil attribute as a date; an unreadable one refuses the document. */
export function readValidUntil(element: Element): Date | undefined {
  const value = element.getAttribute('validUntil')?.trim();
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new MetadataError(
      MetadataErrorCode.METADATA_MALFORMED,
      `The metadata's validUntil "${value}" is not a date and time.`,
      element.getAttribute('entityID') ?? undefined,
    );
  }
  return date;
}

/** @internal */
export function notMetadata(root: Element): MetadataError {
  return new MetadataError(
    MetadataErrorCode.METADATA_NOT_SAML_METADATA,
    `The document element is {${root.namespaceURI ?? ''}}${root.localName ?? root.nodeName}, not a SAML 2.0 md:EntityDescriptor or md:EntitiesDescriptor.`,
  );
}

function parseIdpEntity(entity: Element, options: ParseIdpMetadataOptions, inheritedValidUntil: Date | undefined, expired: 'warn' | 'reject'): IdpMetadata {
  const now = options.now ?? new Date();
  const entityId = entity.getAttribute('entityID')?.trim() ?? '';
  if (!entityId) {
    throw new MetadataError(MetadataErrorCode.METADATA_ENTITY_ID_MISSING, 'The EntityDescriptor has no entityID attribute.');
  }
  if (entityId.length > MAX_ENTITY_ID_LENGTH) {
    throw new MetadataError(MetadataErrorCode.METADATA_MALFORMED, `The entityID is longer than ${MAX_ENTITY_ID_LENGTH} characters.`);
  }
  const fail = (code: MetadataErrorCode, message: string): never => {
    throw new MetadataError(code, `${entityId}: ${message}`, entityId);
  };
  const idp = findIdpDescriptor(entity);
  if (!idp) {
    const saml1Only = childElements(entity, SAML_METADATA_NS, 'IDPSSODescriptor').length > 0;
    return fail(
      MetadataErrorCode.METADATA_NO_IDP_DESCRIPTOR,
      saml1Only
        ? `its IDPSSODescriptor does not list ${SAML2_PROTOCOL} in protocolSupportEnumeration; a SAML 2.0 identity provider is needed.`
        : "the metadata has no IDPSSODescriptor; it is not an identity provider (a service provider's metadata?).",
    );
  }
  const warnings: string[] = [];

  const validUntil = earliest(earliest(inheritedValidUntil, readValidUntil(entity)), readValidUntil(idp));
  if (validUntil && validUntil.getTime() <= now.getTime()) {
    const message = `the metadata's validUntil (${validUntil.toISOString()}) has passed`;
    if (expired === 'reject') fail(MetadataErrorCode.METADATA_EXPIRED, `${message}.`);
    warnings.push(`${message}; ask the IdP's administrator for fresh metadata.`);
  }

  const checkUrl = (location: string, what: string): string => {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      return fail(MetadataErrorCode.METADATA_URL_INVALID, `the ${what} location "${location}" is not a URL.`);
    }
    if (url.protocol === 'https:' || (url.protocol === 'http:' && options.allowHttp === true)) return location;
    return fail(MetadataErrorCode.METADATA_URL_NOT_HTTPS, `the ${what} location "${location}" is not https.`);
  };
  const endpoints = (name: string) => {
    const byBinding = new Map<SamlHttpBinding, string>();
    for (const service of childElements(idp, SAML_METADATA_NS, name)) {
      const binding = BINDINGS[service.getAttribute('Binding')?.trim() as keyof typeof BINDINGS];
      const location = service.getAttribute('Location')?.trim();
      // The first endpoint of a binding wins, as the metadata spec's ordering suggests.
      if (binding && location && !byBinding.has(binding)) byBinding.set(binding, checkUrl(location, `${name} (${binding})`));
    }
    return byBinding;
  };

  const sso = endpoints('SingleSignOnService');
  const ssoBinding: SamlHttpBinding | undefined = sso.has('HTTP-Redirect') ? 'HTTP-Redirect' : sso.has('HTTP-POST') ? 'HTTP-POST' : undefined;
  if (!ssoBinding) {
    return fail(
      MetadataErrorCode.METADATA_NO_SSO_URL,
      'the IDPSSODescriptor has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding and a Location.',
    );
  }
  const slo = endpoints('SingleLogoutService');
  const sloBinding: SamlHttpBinding | undefined = slo.has('HTTP-Redirect') ? 'HTTP-Redirect' : slo.has('HTTP-POST') ? 'HTTP-POST' : undefined;

  const signingCertificates: string[] = [];
  const encryptionCertificates: string[] = [];
  for (const keyDescriptor of childElements(idp, SAML_METADATA_NS, 'KeyDescriptor')) {
    const use = keyDescriptor.getAttribute('use')?.trim() || undefined;
    for (const keyInfo of childElements(keyDescriptor, XMLDSIG_NS, 'KeyInfo')) {
      for (const x509Data of childElements(keyInfo, XMLDSIG_NS, 'X509Data')) {
        for (const certificate of childElements(x509Data, XMLDSIG_NS, 'X509Certificate')) {
          const body = (certificate.textContent ?? '').replace(/\s+/g, '');
          const label = use === 'encryption' ? 'encryption certificate' : 'signing certificate';
          warnings.push(...checkCertificate(body, label, now, (message) => fail(MetadataErrorCode.METADATA_CERTIFICATE_INVALID, message)));
          // No `use` means the key serves both purposes (SAML metadata spec, 2.4.1.1).
          if (use !== 'encryption' && !signingCertificates.includes(body)) signingCertificates.push(body);
          if (use !== 'signing' && !encryptionCertificates.includes(body)) encryptionCertificates.push(body);
        }
      }
    }
  }
  if (signingCertificates.length === 0) {
    return fail(
      MetadataErrorCode.METADATA_NO_SIGNING_CERTIFICATE,
      'the IDPSSODescriptor has no signing certificate: a KeyDescriptor with use="signing" (or no use) holding a ds:X509Certificate is needed to check its responses.',
    );
  }

  const wantAuthnRequestsSigned = ['true', '1'].includes(idp.getAttribute('WantAuthnRequestsSigned')?.trim() ?? '');
  const nameIdFormats = [
    ...new Set(
      childElements(idp, SAML_METADATA_NS, 'NameIDFormat')
        .map((e) => (e.textContent ?? '').trim())
        .filter((f) => f !== ''),
    ),
  ];

  return {
    entityId,
    ssoRedirectUrl: sso.get(ssoBinding)!,
    ssoBinding,
    ...(sso.has('HTTP-POST') ? { ssoPostUrl: sso.get('HTTP-POST') } : {}),
    ...(sloBinding ? { sloUrl: slo.get(sloBinding), sloBinding } : {}),
    signingCertificates,
    encryptionCertificates,
    wantAuthnRequestsSigned,
    nameIdFormats,
    warnings: [...new Set(warnings)],
  };
}

/** The first SAML 2.0 IDPSSODescriptor of an EntityDescriptor; SAML 1.x-only ones are not ours. */
function findIdpDescriptor(entity: Element): Element | undefined {
  return childElements(entity, SAML_METADATA_NS, 'IDPSSODescriptor').find((descriptor) =>
    (descriptor.getAttribute('protocolSupportEnumeration') ?? '').split(/\s+/).includes(SAML2_PROTOCOL),
  );
}

/** Refuses a body that is not base64 X.509; returns warnings for dates that do not cover `now`. */
function checkCertificate(body: string, label: string, now: Date, refuse: (message: string) => never): string[] {
  if (body === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    return refuse(`a ${label} is not base64.`);
  }
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(Buffer.from(body, 'base64'));
  } catch {
    return refuse(`a ${label} is not a readable X.509 certificate.`);
  }
  const name = `${label} ${certificate.subject.replace(/\n/g, ', ')} (SHA-256 ${certificate.fingerprint256})`;
  const warnings: string[] = [];
  if (new Date(certificate.validTo).getTime() < now.getTime()) {
    warnings.push(`The ${name} expired on ${new Date(certificate.validTo).toISOString()}; it is still used, since SAML trusts the key rather than the dates.`);
  } else if (new Date(certificate.validFrom).getTime() > now.getTime()) {
    warnings.push(
      `The ${name} is not valid before ${new Date(certificate.validFrom).toISOString()}; it is used already, since SAML trusts the key rather than the dates.`,
    );
  }
  return warnings;
}

function earliest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a) return b;
  if (!b) return a;
  return a.getTime() <= b.getTime() ? a : b;
}
