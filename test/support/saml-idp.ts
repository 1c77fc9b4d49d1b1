/**
 * A SAML 2.0 identity provider for tests: it signs real responses with a generated key, and builds the forged ones
 * an attacker would send (unsigned, signed by a stranger's key, signature wrapping, changed after signing, expired,
 * misaddressed, DTDs), so the service provider is tested against the attacks, not against mocks.
 *
 * The XML is written by hand rather than by samlify so that each attack changes exactly one thing in an otherwise
 * valid, schema-conformant message.
 */
import { constants, createCipheriv, createVerify, publicEncrypt, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { DOMParser, XMLSerializer, type Document as XmlDocument, type Element as XmlElement } from '@xmldom/xmldom';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

const NS = {
  samlp: 'urn:oasis:names:tc:SAML:2.0:protocol',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  md: 'urn:oasis:names:tc:SAML:2.0:metadata',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
  xs: 'http://www.w3.org/2001/XMLSchema',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  rsaOaep: 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
  'aes-256-gcm': 'http://www.w3.org/2009/xmlenc11#aes256-gcm',
  'aes-256-cbc': 'http://www.w3.org/2001/04/xmlenc#aes256-cbc',
} as const;

const BINDING = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
} as const;

/** NameID formats, by their SAML URIs. */
export const NAMEID_FORMAT = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const;

const STATUS_SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** A private key with its self-signed certificate, both PEM. */
export interface SigningKey {
  privateKey: string;
  certificate: string;
}

/** What {@link TestIdp.loginResponse} puts in a response. Times default to "now", valid for five minutes. */
export interface ResponseParams {
  /** The SP's Assertion Consumer Service URL; the default Destination and Recipient. */
  acsUrl: string;
  /** The SP's entity ID, sent as the Audience. */
  spEntityId: string;
  /** The AuthnRequest ID being answered; omitted for an IdP-initiated response. */
  inResponseTo?: string;
  nameId: string;
  /** Defaults to {@link NAMEID_FORMAT.emailAddress}. */
  nameIdFormat?: string;
  /** Attribute name (a URI or a friendly name such as `mail`) to one value or several. */
  attributes?: Record<string, string | string[]>;
  /** FriendlyName per attribute Name, as Shibboleth sends beside `urn:oid:` names. */
  attributeFriendlyNames?: Record<string, string>;
  /** Defaults to a fresh random value. */
  sessionIndex?: string;
  /** Conditions NotBefore; defaults to one second before issueInstant. */
  notBefore?: Date;
  /** Conditions and SubjectConfirmationData NotOnOrAfter; defaults to five minutes after issueInstant. */
  notOnOrAfter?: Date;
  issueInstant?: Date;
  /** Sign the Response element (default true). */
  signResponse?: boolean;
  /** Sign the Assertion element (default true). */
  signAssertion?: boolean;
  /** Issuer of both Response and Assertion; defaults to the IdP's entity ID. */
  issuer?: string;
  /** Response Destination; defaults to acsUrl. */
  destination?: string;
  /** SubjectConfirmationData Recipient; defaults to acsUrl. */
  recipient?: string;
  /** Sign with this key instead of the IdP's (another IdP's key); its certificate goes in KeyInfo. */
  signWith?: SigningKey;
  /** Defaults to a fresh random ID; fix it to test replay detection. */
  assertionId?: string;
  /** Defaults to a fresh random ID. */
  responseId?: string;
  /** The SP's encryption certificate (PEM): the assertion is sent as an EncryptedAssertion for it. */
  encryptFor?: string;
  /** Content encryption when `encryptFor` is set; defaults to AES-256-GCM. The key is sent with RSA-OAEP. */
  encryptionAlgorithm?: 'aes-256-gcm' | 'aes-256-cbc';
}

/** What {@link TestIdp.logoutRequest} puts in an IdP-initiated LogoutRequest. */
export interface LogoutRequestParams {
  /** The SP's single-logout URL (Destination). */
  sloUrl: string;
  /** The SP's entity ID (the NameID's SPNameQualifier). */
  spEntityId: string;
  nameId: string;
  /** Defaults to {@link NAMEID_FORMAT.emailAddress}. */
  nameIdFormat?: string;
  sessionIndex?: string;
  /** Defaults to the IdP's entity ID. */
  issuer?: string;
  /** Defaults to five minutes from now. */
  notOnOrAfter?: Date;
  /** Sign with another key (default: the IdP's own). */
  signWith?: SigningKey;
  /** Sign the request (default true). */
  sign?: boolean;
}

/** What {@link TestIdp.logoutResponse} puts in the answer to an SP-initiated LogoutRequest. */
export interface LogoutResponseParams {
  /** The SP's single-logout URL (Destination). */
  sloUrl: string;
  /** The ID of the SP's LogoutRequest. */
  inResponseTo: string;
  /** Defaults to Success. */
  statusCode?: string;
  /** Defaults to the IdP's entity ID. */
  issuer?: string;
  signWith?: SigningKey;
  /** Sign the response (default true). */
  sign?: boolean;
}

/** The parts of an SP's AuthnRequest that a test needs to answer it. */
export interface ParsedAuthnRequest {
  id: string;
  acsUrl?: string;
  issuer: string;
  destination?: string;
  /** Whether the request carries a signature (query-string Signature or an embedded ds:Signature); not whether it verifies. */
  signed: boolean;
  /** Set only when an SP certificate was given and the request was signed in the query string (Redirect binding). */
  signatureValid?: boolean;
  relayState?: string;
}

/** One forged response from {@link TestIdp.namedWrappingVariants}. */
export interface WrappingVariant {
  name: string;
  samlResponse: string;
}

/** A test identity provider. Every response method returns the base64 `SAMLResponse` of the HTTP-POST binding. */
export interface TestIdp {
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
  /** Signing certificate, PEM. */
  certificate: string;
  /** Signing certificate, base64 DER (the body of the PEM). */
  certificateBase64: string;
  privateKey: string;
  /** A key that belongs to no configured IdP, for "signed by another key". */
  otherKey: SigningKey;
  /** IdP metadata: SSO over HTTP-Redirect, SLO over Redirect and POST, the signing certificate. */
  metadataXml: string;
  /** Metadata listing several signing certificates, as published during a key rollover. */
  metadataWithCertificates(certificates: string[]): string;

  /** A valid response: signed as asked, by this IdP's key. */
  loginResponse(params: ResponseParams): string;
  /** Neither the response nor the assertion signed. */
  unsigned(params: ResponseParams): string;
  /** Signed (as asked) with {@link otherKey}, whose certificate is in KeyInfo. */
  signedByOtherKey(params: ResponseParams): string;
  /** Signature wrapping: an unsigned assertion naming `evilNameId` inserted before the signed one. */
  wrapped(params: ResponseParams, evilNameId: string): string;
  /** Every wrapping variant of {@link namedWrappingVariants}, without names. */
  wrappingVariants(params: ResponseParams, evilNameId: string): string[];
  /**
   * Signature-wrapping attacks (XSW), each starting from a genuinely signed response. Assertion-level variants come
   * unless `signAssertion` is false, response-level ones unless `signResponse` is false. With both signed, any
   * assertion-level change also breaks the response signature, so pass `signResponse: false` to attack an SP that
   * accepts a signature on the assertion alone.
   */
  namedWrappingVariants(params: ResponseParams, evilNameId: string): WrappingVariant[];
  /** A signed response whose attribute `name` is then set to `value` (added when absent). */
  attributeChangedAfterSigning(params: ResponseParams, name: string, value: string): string;
  /**
   * A signed response whose NameID text is then split by an empty comment, e.g. `admin@victim.gov.uk<!---->.evil.com`.
   * The signature still verifies (exclusive c14n drops comments); an SP that reads only the first text node sees
   * `admin@victim.gov.uk`. `splitAt` defaults to before the last two labels of the domain (or the middle).
   */
  nameIdWithComment(params: ResponseParams, splitAt?: number): string;
  /**
   * A signed response preceded by a DOCTYPE declaring an external entity. By default the entity is not used, so the
   * signature still verifies and only a DOCTYPE check refuses it; `referenceEntity` also puts `&xxe;` in the NameID
   * (after signing, so a parser that expanded it would also see a broken digest).
   */
  withDoctype(params: ResponseParams, options?: { referenceEntity?: boolean }): string;

  /** A signed IdP-initiated LogoutRequest, base64 for HTTP-POST. */
  logoutRequest(params: LogoutRequestParams): string;
  /** A signed LogoutResponse to an SP-initiated logout, base64 for HTTP-POST. */
  logoutResponse(params: LogoutResponseParams): string;
  /** See {@link parseAuthnRequest}. */
  parseAuthnRequest(redirectUrl: string, spCertificate?: string): ParsedAuthnRequest;
}

/** A 2048-bit (by default) RSA key with a self-signed SHA-256 certificate, valid for a year from now. */
export async function createSigningKey(commonName: string, keySize = 2048): Promise<SigningKey> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize, algorithm: 'sha256' });
  return { privateKey: pems.private, certificate: pems.cert };
}

/** The base64 DER body of a PEM certificate. */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Creates an IdP with a fresh signing key and a second, unrelated key (generated together, so in about the time of
 * one). Create it once per test file: key generation dominates the cost.
 */
export async function createTestIdp(options: { entityId: string; keySize?: number; ssoUrl?: string; sloUrl?: string }): Promise<TestIdp> {
  const { entityId } = options;
  const ssoUrl = options.ssoUrl ?? 'https://idp.test/sso';
  const sloUrl = options.sloUrl ?? 'https://idp.test/slo';
  const [own, otherKey] = await Promise.all([createSigningKey(`idp ${entityId}`, options.keySize), createSigningKey(`not ${entityId}`, options.keySize)]);

  const metadataWithCertificates = (certificates: string[]): string =>
    `<md:EntityDescriptor xmlns:md="${NS.md}" xmlns:ds="${NS.ds}" entityID="${x(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.samlp}">` +
    certificates
      .map(
        (c) =>
          `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(c)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
      )
      .join('') +
    `<md:SingleLogoutService Binding="${BINDING.redirect}" Location="${x(sloUrl)}"/>` +
    `<md:SingleLogoutService Binding="${BINDING.post}" Location="${x(sloUrl)}"/>` +
    `<md:NameIDFormat>${NAMEID_FORMAT.emailAddress}</md:NameIDFormat>` +
    `<md:NameIDFormat>${NAMEID_FORMAT.persistent}</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="${BINDING.redirect}" Location="${x(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;

  const loginResponse = (params: ResponseParams): string => b64(buildLoginResponse(entityId, own, params));

  // The forgeries start from a genuinely signed response, as an attacker's would, and never re-sign.
  const signedDom = (params: ResponseParams): XmlDocument => {
    if (params.encryptFor) throw new Error('tampering helpers work on plain assertions; leave encryptFor unset');
    return parseXml(buildLoginResponse(entityId, own, { ...params, signAssertion: true }));
  };

  const namedWrappingVariants = (params: ResponseParams, evilNameId: string): WrappingVariant[] => {
    if (params.encryptFor) throw new Error('wrapping works on plain assertions; leave encryptFor unset');
    const builders = [...(params.signAssertion !== false ? ASSERTION_WRAPPING : []), ...(params.signResponse !== false ? RESPONSE_WRAPPING : [])];
    if (!builders.length) throw new Error('wrapping needs a signature to wrap');
    return builders.map(([name, build]) => {
      const doc = parseXml(buildLoginResponse(entityId, own, params));
      build(doc, evilNameId);
      return { name, samlResponse: b64(serialize(doc)) };
    });
  };

  return {
    entityId,
    ssoUrl,
    sloUrl,
    certificate: own.certificate,
    certificateBase64: certificateBody(own.certificate),
    privateKey: own.privateKey,
    otherKey,
    metadataXml: metadataWithCertificates([own.certificate]),
    metadataWithCertificates,
    loginResponse,
    unsigned: (params) => loginResponse({ ...params, signResponse: false, signAssertion: false }),
    signedByOtherKey: (params) => loginResponse({ ...params, signWith: otherKey }),
    wrapped(params, evilNameId) {
      const doc = signedDom(params);
      const { response, assertion } = parts(doc);
      response.insertBefore(evilCopy(assertion, evilNameId), assertion);
      return b64(serialize(doc));
    },
    namedWrappingVariants,
    wrappingVariants: (params, evilNameId) => namedWrappingVariants(params, evilNameId).map((v) => v.samlResponse),
    attributeChangedAfterSigning(params, name, value) {
      const doc = signedDom(params);
      const { assertion } = parts(doc);
      const existing = descendants(assertion, 'Attribute').find((a) => a.getAttribute('Name') === name);
      const attribute = existing ?? appendAttributeElement(doc, assertion, name);
      for (const old of children(attribute, 'AttributeValue')) attribute.removeChild(old);
      attribute.appendChild(attributeValueElement(doc, value));
      return b64(serialize(doc));
    },
    nameIdWithComment(params, splitAt) {
      const doc = signedDom(params);
      const nameIdElement = descendants(parts(doc).assertion, 'NameID')[0]!;
      const text = nameIdElement.textContent ?? '';
      const at = splitAt ?? defaultSplit(text);
      if (at <= 0 || at >= text.length) throw new Error(`cannot split "${text}" at ${at}`);
      while (nameIdElement.firstChild) nameIdElement.removeChild(nameIdElement.firstChild);
      nameIdElement.appendChild(doc.createTextNode(text.slice(0, at)));
      nameIdElement.appendChild(doc.createComment(''));
      nameIdElement.appendChild(doc.createTextNode(text.slice(at)));
      return b64(serialize(doc));
    },
    withDoctype(params, doctypeOptions) {
      let xml = buildLoginResponse(entityId, own, params);
      if (doctypeOptions?.referenceEntity) {
        xml = xml.replace(/(<saml:NameID[^>]*>)/, '$1&xxe;');
      }
      const doctype = '<!DOCTYPE samlp:Response [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>';
      return b64(xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}${doctype}`));
    },
    logoutRequest(params) {
      const issuer = params.issuer ?? entityId;
      const notOnOrAfter = params.notOnOrAfter ?? new Date(Date.now() + 5 * 60_000);
      const xml =
        `<samlp:LogoutRequest xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${newId()}" Version="2.0" IssueInstant="${iso(new Date())}"` +
        ` Destination="${x(params.sloUrl)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
        `<saml:Issuer>${x(issuer)}</saml:Issuer>` +
        `<saml:NameID SPNameQualifier="${x(params.spEntityId)}" Format="${x(params.nameIdFormat ?? NAMEID_FORMAT.emailAddress)}">${x(params.nameId)}</saml:NameID>` +
        (params.sessionIndex !== undefined ? `<samlp:SessionIndex>${x(params.sessionIndex)}</samlp:SessionIndex>` : '') +
        `</samlp:LogoutRequest>`;
      return b64(withDeclaration(params.sign === false ? xml : signEnveloped(xml, params.signWith ?? own)));
    },
    logoutResponse(params) {
      const issuer = params.issuer ?? entityId;
      const xml =
        `<samlp:LogoutResponse xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${newId()}" Version="2.0" IssueInstant="${iso(new Date())}"` +
        ` Destination="${x(params.sloUrl)}" InResponseTo="${x(params.inResponseTo)}">` +
        `<saml:Issuer>${x(issuer)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="${x(params.statusCode ?? STATUS_SUCCESS)}"/></samlp:Status>` +
        `</samlp:LogoutResponse>`;
      return b64(withDeclaration(params.sign === false ? xml : signEnveloped(xml, params.signWith ?? own)));
    },
    parseAuthnRequest,
  };
}

/**
 * Reads the AuthnRequest from an SP's redirect to the IdP (HTTP-Redirect binding: deflated, base64, in `SAMLRequest`).
 * With `spCertificate`, a query-string signature is also verified over the parameters exactly as they were encoded.
 */
export function parseAuthnRequest(redirectUrl: string, spCertificate?: string): ParsedAuthnRequest {
  const url = new URL(redirectUrl);
  const samlRequest = url.searchParams.get('SAMLRequest');
  if (!samlRequest) throw new Error('no SAMLRequest in the redirect URL');
  const xml = inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8');
  const root = parseXml(xml).documentElement;
  if (!root || root.localName !== 'AuthnRequest' || root.namespaceURI !== NS.samlp) throw new Error('SAMLRequest is not an AuthnRequest');
  const issuer = children(root, 'Issuer')[0]?.textContent;
  if (!issuer) throw new Error('AuthnRequest has no Issuer');

  const querySigned = url.searchParams.has('Signature') && url.searchParams.has('SigAlg');
  const parsed: ParsedAuthnRequest = {
    id: root.getAttribute('ID') ?? '',
    issuer,
    signed: querySigned || children(root, 'Signature', NS.ds).length > 0,
  };
  const acsUrl = root.getAttribute('AssertionConsumerServiceURL');
  if (acsUrl) parsed.acsUrl = acsUrl;
  const destination = root.getAttribute('Destination');
  if (destination) parsed.destination = destination;
  const relayState = url.searchParams.get('RelayState');
  if (relayState !== null) parsed.relayState = relayState;

  if (spCertificate && querySigned) {
    // The signature covers the raw (still URL-encoded) parameters, in this order.
    const raw = new Map(
      url.search
        .slice(1)
        .split('&')
        .map((pair) => [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)] as const),
    );
    const signedPart = ['SAMLRequest', 'RelayState', 'SigAlg']
      .filter((k) => raw.has(k))
      .map((k) => `${k}=${raw.get(k)}`)
      .join('&');
    const sigAlg = url.searchParams.get('SigAlg')!;
    const hash = { 'rsa-sha1': 'RSA-SHA1', 'rsa-sha256': 'RSA-SHA256', 'rsa-sha512': 'RSA-SHA512' }[sigAlg.replace(/.*#/, '')];
    parsed.signatureValid = hash !== undefined && createVerify(hash).update(signedPart).verify(spCertificate, url.searchParams.get('Signature')!, 'base64');
  }
  return parsed;
}

// ---------------------------------------------------------------------------------------------------------------
// Building and signing

function buildLoginResponse(idpEntityId: string, own: SigningKey, p: ResponseParams): string {
  const key = p.signWith ?? own;
  const issuer = p.issuer ?? idpEntityId;
  const issueInstant = p.issueInstant ?? new Date();
  const notBefore = p.notBefore ?? new Date(issueInstant.getTime() - 1000);
  const notOnOrAfter = p.notOnOrAfter ?? new Date(issueInstant.getTime() + 5 * 60_000);
  const inResponseTo = p.inResponseTo !== undefined ? ` InResponseTo="${x(p.inResponseTo)}"` : '';

  const attributes = Object.entries(p.attributes ?? {});
  const attributeStatement = attributes.length
    ? `<saml:AttributeStatement>${attributes
        .map(([name, value]) => {
          const friendly = p.attributeFriendlyNames?.[name];
          const nameFormat = /^(urn:|https?:)/.test(name)
            ? 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri'
            : 'urn:oasis:names:tc:SAML:2.0:attrname-format:basic';
          return (
            `<saml:Attribute Name="${x(name)}" NameFormat="${nameFormat}"${friendly ? ` FriendlyName="${x(friendly)}"` : ''}>` +
            (Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue xsi:type="xs:string">${x(v)}</saml:AttributeValue>`).join('') +
            `</saml:Attribute>`
          );
        })
        .join('')}</saml:AttributeStatement>`
    : '';

  // The assertion declares its own namespaces so it can be signed and encrypted on its own.
  let assertion =
    `<saml:Assertion xmlns:saml="${NS.saml}" xmlns:xs="${NS.xs}" xmlns:xsi="${NS.xsi}" ID="${x(p.assertionId ?? newId())}" Version="2.0" IssueInstant="${iso(issueInstant)}">` +
    `<saml:Issuer>${x(issuer)}</saml:Issuer>` +
    `<saml:Subject>` +
    `<saml:NameID Format="${x(p.nameIdFormat ?? NAMEID_FORMAT.emailAddress)}">${x(p.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${x(p.recipient ?? p.acsUrl)}"${inResponseTo}/>` +
    `</saml:SubjectConfirmation>` +
    `</saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}">` +
    `<saml:AudienceRestriction><saml:Audience>${x(p.spEntityId)}</saml:Audience></saml:AudienceRestriction>` +
    `</saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(issueInstant)}" SessionIndex="${x(p.sessionIndex ?? newId())}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext>` +
    `</saml:AuthnStatement>` +
    attributeStatement +
    `</saml:Assertion>`;
  if (p.signAssertion !== false) assertion = signEnveloped(assertion, key);
  if (p.encryptFor) assertion = encryptAssertion(assertion, p.encryptFor, p.encryptionAlgorithm ?? 'aes-256-gcm');

  let response =
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${x(p.responseId ?? newId())}" Version="2.0" IssueInstant="${iso(issueInstant)}"` +
    ` Destination="${x(p.destination ?? p.acsUrl)}"${inResponseTo}>` +
    `<saml:Issuer>${x(issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  if (p.signResponse !== false) response = signEnveloped(response, key);
  return withDeclaration(response);
}

/** Enveloped RSA-SHA256 signature of the root element, placed right after its Issuer as the SAML schema requires. */
function signEnveloped(xml: string, key: SigningKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.certificate,
    signatureAlgorithm: ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  sig.addReference({ xpath: '/*', transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: ALG.sha256 });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return sig.getSignedXml();
}

/** XML Encryption of the whole assertion: a random AES key for the content, sent under the SP's RSA key with OAEP. */
function encryptAssertion(assertionXml: string, spCertificate: string, algorithm: 'aes-256-gcm' | 'aes-256-cbc'): string {
  const key = randomBytes(32);
  let content: Buffer;
  if (algorithm === 'aes-256-gcm') {
    const iv = randomBytes(12);
    const cipher = createCipheriv(algorithm, key, iv);
    const encrypted = Buffer.concat([cipher.update(assertionXml, 'utf8'), cipher.final()]);
    content = Buffer.concat([iv, encrypted, cipher.getAuthTag()]);
  } else {
    const iv = randomBytes(16);
    const cipher = createCipheriv(algorithm, key, iv);
    content = Buffer.concat([iv, cipher.update(assertionXml, 'utf8'), cipher.final()]);
  }
  // rsa-oaep-mgf1p fixes MGF1 to SHA-1; SHA-1 as the OAEP digest is what IdPs send by default.
  const encryptedKey = publicEncrypt({ key: spCertificate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, key);
  return (
    `<saml:EncryptedAssertion xmlns:saml="${NS.saml}">` +
    `<xenc:EncryptedData xmlns:xenc="${NS.xenc}" Type="${NS.xenc}Element">` +
    `<xenc:EncryptionMethod Algorithm="${ALG[algorithm]}"/>` +
    `<ds:KeyInfo xmlns:ds="${NS.ds}"><xenc:EncryptedKey>` +
    `<xenc:EncryptionMethod Algorithm="${ALG.rsaOaep}"><ds:DigestMethod Algorithm="${ALG.sha1}"/></xenc:EncryptionMethod>` +
    `<xenc:CipherData><xenc:CipherValue>${encryptedKey.toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
    `</xenc:EncryptedKey></ds:KeyInfo>` +
    `<xenc:CipherData><xenc:CipherValue>${content.toString('base64')}</xenc:CipherValue></xenc:CipherData>` +
    `</xenc:EncryptedData></saml:EncryptedAssertion>`
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Signature wrapping (names after Somorovsky et al., "On Breaking SAML", 2012)

type WrappingBuilder = readonly [string, (doc: XmlDocument, evilNameId: string) => void];

/** Attacks on the assertion's signature: the evil assertion is where an SP looks, the signed one elsewhere. */
const ASSERTION_WRAPPING: readonly WrappingBuilder[] = [
  [
    'XSW3: unsigned evil assertion before the signed one',
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      response.insertBefore(evilCopy(assertion, evil), assertion);
    },
  ],
  [
    'XSW3, after: unsigned evil assertion after the signed one',
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      response.insertBefore(evilCopy(assertion, evil), assertion.nextSibling);
    },
  ],
  [
    'XSW4: signed assertion nested inside the evil one',
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      const evilAssertion = evilCopy(assertion, evil);
      response.replaceChild(evilAssertion, assertion);
      evilAssertion.appendChild(assertion);
    },
  ],
  [
    'XSW7: signed assertion moved into samlp:Extensions, evil one in its place',
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      const evilAssertion = evilCopy(assertion, evil);
      response.replaceChild(evilAssertion, assertion);
      extensionsOf(doc, response).appendChild(assertion);
    },
  ],
  [
    "XSW7 with the same ID: evil assertion reuses the signed one's ID",
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      const evilAssertion = evilCopy(assertion, evil);
      evilAssertion.setAttribute('ID', assertion.getAttribute('ID')!);
      response.replaceChild(evilAssertion, assertion);
      extensionsOf(doc, response).appendChild(assertion);
    },
  ],
  [
    'XSW8: evil assertion carries the signature, signed assertion moved into its ds:Object',
    (doc, evil) => {
      const { response, assertion } = parts(doc);
      const signature = children(assertion, 'Signature', NS.ds)[0]!;
      const evilAssertion = evilCopy(assertion, evil);
      response.replaceChild(evilAssertion, assertion);
      assertion.removeChild(signature);
      evilAssertion.insertBefore(signature, children(evilAssertion, 'Issuer')[0]!.nextSibling);
      const object = doc.createElementNS(NS.ds, 'ds:Object');
      object.appendChild(assertion);
      signature.appendChild(object);
    },
  ],
];

/** Attacks on the response's signature: an evil response carries it, the signed one is moved inside. */
const RESPONSE_WRAPPING: readonly WrappingBuilder[] = [
  [
    'XSW1: evil response carries the signature, signed response moved into its ds:Object',
    (doc, evil) => {
      const { response } = parts(doc);
      const evilResponse = evilResponseCopy(response, evil);
      const signature = children(response, 'Signature', NS.ds)[0]!;
      response.removeChild(signature);
      evilResponse.insertBefore(signature, children(evilResponse, 'Issuer')[0]!.nextSibling);
      const object = doc.createElementNS(NS.ds, 'ds:Object');
      signature.appendChild(object);
      doc.replaceChild(evilResponse, response);
      object.appendChild(response);
    },
  ],
  [
    'XSW2: evil response carries the signature, signed response placed before it',
    (doc, evil) => {
      const { response } = parts(doc);
      const evilResponse = evilResponseCopy(response, evil);
      const signature = children(response, 'Signature', NS.ds)[0]!;
      response.removeChild(signature);
      const issuer = children(evilResponse, 'Issuer')[0]!;
      evilResponse.insertBefore(signature, issuer.nextSibling);
      doc.replaceChild(evilResponse, response);
      evilResponse.insertBefore(response, signature);
    },
  ],
];

/** A copy of the assertion with a new ID, no signature and the attacker's NameID. */
function evilCopy(assertion: XmlElement, evilNameId: string): XmlElement {
  const copy = assertion.cloneNode(true) as XmlElement;
  copy.setAttribute('ID', newId());
  for (const signature of children(copy, 'Signature', NS.ds)) copy.removeChild(signature);
  const nameId = descendants(copy, 'NameID')[0]!;
  nameId.textContent = evilNameId;
  return copy;
}

/** A copy of the response with a new ID, no signature, and the evil copy of its assertion. */
function evilResponseCopy(response: XmlElement, evilNameId: string): XmlElement {
  const copy = response.cloneNode(true) as XmlElement;
  copy.setAttribute('ID', newId());
  for (const signature of children(copy, 'Signature', NS.ds)) copy.removeChild(signature);
  const assertion = children(copy, 'Assertion')[0]!;
  copy.replaceChild(evilCopy(assertion, evilNameId), assertion);
  return copy;
}

/** The response's samlp:Extensions, created where the schema puts it (before Status). */
function extensionsOf(doc: XmlDocument, response: XmlElement): XmlElement {
  const existing = children(response, 'Extensions')[0];
  if (existing) return existing;
  const extensions = doc.createElementNS(NS.samlp, 'samlp:Extensions');
  response.insertBefore(extensions, children(response, 'Status')[0]!);
  return extensions;
}

// ---------------------------------------------------------------------------------------------------------------
// Small XML helpers

function parts(doc: XmlDocument): { response: XmlElement; assertion: XmlElement } {
  const response = doc.documentElement!;
  const assertion = children(response, 'Assertion')[0];
  if (!assertion) throw new Error('response has no plain Assertion');
  return { response, assertion };
}

function children(parent: XmlElement, localName: string, namespace?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as XmlElement).localName === localName && (!namespace || (n as XmlElement).namespaceURI === namespace))
      out.push(n as XmlElement);
  }
  return out;
}

function descendants(parent: XmlElement, localName: string): XmlElement[] {
  return Array.from(parent.getElementsByTagNameNS('*', localName));
}

function appendAttributeElement(doc: XmlDocument, assertion: XmlElement, name: string): XmlElement {
  let statement = children(assertion, 'AttributeStatement')[0];
  if (!statement) {
    statement = doc.createElementNS(NS.saml, 'saml:AttributeStatement');
    assertion.appendChild(statement);
  }
  const attribute = doc.createElementNS(NS.saml, 'saml:Attribute');
  attribute.setAttribute('Name', name);
  statement.appendChild(attribute);
  return attribute;
}

function attributeValueElement(doc: XmlDocument, value: string): XmlElement {
  const element = doc.createElementNS(NS.saml, 'saml:AttributeValue');
  element.setAttributeNS(NS.xsi, 'xsi:type', 'xs:string');
  element.appendChild(doc.createTextNode(value));
  return element;
}

/** Before the last two labels of the domain ("admin@victim.gov.uk" | ".evil.com"), else the middle. */
function defaultSplit(text: string): number {
  const at = text.indexOf('@');
  const labels = text.slice(at + 1).split('.');
  if (at < 0 || labels.length < 3) return Math.floor(text.length / 2);
  return text.length - labels.slice(-2).join('.').length - 1;
}

function parseXml(xml: string): XmlDocument {
  return new DOMParser().parseFromString(xml, 'text/xml');
}

function serialize(doc: XmlDocument): string {
  return withDeclaration(new XMLSerializer().serializeToString(doc));
}

function withDeclaration(xml: string): string {
  return xml.startsWith('<?xml') ? xml : `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
}

/** Escapes text and attribute values. */
function x(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function iso(date: Date): string {
  return date.toISOString();
}

/** SAML IDs are xs:ID, so they must not start with a digit. */
function newId(): string {
  return `_${randomBytes(20).toString('hex')}`;
}

function b64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}
