import { validate as validateSchema } from '@authenio/samlify-node-xmllint';
import { SAML, ValidateInResponseTo, type SamlConfig } from '@node-saml/node-saml';
import * as samlify from 'samlify';
import { NAMEID_FORMAT, createSigningKey, createTestIdp, type ResponseParams, type SigningKey, type TestIdp } from '../support/saml-idp.js';

/**
 * The test IdP must produce what it claims: good responses that a strict SP accepts, and each forged one built so
 * that it fails for the named reason only. node-saml 5.1.0 is the reference SP here; where it accepts a forgery,
 * the test says so, because then the application has to refuse it itself.
 */
const SP = {
  entityId: 'https://practice.test/saml/council',
  acsUrl: 'https://practice.test/auth/saml/council/acs',
  sloUrl: 'https://practice.test/auth/saml/council/slo',
};
const VICTIM = 'admin@victim.gov.uk';
const EVIL = 'attacker@evil.example';

let idp: TestIdp;
let spKey: SigningKey;

beforeAll(async () => {
  [idp, spKey] = await Promise.all([createTestIdp({ entityId: 'https://idp.council.test/saml' }), createSigningKey('practice.test sp')]);
  samlify.setSchemaValidator({ validate: quietValidate });
});

/** node-saml configured as strictly as it allows. */
function strictSp(overrides: Partial<SamlConfig> = {}): SAML {
  return new SAML({
    idpCert: idp.certificate,
    issuer: SP.entityId,
    audience: SP.entityId,
    callbackUrl: SP.acsUrl,
    entryPoint: idp.ssoUrl,
    wantAuthnResponseSigned: true,
    wantAssertionsSigned: true,
    validateInResponseTo: ValidateInResponseTo.never,
    acceptedClockSkewMs: 0,
    idpIssuer: idp.entityId,
    ...overrides,
  });
}

/** An SP that, like a per-IdP setting may allow, accepts a signature on the assertion alone. */
const assertionOnlySp = () => strictSp({ wantAuthnResponseSigned: false });

function params(overrides: Partial<ResponseParams> = {}): ResponseParams {
  return {
    acsUrl: SP.acsUrl,
    spEntityId: SP.entityId,
    nameId: VICTIM,
    inResponseTo: '_request1',
    sessionIndex: '_session1',
    attributes: {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': VICTIM,
      displayName: 'Ada <Admin> & "Co"',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': ['role-a', 'role-b'],
    },
    ...overrides,
  };
}

async function profileOf(sp: SAML, samlResponse: string) {
  const { profile } = await sp.validatePostResponseAsync({ SAMLResponse: samlResponse });
  if (!profile) throw new Error('no profile');
  return profile;
}

const xmlOf = (base64: string) => Buffer.from(base64, 'base64').toString('utf8');

/** xmllint's emscripten build prints blank lines on every run; keep the test output readable. */
async function quietValidate(xml: string): Promise<unknown> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await validateSchema(xml);
  } finally {
    console.log = log;
  }
}

describe('test IdP: good responses', () => {
  it('gives a response node-saml accepts, with the NameID, attributes and session index', async () => {
    const profile = await profileOf(strictSp(), idp.loginResponse(params()));
    expect(profile.nameID).toBe(VICTIM);
    expect(profile.nameIDFormat).toBe(NAMEID_FORMAT.emailAddress);
    expect(profile.issuer).toBe(idp.entityId);
    expect(profile.sessionIndex).toBe('_session1');
    expect(profile.inResponseTo).toBe('_request1');
    expect(profile.attributes).toEqual({
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': VICTIM,
      displayName: 'Ada <Admin> & "Co"',
      'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': ['role-a', 'role-b'],
    });
  });

  it('is valid against the SAML 2.0 schema, signatures right after the Issuer', async () => {
    const xml = xmlOf(idp.loginResponse(params({ attributeFriendlyNames: { 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'eduPersonEntitlement' } })));
    await expect(quietValidate(xml)).resolves.toBe('SUCCESS_VALIDATE_XML');
    expect(xml).toMatch(/<samlp:Response [^>]*><saml:Issuer>[^<]*<\/saml:Issuer><ds:Signature /);
    expect(xml).toMatch(/<saml:Assertion [^>]*><saml:Issuer>[^<]*<\/saml:Issuer><ds:Signature /);
    expect(xml).toContain('FriendlyName="eduPersonEntitlement"');
    expect(xml).toContain(`Destination="${SP.acsUrl}"`);
    expect(xml).toContain(`Recipient="${SP.acsUrl}"`);
    expect(xml).toContain('&lt;Admin&gt; &amp; "Co"');
  });

  it('is accepted by a second SP implementation (samlify) reading the IdP metadata', async () => {
    const samlIdp = samlify.IdentityProvider({ metadata: idp.metadataXml });
    expect(samlIdp.entityMeta.getEntityID()).toBe(idp.entityId);
    expect(samlIdp.entityMeta.getSingleSignOnService('redirect')).toBe('https://idp.test/sso');
    expect(samlIdp.entityMeta.getX509Certificate('signing')).toBe(idp.certificateBase64);
    const samlSp = samlify.ServiceProvider({
      entityID: SP.entityId,
      assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: SP.acsUrl }],
      wantAssertionsSigned: true,
      wantMessageSigned: true,
    });
    const { extract } = await samlSp.parseLoginResponse(samlIdp, 'post', { body: { SAMLResponse: idp.loginResponse(params()) } });
    expect(extract.nameID).toBe(VICTIM);
  });

  it('signs only the response or only the assertion when asked', async () => {
    const responseOnly = idp.loginResponse(params({ signAssertion: false }));
    const assertionOnly = idp.loginResponse(params({ signResponse: false }));
    await expect(profileOf(strictSp({ wantAssertionsSigned: false }), responseOnly)).resolves.toMatchObject({ nameID: VICTIM });
    await expect(profileOf(strictSp(), responseOnly)).rejects.toThrow('Invalid signature');
    await expect(profileOf(assertionOnlySp(), assertionOnly)).resolves.toMatchObject({ nameID: VICTIM });
    // wantAuthnResponseSigned (the default) refuses IdPs that sign only the assertion.
    await expect(profileOf(strictSp(), assertionOnly)).rejects.toThrow('Invalid document signature');
  });

  it.each(['aes-256-gcm', 'aes-256-cbc'] as const)('encrypts the assertion for the SP (%s, RSA-OAEP)', async (encryptionAlgorithm) => {
    const samlResponse = idp.loginResponse(params({ encryptFor: spKey.certificate, encryptionAlgorithm }));
    const xml = xmlOf(samlResponse);
    expect(xml).toContain('<saml:EncryptedAssertion');
    expect(xml).not.toContain(VICTIM);
    await expect(quietValidate(xml)).resolves.toBe('SUCCESS_VALIDATE_XML');
    const profile = await profileOf(strictSp({ decryptionPvk: spKey.privateKey }), samlResponse);
    expect(profile.nameID).toBe(VICTIM);
    await expect(profileOf(strictSp(), samlResponse)).rejects.toThrow('No decryption key');
  });

  it('publishes metadata listing several certificates during a rollover', () => {
    const next = idp.otherKey.certificate;
    const samlIdp = samlify.IdentityProvider({ metadata: idp.metadataWithCertificates([idp.certificate, next]) });
    expect(samlIdp.entityMeta.getX509Certificate('signing')).toEqual([idp.certificateBase64, next.replace(/-----[^-]+-----|\s/g, '')]);
  });
});

describe('test IdP: each forgery is rejected by node-saml for its own reason', () => {
  it('unsigned', async () => {
    await expect(profileOf(strictSp(), idp.unsigned(params()))).rejects.toThrow('Invalid document signature');
    await expect(profileOf(assertionOnlySp(), idp.unsigned(params()))).rejects.toThrow('Invalid signature');
  });

  it('signed by another key', async () => {
    const forged = idp.signedByOtherKey(params());
    expect(xmlOf(forged)).toContain(idp.otherKey.certificate.replace(/-----[^-]+-----|\s/g, ''));
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('Invalid document signature');
    await expect(profileOf(assertionOnlySp(), forged)).rejects.toThrow('Invalid signature');
  });

  it('attribute changed after signing', async () => {
    const forged = idp.attributeChangedAfterSigning(params(), 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7', 'ORG_ADMIN');
    expect(xmlOf(forged)).toContain('>ORG_ADMIN<');
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('Invalid document signature');
    await expect(profileOf(assertionOnlySp(), idp.attributeChangedAfterSigning(params({ signResponse: false }), 'role', 'ORG_ADMIN'))).rejects.toThrow(
      'Invalid signature',
    );
  });

  it('expired', async () => {
    const past = new Date(Date.now() - 60_000);
    const forged = idp.loginResponse(params({ issueInstant: new Date(past.getTime() - 300_000), notOnOrAfter: past }));
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('SAML assertion expired');
  });

  it('not yet valid', async () => {
    const forged = idp.loginResponse(params({ notBefore: new Date(Date.now() + 60_000) }));
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('SAML assertion not yet valid');
  });

  it('wrong audience', async () => {
    const forged = idp.loginResponse(params({ spEntityId: 'https://other-sp.test' }));
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('SAML assertion audience mismatch');
  });

  it('a LogoutRequest signed by another key', async () => {
    const forged = idp.logoutRequest({ sloUrl: SP.sloUrl, spEntityId: SP.entityId, nameId: VICTIM, signWith: idp.otherKey });
    await expect(strictSp().validatePostRequestAsync({ SAMLRequest: forged })).rejects.toThrow('Invalid signature');
  });
});

describe('test IdP: what node-saml does NOT check (the application must)', () => {
  // These pass node-saml with a valid signature, so they prove the fixture changes only the named field.
  it.each([
    ['wrong Destination', { destination: 'https://elsewhere.test/acs' }, 'Destination="https://elsewhere.test/acs"'],
    ['wrong Recipient', { recipient: 'https://elsewhere.test/acs' }, 'Recipient="https://elsewhere.test/acs"'],
    ['wrong Issuer, signed with the right key', { issuer: 'https://impostor.test/saml' }, '<saml:Issuer>https://impostor.test/saml</saml:Issuer>'],
  ] as const)('%s is accepted by node-saml', async (_name, change, expected) => {
    const forged = idp.loginResponse(params(change));
    expect(xmlOf(forged)).toContain(expected);
    await expect(profileOf(strictSp(), forged)).resolves.toMatchObject({ nameID: VICTIM });
  });

  it('the same assertion replayed is accepted twice (replay detection is ours)', async () => {
    const sp = strictSp();
    const response = idp.loginResponse(params({ assertionId: '_fixed' }));
    await expect(profileOf(sp, response)).resolves.toMatchObject({ nameID: VICTIM });
    await expect(profileOf(sp, response)).resolves.toMatchObject({ nameID: VICTIM });
  });
});

describe('test IdP: signature wrapping never yields the evil NameID', () => {
  it('wrapped() injects an unsigned evil assertion beside the signed one', async () => {
    const xml = xmlOf(idp.wrapped(params({ signResponse: false }), EVIL));
    expect(xml.match(/<saml:Assertion /g)).toHaveLength(2);
    expect(xml.indexOf(EVIL)).toBeLessThan(xml.indexOf(`>${VICTIM}<`));
    await expect(profileOf(assertionOnlySp(), idp.wrapped(params({ signResponse: false }), EVIL))).rejects.toThrow();
  });

  it('offers the assertion-level variants, plus response-level ones when the response is signed', () => {
    expect(idp.wrappingVariants(params({ signResponse: false }), EVIL)).toHaveLength(6);
    expect(idp.wrappingVariants(params(), EVIL)).toHaveLength(8);
    expect(idp.wrappingVariants(params({ signAssertion: false }), EVIL)).toHaveLength(2);
  });

  const responseOnlySp = () => strictSp({ wantAssertionsSigned: false });
  for (const [label, sp, signed] of [
    ['strict SP, both signed', strictSp, {}],
    ['assertion-only SP, assertion signed', assertionOnlySp, { signResponse: false }],
    ['response-only SP, both signed', responseOnlySp, {}],
    ['response-only SP, response signed', responseOnlySp, { signAssertion: false }],
  ] as const) {
    it(`${label}: each variant is rejected or yields the original NameID`, async () => {
      const outcomes: string[] = [];
      for (const { name, samlResponse } of idp.namedWrappingVariants(params(signed), EVIL)) {
        expect(xmlOf(samlResponse)).toContain(EVIL);
        const outcome = await profileOf(sp(), samlResponse).then(
          (p) => `${name}: accepted as ${p.nameID}`,
          (e: Error) => `${name}: rejected (${e.message})`,
        );
        outcomes.push(outcome);
        expect(outcome).not.toContain(EVIL);
        if (outcome.includes('accepted')) expect(outcome).toContain(VICTIM);
      }
      expect(outcomes.length).toBeGreaterThan(0);
    });
  }
});

describe('test IdP: comment in the NameID', () => {
  it('keeps a valid signature; node-saml yields the whole text, comment dropped', async () => {
    const forged = idp.nameIdWithComment(params({ nameId: `${VICTIM}.evil.com` }));
    expect(xmlOf(forged)).toContain(`>${VICTIM}<!---->.evil.com<`);
    const profile = await profileOf(strictSp(), forged);
    // An SP reading only the first text node would see admin@victim.gov.uk; compare the whole text.
    expect(profile.nameID).toBe(`${VICTIM}.evil.com`);
  });
});

describe('test IdP: DOCTYPE', () => {
  it('declares an external entity at the top, signature otherwise intact', async () => {
    const forged = idp.withDoctype(params());
    expect(xmlOf(forged)).toMatch(/^<\?xml[^>]*\?><!DOCTYPE samlp:Response \[<!ENTITY xxe SYSTEM "file:\/\/\/etc\/passwd">\]><samlp:Response /);
    // node-saml 5.1.0 parses it and the signature verifies: only a DOCTYPE check of our own refuses it.
    await expect(profileOf(strictSp(), forged)).resolves.toMatchObject({ nameID: VICTIM });
  });

  it('with the entity referenced, node-saml refuses it without resolving the entity', async () => {
    const forged = idp.withDoctype(params(), { referenceEntity: true });
    await expect(profileOf(strictSp(), forged)).rejects.toThrow('entity not found');
  });
});

describe('test IdP: single logout and reading AuthnRequests', () => {
  it('sends a signed LogoutRequest node-saml accepts', async () => {
    const samlRequest = idp.logoutRequest({ sloUrl: SP.sloUrl, spEntityId: SP.entityId, nameId: VICTIM, sessionIndex: '_session1' });
    await expect(quietValidate(xmlOf(samlRequest))).resolves.toBe('SUCCESS_VALIDATE_XML');
    const { profile } = await strictSp().validatePostRequestAsync({ SAMLRequest: samlRequest });
    expect(profile).toMatchObject({ nameID: VICTIM, sessionIndex: '_session1', issuer: idp.entityId });
  });

  it('answers an SP-initiated logout with a signed LogoutResponse', async () => {
    const samlResponse = idp.logoutResponse({ sloUrl: SP.sloUrl, inResponseTo: '_logout1' });
    await expect(quietValidate(xmlOf(samlResponse))).resolves.toBe('SUCCESS_VALIDATE_XML');
    expect(xmlOf(samlResponse)).toContain('InResponseTo="_logout1"');
    await expect(strictSp().validatePostResponseAsync({ SAMLResponse: samlResponse })).resolves.toEqual({ profile: null, loggedOut: true });
  });

  it('reads a signed AuthnRequest from the SP redirect and checks its signature', async () => {
    const sp = strictSp({ privateKey: spKey.privateKey, signatureAlgorithm: 'sha256' });
    const url = await sp.getAuthorizeUrlAsync('state/1?x=y', undefined, {});
    const request = idp.parseAuthnRequest(url, spKey.certificate);
    expect(request).toEqual({
      id: expect.stringMatching(/^_/),
      acsUrl: SP.acsUrl,
      issuer: SP.entityId,
      destination: idp.ssoUrl,
      signed: true,
      signatureValid: true,
      relayState: 'state/1?x=y',
    });
    expect(idp.parseAuthnRequest(url, idp.otherKey.certificate).signatureValid).toBe(false);
    // The answer carries the request's ID back.
    const profile = await profileOf(strictSp(), idp.loginResponse(params({ inResponseTo: request.id })));
    expect(profile.inResponseTo).toBe(request.id);
  });

  it('reports an unsigned AuthnRequest as unsigned', async () => {
    const url = await strictSp().getAuthorizeUrlAsync('', undefined, {});
    expect(idp.parseAuthnRequest(url)).toMatchObject({ signed: false, issuer: SP.entityId });
  });
});
