import selfsigned from 'selfsigned';
import { SignedXml } from 'xml-crypto';
import { verifyMetadataAggregate } from '../../libs/identity/src/federation/metadata/metadata-aggregate.js';
import { MetadataError, MetadataErrorCode } from '../../libs/identity/src/federation/metadata/metadata.errors.js';

/**
 * A federation's signed metadata aggregate: trusted only when the configured federation certificate signed exactly
 * the document element, and read only from what that signature covered.
 */

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const NS = 'xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
const NOW = new Date();
const IN_A_WEEK = new Date(NOW.getTime() + 7 * 86_400_000).toISOString();
const YESTERDAY = new Date(NOW.getTime() - 86_400_000).toISOString();

type Generated = { cert: string; private: string };
let federation: Generated;
let attacker: Generated;
let idpCurrent: Generated;
let idpNext: Generated;

const body = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

beforeAll(async () => {
  const generate = (cn: string) => selfsigned.generate([{ name: 'commonName', value: cn }], { keySize: 2048, algorithm: 'sha256' });
  [federation, attacker, idpCurrent, idpNext] = await Promise.all([
    generate('federation'),
    generate('attacker'),
    generate('idp-current'),
    generate('idp-next'),
  ]);
});

const key = (pem: string, use = 'signing') =>
  `<md:KeyDescriptor use="${use}"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${body(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;

function idp(entityId: string, keys = key(idpCurrent.cert), ssoLocation = `${entityId}/sso`, attrs = ''): string {
  return `<md:EntityDescriptor entityID="${entityId}"${attrs}><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}<md:SingleSignOnService Binding="${REDIRECT}" Location="${ssoLocation}"/></md:IDPSSODescriptor></md:EntityDescriptor>`;
}
const sp = (entityId: string) =>
  `<md:EntityDescriptor entityID="${entityId}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService index="0" Binding="${POST}" Location="${entityId}/acs"/></md:SPSSODescriptor></md:EntityDescriptor>`;

function aggregate(inner: string[], { id = '_fed2026', validUntil = IN_A_WEEK }: { id?: string; validUntil?: string | null } = {}): string {
  return `<md:EntitiesDescriptor ${NS} ID="${id}" Name="https://federation.example.org"${validUntil ? ` validUntil="${validUntil}"` : ''}>${inner.join('')}</md:EntitiesDescriptor>`;
}

const COUNCILS = () => [
  idp('https://idp.leeds.example.gov.uk', key(idpCurrent.cert) + key(idpNext.cert) + key(idpCurrent.cert, 'encryption')),
  sp('https://sp.somewhere.example.org'),
  idp('https://idp.tallinn.example.ee'),
];

/** Signs the document element as federations do: enveloped, exc-c14n, SHA-256, RSA-SHA256, the signature first. */
function sign(xml: string, signer: Generated = federation, algorithms: { signature?: string; digest?: string } = {}): string {
  const signed = new SignedXml({
    privateKey: signer.private,
    publicCert: signer.cert, // puts the signer's certificate in KeyInfo, which the verifier must ignore
    canonicalizationAlgorithm: EXC_C14N,
    signatureAlgorithm: algorithms.signature ?? 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signed.addReference({
    xpath: "/*[local-name()='EntitiesDescriptor']",
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: algorithms.digest ?? 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signed.computeSignature(xml, { prefix: 'ds', location: { reference: "/*[local-name()='EntitiesDescriptor']", action: 'prepend' } });
  return signed.getSignedXml();
}

function refusal(run: () => unknown): MetadataError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MetadataError);
    return error as MetadataError;
  }
  throw new Error('expected a MetadataError, but the aggregate was accepted');
}

/** The element text between the aggregate's opening tag and its signature, and the signature itself. */
const signatureOf = (xml: string) => xml.match(/<ds:Signature[\s\S]*<\/ds:Signature>/)![0];

describe('verifyMetadataAggregate', () => {
  it('returns the IdPs of a correctly signed aggregate, skipping service providers, with both rollover certificates', () => {
    const signed = sign(aggregate(COUNCILS()));
    expect(signed).toContain('URI="#_fed2026"');

    const result = verifyMetadataAggregate(signed, federation.cert, NOW);

    expect(result.entities.map((e) => e.entityId)).toEqual(['https://idp.leeds.example.gov.uk', 'https://idp.tallinn.example.ee']);
    expect(result.entities[0]).toMatchObject({
      ssoRedirectUrl: 'https://idp.leeds.example.gov.uk/sso',
      ssoBinding: 'HTTP-Redirect',
      signingCertificates: [body(idpCurrent.cert), body(idpNext.cert)],
      encryptionCertificates: [body(idpCurrent.cert)],
    });
    expect(result.validUntil).toEqual(new Date(IN_A_WEEK));
    expect(result.rejected).toEqual([]);
  });

  it("accepts the aggregate when the configured list holds the federation's old and new certificates", () => {
    const signed = sign(aggregate(COUNCILS()));
    expect(verifyMetadataAggregate(signed, [attacker.cert, federation.cert], NOW).entities).toHaveLength(2);
    // A bare base64 body, as copied out of metadata, works too.
    expect(verifyMetadataAggregate(signed, body(federation.cert), NOW).entities).toHaveLength(2);
  });

  it('has no validUntil when the aggregate sets none', () => {
    const result = verifyMetadataAggregate(sign(aggregate(COUNCILS(), { validUntil: null })), federation.cert, NOW);
    expect(result.validUntil).toBeUndefined();
    expect(result.entities).toHaveLength(2);
  });

  it('refuses an unsigned aggregate', () => {
    const error = refusal(() => verifyMetadataAggregate(aggregate(COUNCILS()), federation.cert, NOW));
    expect(error.code).toBe(MetadataErrorCode.METADATA_UNSIGNED);
  });

  it("refuses an aggregate signed by another key, even though its KeyInfo carries that key's certificate", () => {
    const signed = sign(aggregate(COUNCILS()), attacker);
    expect(signed).toContain(body(attacker.cert)); // the KeyInfo a naive verifier would trust
    const error = refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW));
    expect(error.code).toBe(MetadataErrorCode.METADATA_SIGNATURE_INVALID);
  });

  it('refuses an aggregate whose KeyInfo was swapped for the trusted certificate after signing with another key', () => {
    const signed = sign(aggregate(COUNCILS()), attacker).replace(body(attacker.cert), body(federation.cert));
    expect(refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_SIGNATURE_INVALID);
  });

  it('refuses an aggregate whose entityID was changed after signing', () => {
    const signed = sign(aggregate(COUNCILS())).replace('entityID="https://idp.tallinn.example.ee"', 'entityID="https://idp.evil.example"');
    expect(refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_MODIFIED);
  });

  it('refuses an aggregate whose IdP certificate was swapped after signing', () => {
    const signed = sign(aggregate(COUNCILS()));
    const tampered = signed.replace(body(idpNext.cert), body(attacker.cert));
    expect(tampered).not.toBe(signed);
    expect(refusal(() => verifyMetadataAggregate(tampered, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_MODIFIED);
  });

  it('refuses an aggregate with an unsigned EntityDescriptor injected inside the signed element', () => {
    const signed = sign(aggregate(COUNCILS()));
    const tampered = signed.replace('</md:EntitiesDescriptor>', `${idp('https://idp.evil.example', key(attacker.cert))}</md:EntitiesDescriptor>`);
    expect(refusal(() => verifyMetadataAggregate(tampered, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_MODIFIED);
  });

  describe('signature wrapping', () => {
    const evil = () => idp('https://idp.evil.example', key(attacker.cert));

    it('refuses a new unsigned EntitiesDescriptor wrapped around the signed one and an injected entity', () => {
      const signed = sign(aggregate(COUNCILS())).replace(/^<\?xml[^>]*\?>/, '');
      const wrapped = `<md:EntitiesDescriptor ${NS} ID="_outer">${evil()}${signed}</md:EntitiesDescriptor>`;
      const error = refusal(() => verifyMetadataAggregate(wrapped, federation.cert, NOW));
      expect(error.code).toBe(MetadataErrorCode.METADATA_SIGNATURE_WRAPPED);
    });

    it('refuses the signature moved onto a new document element whose ID it does not reference', () => {
      const signed = sign(aggregate(COUNCILS()));
      const signature = signatureOf(signed);
      const original = signed.replace(signature, '').replace(` ${NS}`, '');
      const wrapped = `<md:EntitiesDescriptor ${NS} ID="_outer" validUntil="${IN_A_WEEK}">${signature}${evil()}${original}</md:EntitiesDescriptor>`;
      const error = refusal(() => verifyMetadataAggregate(wrapped, federation.cert, NOW));
      expect(error.code).toBe(MetadataErrorCode.METADATA_SIGNATURE_WRAPPED);
      expect(error.message).toContain('#_fed2026');
    });

    it("refuses a new document element that copies the signed element's ID", () => {
      const signed = sign(aggregate(COUNCILS()));
      const signature = signatureOf(signed);
      const original = signed.replace(signature, '').replace(` ${NS}`, '');
      const wrapped = `<md:EntitiesDescriptor ${NS} ID="_fed2026" validUntil="${IN_A_WEEK}">${signature}${evil()}${original}</md:EntitiesDescriptor>`;
      const error = refusal(() => verifyMetadataAggregate(wrapped, federation.cert, NOW));
      expect(error.code).toBe(MetadataErrorCode.METADATA_SIGNATURE_WRAPPED);
      expect(error.message).toMatch(/2 elements carry the ID/);
    });

    it('refuses a signed lone EntityDescriptor wrapped in an unsigned EntitiesDescriptor', () => {
      const entity = idp('https://idp.leeds.example.gov.uk', key(idpCurrent.cert), 'https://idp.leeds.example.gov.uk/sso', ' ID="_leeds"').replace(
        '<md:EntityDescriptor',
        `<md:EntityDescriptor ${NS}`,
      );
      const signer = new SignedXml({
        privateKey: federation.private,
        canonicalizationAlgorithm: EXC_C14N,
        signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      });
      signer.addReference({ xpath: '/*', transforms: [ENVELOPED, EXC_C14N], digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256' });
      signer.computeSignature(entity, { prefix: 'ds', location: { reference: '/*', action: 'prepend' } });
      // The signed entity alone verifies...
      expect(verifyMetadataAggregate(signer.getSignedXml(), federation.cert, NOW).entities.map((e) => e.entityId)).toEqual([
        'https://idp.leeds.example.gov.uk',
      ]);
      // ...but wrapped beside an unsigned one it does not vouch for the aggregate.
      const wrapped = `<md:EntitiesDescriptor ${NS} ID="_outer">${signer.getSignedXml().replace(` ${NS}`, '')}${evil()}</md:EntitiesDescriptor>`;
      expect(refusal(() => verifyMetadataAggregate(wrapped, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_SIGNATURE_WRAPPED);
    });

    it('never reads an entity hidden inside the signature, which the enveloped transform leaves unsigned', () => {
      const signed = sign(aggregate(COUNCILS()));
      const tampered = signed.replace('</ds:Signature>', `<ds:Object>${evil()}</ds:Object></ds:Signature>`);
      expect(tampered).toContain('https://idp.evil.example');
      const result = verifyMetadataAggregate(tampered, federation.cert, NOW);
      expect(result.entities.map((e) => e.entityId)).toEqual(['https://idp.leeds.example.gov.uk', 'https://idp.tallinn.example.ee']);
    });
  });

  it('refuses an aggregate whose validUntil has passed', () => {
    const signed = sign(aggregate(COUNCILS(), { validUntil: YESTERDAY }));
    const error = refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW));
    expect(error.code).toBe(MetadataErrorCode.METADATA_EXPIRED);
    // The same document was fine before it expired.
    expect(verifyMetadataAggregate(signed, federation.cert, new Date(NOW.getTime() - 2 * 86_400_000)).entities).toHaveLength(2);
  });

  it.each([
    ['a DOCTYPE with an external entity', (xml: string) => xml.replace(/^(<\?xml[^>]*\?>)?/, '<!DOCTYPE md [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')],
    ['an ENTITY declaration in a comment', (xml: string) => xml.replace('</md:EntitiesDescriptor>', '<!-- <!ENTITY x "y"> --></md:EntitiesDescriptor>')],
  ])('refuses %s before verifying anything', (_name, inject) => {
    const signed = inject(sign(aggregate(COUNCILS())));
    expect(refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_DTD_FORBIDDEN);
  });

  it('refuses a signature made with RSA-SHA1', () => {
    const signed = sign(aggregate(COUNCILS()), federation, { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    expect(refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_SIGNATURE_ALGORITHM_REFUSED);
  });

  it('refuses a SHA-1 digest', () => {
    const signed = sign(aggregate(COUNCILS()), federation, { digest: 'http://www.w3.org/2000/09/xmldsig#sha1' });
    expect(refusal(() => verifyMetadataAggregate(signed, federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_SIGNATURE_ALGORITHM_REFUSED);
  });

  it('refuses a configured certificate that is not a certificate', () => {
    const signed = sign(aggregate(COUNCILS()));
    expect(refusal(() => verifyMetadataAggregate(signed, 'not a certificate', NOW)).code).toBe(MetadataErrorCode.METADATA_TRUST_ANCHOR_INVALID);
    expect(refusal(() => verifyMetadataAggregate(signed, [], NOW)).code).toBe(MetadataErrorCode.METADATA_TRUST_ANCHOR_INVALID);
  });

  it('refuses what is not SAML metadata', () => {
    expect(refusal(() => verifyMetadataAggregate('<feed/>', federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_NOT_SAML_METADATA);
    expect(refusal(() => verifyMetadataAggregate('not xml', federation.cert, NOW)).code).toBe(MetadataErrorCode.METADATA_NOT_XML);
  });

  it('leaves out, and reports, a bad or expired IdP entity without refusing the rest of the federation', () => {
    const signed = sign(
      aggregate([
        idp('https://idp.leeds.example.gov.uk'),
        idp('http://idp.plain-http.example.org'),
        idp('https://idp.no-key.example.org', key(idpCurrent.cert, 'encryption')),
        idp('https://idp.stale.example.org', key(idpCurrent.cert), 'https://idp.stale.example.org/sso', ` validUntil="${YESTERDAY}"`),
      ]),
    );
    const result = verifyMetadataAggregate(signed, federation.cert, NOW);
    expect(result.entities.map((e) => e.entityId)).toEqual(['https://idp.leeds.example.gov.uk']);
    expect(result.rejected.map((r) => [r.entityId, r.code])).toEqual([
      ['http://idp.plain-http.example.org', MetadataErrorCode.METADATA_URL_NOT_HTTPS],
      ['https://idp.no-key.example.org', MetadataErrorCode.METADATA_NO_SIGNING_CERTIFICATE],
      ['https://idp.stale.example.org', MetadataErrorCode.METADATA_EXPIRED],
    ]);

    const withHttp = verifyMetadataAggregate(signed, federation.cert, NOW, { allowHttp: true });
    expect(withHttp.entities.map((e) => e.entityId)).toEqual(['https://idp.leeds.example.gov.uk', 'http://idp.plain-http.example.org']);
  });

  it('leaves out every copy of an entityID the aggregate describes twice', () => {
    const signed = sign(
      aggregate([idp('https://idp.twice.example.org'), idp('https://idp.twice.example.org', key(attacker.cert)), idp('https://idp.tallinn.example.ee')]),
    );
    const result = verifyMetadataAggregate(signed, federation.cert, NOW);
    expect(result.entities.map((e) => e.entityId)).toEqual(['https://idp.tallinn.example.ee']);
    expect(result.rejected).toEqual([
      expect.objectContaining({ entityId: 'https://idp.twice.example.org', code: MetadataErrorCode.METADATA_DUPLICATE_ENTITY_ID }),
    ]);
  });
});
