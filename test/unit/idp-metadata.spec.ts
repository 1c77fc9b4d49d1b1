import * as samlify from 'samlify';
import selfsigned from 'selfsigned';
import { parseIdpMetadata, parseIdpMetadataEntities } from '../../libs/identity/src/federation/metadata/idp-metadata.js';
import { MetadataError, MetadataErrorCode } from '../../libs/identity/src/federation/metadata/metadata.errors.js';

/** One IdP's metadata as councils upload it, and the refusals that keep a bad or hostile document out. */

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';

type Generated = { cert: string; private: string };
let current: Generated;
let next: Generated;
let expired: Generated;

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

beforeAll(async () => {
  const generate = (cn: string, extra: { notBeforeDate?: Date; notAfterDate?: Date } = {}) =>
    selfsigned.generate([{ name: 'commonName', value: cn }], { keySize: 2048, algorithm: 'sha256', ...extra });
  [current, next, expired] = await Promise.all([
    generate('idp-current'),
    generate('idp-next'),
    generate('idp-expired', { notBeforeDate: new Date(Date.now() - 2 * 365 * 86_400_000), notAfterDate: new Date(Date.now() - 365 * 86_400_000) }),
  ]);
});

interface EntityOptions {
  entityId?: string;
  keys?: string;
  sso?: string;
  slo?: string;
  extra?: string;
  protocol?: string;
  idp?: boolean;
}

/** A hand-built EntityDescriptor, for the shapes samlify does not produce. */
function entity(o: EntityOptions = {}): string {
  const entityId = o.entityId ?? 'https://idp.example-council.gov.uk/idp';
  const keys = o.keys ?? signingKey(current.cert);
  const sso = o.sso ?? `<md:SingleSignOnService Binding="${REDIRECT}" Location="https://idp.example-council.gov.uk/sso"/>`;
  if (o.idp === false) {
    return `<md:EntityDescriptor entityID="${entityId}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}<md:AssertionConsumerService index="0" Binding="${POST}" Location="https://sp.example.org/acs"/></md:SPSSODescriptor></md:EntityDescriptor>`;
  }
  return `<md:EntityDescriptor entityID="${entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="${o.protocol ?? 'urn:oasis:names:tc:SAML:2.0:protocol'}">${keys}${o.slo ?? ''}${o.extra ?? ''}${sso}</md:IDPSSODescriptor></md:EntityDescriptor>`;
}
const signingKey = (pem: string, use: string | null = 'signing') =>
  `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
const NS = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
const doc = (inner: string) => inner.replace(/^<md:(\w+)/, `<md:$1 ${NS}`);
const entities = (...inner: string[]) => `<md:EntitiesDescriptor ${NS}>${inner.join('')}</md:EntitiesDescriptor>`;

function refusal(run: () => unknown): MetadataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MetadataError);
    return error as MetadataError;
  }
  throw new Error('expected a MetadataError, but the metadata was accepted');
}

describe('parseIdpMetadata', () => {
  it('reads samlify-generated IdP metadata: endpoints, both rollover certificates, encryption key, flags and NameID formats', () => {
    const xml = samlify
      .IdentityProvider({
        entityID: 'https://idp.example-council.gov.uk/idp',
        signingCert: [current.cert, next.cert],
        encryptCert: current.cert,
        wantAuthnRequestsSigned: true,
        nameIDFormat: [PERSISTENT, EMAIL],
        singleSignOnService: [
          { Binding: REDIRECT, Location: 'https://idp.example-council.gov.uk/sso/redirect' },
          { Binding: POST, Location: 'https://idp.example-council.gov.uk/sso/post' },
        ],
        singleLogoutService: [{ Binding: REDIRECT, Location: 'https://idp.example-council.gov.uk/slo' }],
      })
      .getMetadata();

    expect(parseIdpMetadata(xml)).toEqual({
      entityId: 'https://idp.example-council.gov.uk/idp',
      ssoRedirectUrl: 'https://idp.example-council.gov.uk/sso/redirect',
      ssoBinding: 'HTTP-Redirect',
      ssoPostUrl: 'https://idp.example-council.gov.uk/sso/post',
      sloUrl: 'https://idp.example-council.gov.uk/slo',
      sloBinding: 'HTTP-Redirect',
      signingCertificates: [body(current.cert), body(next.cert)],
      encryptionCertificates: [body(current.cert)],
      wantAuthnRequestsSigned: true,
      nameIdFormats: [PERSISTENT, EMAIL],
      warnings: [],
    });
  });

  it('falls back to the HTTP-POST endpoint, noting the binding, when the IdP offers no redirect', () => {
    const idp = parseIdpMetadata(
      doc(
        entity({
          sso: `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example-council.gov.uk/soap"/><md:SingleSignOnService Binding="${POST}" Location="https://idp.example-council.gov.uk/post"/>`,
          slo: `<md:SingleLogoutService Binding="${POST}" Location="https://idp.example-council.gov.uk/slo-post"/>`,
        }),
      ),
    );
    expect(idp).toMatchObject({
      ssoRedirectUrl: 'https://idp.example-council.gov.uk/post',
      ssoBinding: 'HTTP-POST',
      ssoPostUrl: 'https://idp.example-council.gov.uk/post',
      sloUrl: 'https://idp.example-council.gov.uk/slo-post',
      sloBinding: 'HTTP-POST',
      wantAuthnRequestsSigned: false,
      nameIdFormats: [],
    });
  });

  it('takes a KeyDescriptor without use as both signing and encryption, with the PEM line breaks removed', () => {
    const wrapped = body(current.cert).replace(/(.{64})/g, '$1\n      ');
    const keys = `<md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n      ${wrapped}\n    </ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
    const idp = parseIdpMetadata(doc(entity({ keys })));
    expect(idp.signingCertificates).toEqual([body(current.cert)]);
    expect(idp.encryptionCertificates).toEqual([body(current.cert)]);
  });

  it('keeps an expired signing certificate but reports it in warnings', () => {
    const idp = parseIdpMetadata(doc(entity({ keys: signingKey(expired.cert) + signingKey(current.cert) })));
    expect(idp.signingCertificates).toEqual([body(expired.cert), body(current.cert)]);
    expect(idp.warnings).toHaveLength(1);
    expect(idp.warnings[0]).toMatch(/signing certificate CN=idp-expired .* expired on/);
  });

  it('accepts an EntitiesDescriptor holding one IdP beside service providers', () => {
    const idp = parseIdpMetadata(entities(entity({ idp: false, entityId: 'https://sp.example.org' }), entity()));
    expect(idp.entityId).toBe('https://idp.example-council.gov.uk/idp');
  });

  it('accepts http endpoints only when allowHttp is set', () => {
    const xml = doc(entity({ sso: `<md:SingleSignOnService Binding="${REDIRECT}" Location="http://localhost:8080/sso"/>` }));
    const error = refusal(() => parseIdpMetadata(xml));
    expect(error.code).toBe(MetadataErrorCode.METADATA_URL_NOT_HTTPS);
    expect(error.message).toContain('http://localhost:8080/sso');
    expect(parseIdpMetadata(xml, { allowHttp: true }).ssoRedirectUrl).toBe('http://localhost:8080/sso');
  });

  it('refuses non-http(s) and unreadable endpoint URLs even with allowHttp', () => {
    const js = doc(entity({ sso: `<md:SingleSignOnService Binding="${REDIRECT}" Location="javascript:alert(1)"/>` }));
    expect(refusal(() => parseIdpMetadata(js, { allowHttp: true })).code).toBe(MetadataErrorCode.METADATA_URL_NOT_HTTPS);
    const junk = doc(entity({ sso: `<md:SingleSignOnService Binding="${REDIRECT}" Location="not a url"/>` }));
    expect(refusal(() => parseIdpMetadata(junk)).code).toBe(MetadataErrorCode.METADATA_URL_INVALID);
  });

  it('refuses an http single-logout endpoint too', () => {
    const xml = doc(entity({ slo: `<md:SingleLogoutService Binding="${REDIRECT}" Location="http://idp.example-council.gov.uk/slo"/>` }));
    expect(refusal(() => parseIdpMetadata(xml)).code).toBe(MetadataErrorCode.METADATA_URL_NOT_HTTPS);
  });

  it.each([
    ['empty', ''],
    ['plain text', 'this is not metadata'],
    ['broken XML', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><oops></md:EntityDescriptor>'],
    ['an unbound prefix', '<md:EntityDescriptor entityID="x"/>'],
  ])('refuses what is not XML (%s)', (_name, xml) => {
    expect(refusal(() => parseIdpMetadata(xml)).code).toBe(MetadataErrorCode.METADATA_NOT_XML);
  });

  it.each([
    ['an external entity (XXE)', '<?xml version="1.0"?><!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'],
    ['billion laughs', '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'],
    ['a bare DOCTYPE', '<!doctype md>'],
  ])('refuses %s before parsing', (_name, prologue) => {
    const error = refusal(() => parseIdpMetadata(prologue + doc(entity())));
    expect(error.code).toBe(MetadataErrorCode.METADATA_DTD_FORBIDDEN);
    expect(error.message).toMatch(/DOCTYPE or ENTITY/);
  });

  it('refuses an ENTITY declaration anywhere, even without a DOCTYPE before it', () => {
    const xml = doc(entity({ extra: '<!-- <!ENTITY sneaky "x"> -->' }));
    expect(refusal(() => parseIdpMetadata(xml)).code).toBe(MetadataErrorCode.METADATA_DTD_FORBIDDEN);
  });

  it('refuses a document that is not SAML metadata', () => {
    expect(refusal(() => parseIdpMetadata('<html><body/></html>')).code).toBe(MetadataErrorCode.METADATA_NOT_SAML_METADATA);
  });

  it("refuses a service provider's metadata, naming the missing IDPSSODescriptor", () => {
    const error = refusal(() => parseIdpMetadata(doc(entity({ idp: false }))));
    expect(error.code).toBe(MetadataErrorCode.METADATA_NO_IDP_DESCRIPTOR);
    expect(error.message).toContain('IDPSSODescriptor');
    expect(error.entityId).toBe('https://idp.example-council.gov.uk/idp');
  });

  it('refuses an IdP that speaks only SAML 1.1', () => {
    const error = refusal(() => parseIdpMetadata(doc(entity({ protocol: 'urn:oasis:names:tc:SAML:1.1:protocol' }))));
    expect(error.code).toBe(MetadataErrorCode.METADATA_NO_IDP_DESCRIPTOR);
    expect(error.message).toContain('SAML 2.0');
  });

  it('refuses an entity without an entityID', () => {
    const xml = doc(entity()).replace(/ entityID="[^"]*"/, '');
    expect(refusal(() => parseIdpMetadata(xml)).code).toBe(MetadataErrorCode.METADATA_ENTITY_ID_MISSING);
  });

  it('refuses an IdP with no usable SingleSignOnService', () => {
    const error = refusal(() =>
      parseIdpMetadata(
        doc(
          entity({ sso: `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:SOAP" Location="https://idp.example-council.gov.uk/soap"/>` }),
        ),
      ),
    );
    expect(error.code).toBe(MetadataErrorCode.METADATA_NO_SSO_URL);
    expect(error.message).toContain('SingleSignOnService');
  });

  it('refuses an IdP with an encryption key only, naming the missing signing certificate', () => {
    const error = refusal(() => parseIdpMetadata(doc(entity({ keys: signingKey(current.cert, 'encryption') }))));
    expect(error.code).toBe(MetadataErrorCode.METADATA_NO_SIGNING_CERTIFICATE);
    expect(error.message).toMatch(/signing certificate/);
  });

  it.each([
    ['not base64', '##not-base64##'],
    ['base64 that is not a certificate', Buffer.from('hello, I am not DER').toString('base64')],
  ])('refuses a certificate that is %s', (_name, certificate) => {
    const keys = `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
    expect(refusal(() => parseIdpMetadata(doc(entity({ keys })))).code).toBe(MetadataErrorCode.METADATA_CERTIFICATE_INVALID);
  });

  it('refuses an EntitiesDescriptor with several IdPs, which needs parseIdpMetadataEntities', () => {
    const xml = entities(entity({ entityId: 'https://a.example.org' }), entity({ entityId: 'https://b.example.org' }));
    expect(refusal(() => parseIdpMetadata(xml)).code).toBe(MetadataErrorCode.METADATA_MULTIPLE_IDPS);
  });
});

describe('parseIdpMetadataEntities', () => {
  it('returns one entry per IdP, nested EntitiesDescriptors included, and skips service-provider-only entities', () => {
    const xml = entities(
      entity({ entityId: 'https://a.example.org' }),
      entity({ entityId: 'https://sp.example.org', idp: false }),
      `<md:EntitiesDescriptor Name="nested">${entity({ entityId: 'https://b.example.org', keys: signingKey(current.cert) + signingKey(next.cert) })}</md:EntitiesDescriptor>`,
    );
    const idps = parseIdpMetadataEntities(xml);
    expect(idps.map((i) => i.entityId)).toEqual(['https://a.example.org', 'https://b.example.org']);
    expect(idps[1]!.signingCertificates).toEqual([body(current.cert), body(next.cert)]);
  });

  it('takes a lone EntityDescriptor as a list of one', () => {
    expect(parseIdpMetadataEntities(doc(entity())).map((i) => i.entityId)).toEqual(['https://idp.example-council.gov.uk/idp']);
  });

  it('refuses the whole document when one IdP in it is invalid, naming the entity', () => {
    const xml = entities(entity({ entityId: 'https://a.example.org' }), entity({ entityId: 'https://bad.example.org', keys: '' }));
    const error = refusal(() => parseIdpMetadataEntities(xml));
    expect(error.code).toBe(MetadataErrorCode.METADATA_NO_SIGNING_CERTIFICATE);
    expect(error.entityId).toBe('https://bad.example.org');
    expect(error.message).toContain('https://bad.example.org');
  });

  it('refuses two descriptions of one entityID', () => {
    const xml = entities(entity({ entityId: 'https://a.example.org' }), entity({ entityId: 'https://a.example.org' }));
    expect(refusal(() => parseIdpMetadataEntities(xml)).code).toBe(MetadataErrorCode.METADATA_DUPLICATE_ENTITY_ID);
  });

  it('refuses a document with service providers only', () => {
    const xml = entities(entity({ entityId: 'https://sp.example.org', idp: false }));
    expect(refusal(() => parseIdpMetadataEntities(xml)).code).toBe(MetadataErrorCode.METADATA_NO_IDP_DESCRIPTOR);
  });

  it('refuses a DOCTYPE in an EntitiesDescriptor too', () => {
    const xml = `<!DOCTYPE x [<!ENTITY e SYSTEM "http://attacker.example/">]>${entities(entity())}`;
    expect(refusal(() => parseIdpMetadataEntities(xml)).code).toBe(MetadataErrorCode.METADATA_DTD_FORBIDDEN);
  });
});
