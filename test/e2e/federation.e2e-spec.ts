import { IdentityProviderRepository, Role } from '#identity';
import { SignedXml } from 'xml-crypto';
import { createMember, createOrganisation } from '../factories/index.js';
import { createSigningKey, createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';

const CONFIGURE = `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { id entityId certificateCount } }`;

/** A federation's aggregate of IdP metadata, signed over the whole document as federations sign it. */
function signedAggregate(idps: TestIdp[], signer: { privateKey: string; certificate: string }): string {
  const entities = idps.map((idp) => idp.metadataXml.replace(/^<\?xml[^>]*>\s*/, '')).join('');
  const xml = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" ID="_federation" validUntil="${new Date(Date.now() + 7 * 86_400_000).toISOString()}">${entities}</md:EntitiesDescriptor>`;
  const signature = new SignedXml({
    privateKey: signer.privateKey,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  signature.addReference({
    xpath: '/*',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signature.computeSignature(xml, { prefix: 'ds', location: { reference: '/*', action: 'prepend' } });
  return signature.getSignedXml();
}

describe("an IdP taken from a federation's signed aggregate", () => {
  let t: TestApp;
  let leeds: TestIdp;
  let tallinn: TestIdp;
  let federation: { privateKey: string; certificate: string };
  let impostor: { privateKey: string; certificate: string };
  beforeAll(async () => {
    t = await startTestApp();
    [leeds, tallinn, federation, impostor] = await Promise.all([
      createTestIdp({ entityId: 'https://idp.leeds.example.gov.uk/shibboleth' }),
      createTestIdp({ entityId: 'https://idp.tallinn.example.ee/saml' }),
      createSigningKey('Federation signer'),
      createSigningKey('Impostor'),
    ]);
  });
  afterAll(() => t.close());

  it("is configured from the entity named, after the aggregate's signature checks out against the federation certificate", async () => {
    const org = await createOrganisation(t.app);
    const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
    const input = {
      organisationSlug: org.slug,
      metadataXml: signedAggregate([leeds, tallinn], federation),
      federationCertificate: federation.certificate,
      entityId: leeds.entityId,
    };
    const response = await t.gql(CONFIGURE, { input }, admin.token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.configureIdentityProvider).toMatchObject({ entityId: leeds.entityId, certificateCount: 1 });
    const [row] = await t.dataSource.query('SELECT entity_id, certificates, federation_certificate FROM identity_provider WHERE organisation_id = $1', [
      org.id,
    ]);
    expect(row.entity_id).toBe(leeds.entityId);
    expect(row.certificates).toEqual([leeds.certificateBase64]);
    expect(row.federation_certificate).toBe(federation.certificate);
  });

  it('is refused when the aggregate is signed by another key, or changed after signing, and nothing is stored', async () => {
    const org = await createOrganisation(t.app);
    const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
    const forged = signedAggregate([leeds], impostor);
    const tampered = signedAggregate([leeds], federation).replace(leeds.certificateBase64, tallinn.certificateBase64);
    for (const metadataXml of [forged, tampered]) {
      const response = await t.gql(
        CONFIGURE,
        { input: { organisationSlug: org.slug, metadataXml, federationCertificate: federation.certificate, entityId: leeds.entityId } },
        admin.token,
      );
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
    }
    expect(await t.app.get(IdentityProviderRepository).listEnabledOfOrganisation(org.id)).toEqual([]);
  });

  it('needs the entity ID with the certificate, and an entity that is in the aggregate', async () => {
    const org = await createOrganisation(t.app);
    const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
    const metadataXml = signedAggregate([leeds], federation);
    const alone = await t.gql(CONFIGURE, { input: { organisationSlug: org.slug, metadataXml, federationCertificate: federation.certificate } }, admin.token);
    expect(errorCode(alone)).toBe('BAD_USER_INPUT');
    const missing = await t.gql(
      CONFIGURE,
      { input: { organisationSlug: org.slug, metadataXml, federationCertificate: federation.certificate, entityId: tallinn.entityId } },
      admin.token,
    );
    expect(errorCode(missing)).toBe('BAD_USER_INPUT');
    expect(missing.errors![0]!.message).toContain(tallinn.entityId);
  });
});
