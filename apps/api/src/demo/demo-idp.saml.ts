import { randomBytes } from 'node:crypto';
import { escapeXml } from '#config';
import { SAMLP_NS, inflateRedirectMessage, issuerOf, parseSamlXml } from '#identity';
import { SignedXml } from 'xml-crypto';
import type { DemoIdpKeys } from './demo-idp.keys.js';

const NS = { samlp: 'urn:oasis:names:tc:SAML:2.0:protocol', saml: 'urn:oasis:names:tc:SAML:2.0:assertion', md: 'urn:oasis:names:tc:SAML:2.0:metadata' };
const ALG = {
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
};

const id = (): string => `_${randomBytes(20).toString('hex')}`;
const body = (pem: string): string => pem.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '').replace(/\s+/g, '');

/** The demo IdP's metadata, as an organisation's admin would paste it. */
export function demoIdpMetadata(entityId: string, ssoUrl: string, keys: DemoIdpKeys): string {
  return (
    `<md:EntityDescriptor xmlns:md="${NS.md}" entityID="${escapeXml(entityId)}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${body(keys.certificate)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}

/** What an AuthnRequest (HTTP-Redirect, deflated) asks for; inflated and parsed within the bounds every SAML entry point keeps. */
export function readAuthnRequest(samlRequest: string): { id: string; issuer: string; acsUrl: string | null } {
  const root = parseSamlXml(inflateRedirectMessage(samlRequest));
  if (root.namespaceURI !== SAMLP_NS || root.localName !== 'AuthnRequest') throw new Error('Not an AuthnRequest.');
  return { id: root.getAttribute('ID') ?? '', issuer: issuerOf(root) ?? '', acsUrl: root.getAttribute('AssertionConsumerServiceURL') };
}

function sign(xml: string, keys: DemoIdpKeys): string {
  const signature = new SignedXml({
    privateKey: keys.privateKey,
    publicCert: keys.certificate,
    signatureAlgorithm: ALG.rsaSha256,
    canonicalizationAlgorithm: ALG.excC14n,
  });
  signature.addReference({ xpath: '/*', transforms: [ALG.enveloped, ALG.excC14n], digestAlgorithm: ALG.sha256 });
  signature.computeSignature(xml, { prefix: 'ds', location: { reference: "/*/*[local-name(.)='Issuer']", action: 'after' } });
  return signature.getSignedXml();
}

/** A signed Response with a signed Assertion for a demo user, valid for five minutes. */
export function demoLoginResponse(p: {
  issuer: string;
  audience: string;
  acsUrl: string;
  inResponseTo: string;
  email: string;
  name: string;
  keys: DemoIdpKeys;
  now?: Date;
}): string {
  const now = p.now ?? new Date();
  const until = new Date(now.getTime() + 5 * 60_000).toISOString();
  const instant = now.toISOString();
  const attribute = (name: string, value: string) =>
    `<saml:Attribute Name="${name}"><saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`;
  const assertion = sign(
    `<saml:Assertion xmlns:saml="${NS.saml}" ID="${id()}" Version="2.0" IssueInstant="${instant}"><saml:Issuer>${escapeXml(p.issuer)}</saml:Issuer>` +
      `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${escapeXml(p.email)}</saml:NameID>` +
      `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData InResponseTo="${escapeXml(p.inResponseTo)}" NotOnOrAfter="${until}" Recipient="${escapeXml(p.acsUrl)}"/></saml:SubjectConfirmation></saml:Subject>` +
      `<saml:Conditions NotBefore="${instant}" NotOnOrAfter="${until}"><saml:AudienceRestriction><saml:Audience>${escapeXml(p.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
      `<saml:AuthnStatement AuthnInstant="${instant}" SessionIndex="${id()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
      `<saml:AttributeStatement>${attribute('mail', p.email)}${attribute('displayName', p.name)}</saml:AttributeStatement></saml:Assertion>`,
    p.keys,
  );
  const response = sign(
    `<samlp:Response xmlns:samlp="${NS.samlp}" xmlns:saml="${NS.saml}" ID="${id()}" Version="2.0" IssueInstant="${instant}" Destination="${escapeXml(p.acsUrl)}" InResponseTo="${escapeXml(p.inResponseTo)}">` +
      `<saml:Issuer>${escapeXml(p.issuer)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`,
    p.keys,
  );
  return Buffer.from(response, 'utf8').toString('base64');
}
