import { deflateRawSync } from 'node:zlib';
import { readAuthnRequest } from '../../apps/api/src/demo/demo-idp.saml.js';
import { parseIdpMetadata } from '../../libs/identity/src/federation/metadata/idp-metadata.js';
import { MetadataError, MetadataErrorCode } from '../../libs/identity/src/federation/metadata/metadata.errors.js';
import { redirectSignature } from '../../libs/identity/src/federation/redirect-binding.js';
import { SAML_MESSAGE_MAX_BYTES, SamlRefusal, inflateRedirectMessage, parseSamlXml } from '../../libs/identity/src/federation/saml-xml.js';

/** Every inflate and XML parse of a SAML message or metadata document is bounded before the work starts. */

const deflated = (text: string) => deflateRawSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');

function refusal(run: () => unknown): SamlRefusal {
  try {
    run();
  } catch (error) {
    if (error instanceof SamlRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('SAML message bounds', () => {
  it('a few kilobytes that inflate to 16 MB stop at the bound: TOO_LARGE', () => {
    const bomb = deflated(' '.repeat(16 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(32 * 1024);
    expect(refusal(() => inflateRedirectMessage(bomb)).reason).toBe('TOO_LARGE');
  });

  it('a message just under the bound inflates', () => {
    const xml = `<a>${' '.repeat(SAML_MESSAGE_MAX_BYTES - 10)}</a>`;
    expect(inflateRedirectMessage(deflated(xml))).toBe(xml);
  });

  it('base64 longer than any bounded message is refused unread', () => {
    expect(refusal(() => inflateRedirectMessage('A'.repeat(SAML_MESSAGE_MAX_BYTES * 2))).reason).toBe('TOO_LARGE');
  });

  it('data that is not DEFLATE is MALFORMED, not an error of ours', () => {
    expect(refusal(() => inflateRedirectMessage(Buffer.from('not deflated at all').toString('base64'))).reason).toBe('MALFORMED');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'DOCTYPE'],
    ['an element left open', '<a><b></a>', 'MALFORMED'],
    ['no XML at all', 'hello', 'MALFORMED'],
    ['"<Issuer" repeated', '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">' + '<Issuer'.repeat(30_000), 'MALFORMED'],
  ])('parseSamlXml refuses %s', (_name, xml, reason) => {
    const refused = refusal(() => parseSamlXml(xml));
    expect(refused.reason).toBe(reason);
    // Our sentence, not the parser's (which can repeat the input).
    expect(refused.message.length).toBeLessThan(100);
  });

  it('parseSamlXml refuses a document over the bound before parsing it', () => {
    expect(refusal(() => parseSamlXml(`<a>${' '.repeat(SAML_MESSAGE_MAX_BYTES)}</a>`)).reason).toBe('TOO_LARGE');
  });
});

describe("the demo IdP's AuthnRequest reader", () => {
  it('refuses an inflation bomb', () => {
    expect(refusal(() => readAuthnRequest(deflated(' '.repeat(16 * 1024 * 1024)))).reason).toBe('TOO_LARGE');
  });

  it('refuses a DOCTYPE', () => {
    expect(refusal(() => readAuthnRequest(deflated('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'))).reason).toBe('DOCTYPE');
  });

  it('reads a real AuthnRequest with the XML parser', () => {
    const xml =
      '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_abc" Version="2.0" AssertionConsumerServiceURL="http://localhost:3000/auth/saml/kent/acs">' +
      '<saml:Issuer> http://localhost:3000/auth/saml/kent/metadata </saml:Issuer></samlp:AuthnRequest>';
    expect(readAuthnRequest(deflated(xml))).toEqual({
      id: '_abc',
      issuer: 'http://localhost:3000/auth/saml/kent/metadata',
      acsUrl: 'http://localhost:3000/auth/saml/kent/acs',
    });
  });
});

describe('metadata bounds', () => {
  it('metadata over 5 MiB is refused before parsing: METADATA_TOO_LARGE', () => {
    const xml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">${' '.repeat(5 * 1024 * 1024)}</md:EntityDescriptor>`;
    let caught: unknown;
    try {
      parseIdpMetadata(xml);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MetadataError);
    expect((caught as MetadataError).code).toBe(MetadataErrorCode.METADATA_TOO_LARGE);
  });

  it("the parser's message for a broken document stays short (it would list every unclosed tag)", () => {
    let caught: unknown;
    try {
      parseIdpMetadata(`<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">${'<a>'.repeat(50_000)}`);
    } catch (error) {
      caught = error;
    }
    expect((caught as MetadataError).code).toBe(MetadataErrorCode.METADATA_NOT_XML);
    expect((caught as MetadataError).message.length).toBeLessThan(300);
  });
});

describe('HTTP-Redirect signatures', () => {
  const SHA256 = encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  const SHA1 = encodeURIComponent('http://www.w3.org/2000/09/xmldsig#rsa-sha1');

  it('signs the parameters exactly as sent, in the order of the bindings spec', () => {
    const signature = redirectSignature(`Signature=c2ln&SigAlg=${SHA256}&RelayState=%2Fx&SAMLRequest=abc%2B`, 'SAMLRequest');
    expect(signature.signedContent).toBe(`SAMLRequest=abc%2B&RelayState=%2Fx&SigAlg=${SHA256}`);
    expect(signature.hash).toBe('sha256');
  });

  it.each([
    ['no signature', `SAMLRequest=abc&SigAlg=${SHA256}`, 'UNSIGNED'],
    ['no algorithm', 'SAMLRequest=abc&Signature=c2ln', 'UNSIGNED'],
    ['RSA-SHA1', `SAMLRequest=abc&SigAlg=${SHA1}&Signature=c2ln`, 'SIGNATURE_ALGORITHM'],
    ['SAMLRequest twice', `SAMLRequest=abc&SAMLRequest=def&SigAlg=${SHA256}&Signature=c2ln`, 'MALFORMED'],
    ['Signature twice', `SAMLRequest=abc&SigAlg=${SHA256}&Signature=c2ln&Signature=c2ln`, 'MALFORMED'],
    ['no message', `SigAlg=${SHA256}&Signature=c2ln`, 'MALFORMED'],
  ])('refuses %s', (_name, query, reason) => {
    expect(refusal(() => redirectSignature(query, 'SAMLRequest')).reason).toBe(reason);
  });
});
