import { Role, TokenScope } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { metadataAnswer, startHttpPeer, type HttpPeer } from '../support/http-peer.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { db, idpSteps } from '../support/identity-providers.js';

/**
 * IdP configuration, discovery and demo-IdP isolation through the real API (README, "Connect your organisation's IdP"):
 * who may configure an organisation's identity providers, what metadata is accepted (XML or a URL fetched under the
 * outbound rules), what an anonymous caller learns from `identityProviders`, and who can read an IdP by `node(id:)`.
 * Each case checks the response and the identity_provider and audit_event (IDP_CHANGED) rows.
 */
describe('identity providers through the API', () => {
  let t: TestApp;
  let idp: TestIdp;
  let secondIdp: TestIdp;
  let tables: ReturnType<typeof db>;

  beforeAll(async () => {
    [t, idp, secondIdp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({
        entityId: 'https://adfs.council.test/adfs/services/trust',
        ssoUrl: 'https://adfs.council.test/adfs/ls/',
        sloUrl: 'https://adfs.council.test/adfs/ls/?wa=signout1.0',
      }),
    ]);
    tables = db(t);
  });
  afterAll(() => t?.close());

  const { orgWithAdmin, configure, expectRefusedAndNothingWritten } = idpSteps(() => t);

  describe('configureIdentityProvider', () => {
    describe('is refused, and nothing is written', () => {
      it('for an ORG_ADMIN of another organisation: FORBIDDEN', async () => {
        const { org } = await orgWithAdmin();
        const { admin: otherAdmin } = await orgWithAdmin();
        await expectRefusedAndNothingWritten(() => configure(otherAdmin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'FORBIDDEN');
        expect(await tables.idps(org.id)).toEqual([]);
        expect(await tables.audit(org.id)).toEqual([]);
      });

      it('for an ORG_ADMIN of another organisation, even over an IdP already configured: FORBIDDEN, and the IdP is unchanged', async () => {
        const { org, admin } = await orgWithAdmin();
        expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
        const before = await tables.idps(org.id);
        const { admin: otherAdmin } = await orgWithAdmin();
        await expectRefusedAndNothingWritten(
          () => configure(otherAdmin.token, { organisationSlug: org.slug, metadataXml: secondIdp.metadataXml }),
          'FORBIDDEN',
        );
        expect(await tables.idps(org.id)).toEqual(before);
      });

      it.each([
        ['a CONTRIBUTOR of the organisation', [Role.CONTRIBUTOR]],
        ['a MODERATOR of the organisation', [Role.MODERATOR]],
      ])('for %s: FORBIDDEN', async (_name, roles) => {
        const { org } = await orgWithAdmin();
        const member = await createMember(t.app, org, roles);
        await expectRefusedAndNothingWritten(() => configure(member.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'FORBIDDEN');
        expect(await tables.idps(org.id)).toEqual([]);
      });

      it("for the organisation's ORG_ADMIN with a token lacking the admin scope: FORBIDDEN", async () => {
        const org = await createOrganisation(t.app);
        const admin = await createMember(t.app, org, [Role.ORG_ADMIN], [TokenScope.READ, TokenScope.WRITE, TokenScope.MODERATE]);
        await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'FORBIDDEN');
        expect(await tables.idps(org.id)).toEqual([]);
      });

      it('for an anonymous caller: UNAUTHENTICATED', async () => {
        const { org } = await orgWithAdmin();
        await expectRefusedAndNothingWritten(() => configure(undefined, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'UNAUTHENTICATED');
      });

      it('for an unknown organisationSlug: NOT_FOUND', async () => {
        const { admin } = await orgWithAdmin();
        const slug = `nowhere-${unique()}`;
        const res = await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: slug, metadataXml: idp.metadataXml }), 'NOT_FOUND');
        expect(res.errors![0]!.message).toContain(slug);
      });

      it.each([
        ['neither metadataXml nor metadataUrl', {}],
        ['both metadataXml and metadataUrl', { metadataUrl: 'https://idp.council.test/metadata' }],
      ])('with %s: BAD_USER_INPUT', async (_name, extra) => {
        const { org, admin } = await orgWithAdmin();
        const input = { organisationSlug: org.slug, ...(Object.keys(extra).length ? { metadataXml: idp.metadataXml } : {}), ...extra };
        const res = await expectRefusedAndNothingWritten(() => configure(admin.token, input), 'BAD_USER_INPUT');
        expect(res.errors![0]!.message).toMatch(/metadataXml.*metadataUrl|exactly one/);
        expect(await tables.idps(org.id)).toEqual([]);
      });

      it.each<[string, (idp: TestIdp) => string, RegExp]>([
        ['not XML', () => 'this is not metadata at all', /not well-formed XML/],
        ['an element left open', (i) => i.metadataXml.replace('</md:EntityDescriptor>', ''), /not well-formed XML/],
        ['a DOCTYPE', (i) => `<?xml version="1.0"?><!DOCTYPE md:EntityDescriptor [<!ENTITY x SYSTEM "file:///etc/passwd">]>${i.metadataXml}`, /DOCTYPE/],
        ['no signing certificate', (i) => i.metadataWithCertificates([]), /no signing certificate/],
        ['an http:// SSO URL', (i) => i.metadataXml.replace(i.ssoUrl, 'http://idp.council.test/sso'), /SingleSignOnService.*not https/],
        ["an SP's metadata (no IDPSSODescriptor)", (i) => i.metadataXml.replace(/IDPSSODescriptor/g, 'SPSSODescriptor'), /IDPSSODescriptor/],
        ['a certificate that is not X.509', (i) => i.metadataXml.replace(i.certificateBase64, 'bm90IGEgY2VydGlmaWNhdGU='), /not a readable X\.509/],
      ])('with metadata that has %s: BAD_USER_INPUT naming the problem', async (_name, metadata, problem) => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(
          () => configure(admin.token, { organisationSlug: org.slug, metadataXml: metadata(idp) }),
          'BAD_USER_INPUT',
          problem,
        );
        expect(res.errors![0]!.extensions?.field).toBe('metadataXml');
        expect(await tables.idps(org.id)).toEqual([]);
      });

      it('with invalid metadata for an IdP already configured: BAD_USER_INPUT, and the IdP keeps its metadata', async () => {
        const { org, admin } = await orgWithAdmin();
        expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
        const before = await tables.idps(org.id);
        await expectRefusedAndNothingWritten(
          () => configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataWithCertificates([]) }),
          'BAD_USER_INPUT',
          /no signing certificate/,
        );
        expect(await tables.idps(org.id)).toEqual(before);
      });

      it.each([['Main'], ['entra id'], ['-x'], ['k'.repeat(65)]])('with key %j: BAD_USER_INPUT naming key', async (key) => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(
          () => configure(admin.token, { organisationSlug: org.slug, key, metadataXml: idp.metadataXml }),
          'BAD_USER_INPUT',
        );
        expect([res.errors![0]!.message, ...(res.errors![0]!.extensions?.problems ?? [])].join(' ')).toMatch(/key/);
      });

      it('with attributeMapping.roleValues granting PLATFORM_ADMIN: BAD_USER_INPUT', async () => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(
          () =>
            configure(admin.token, {
              organisationSlug: org.slug,
              metadataXml: idp.metadataXml,
              attributeMapping: {
                roles: 'groups',
                roleValues: [
                  { value: 'pe-admins', role: 'ORG_ADMIN' },
                  { value: 'pe-platform', role: 'PLATFORM_ADMIN' },
                ],
              },
            }),
          'BAD_USER_INPUT',
        );
        const text = [res.errors![0]!.message, ...(res.errors![0]!.extensions?.problems ?? [])].join(' ');
        expect(text).toMatch(/roleValues/);
        expect(text).toMatch(/CONTRIBUTOR or ORG_ADMIN/);
        expect(await tables.idps(org.id)).toEqual([]);
      });
    });
  });

  describe('metadataUrl with OUTBOUND_ALLOW_PRIVATE_NETWORKS off (the default)', () => {
    let server: HttpPeer;
    beforeAll(async () => {
      server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
    });
    afterAll(() => server?.close());

    it.each<[string, (base: string) => string, RegExp]>([
      ['http://127.0.0.1 (plain http)', (base) => `${base}/metadata`, /https|OUTBOUND_ALLOW_PRIVATE_NETWORKS/],
      [
        'https://127.0.0.1 (a loopback address)',
        (base) => `${base.replace('http:', 'https:')}/metadata`,
        /not a public address|OUTBOUND_ALLOW_PRIVATE_NETWORKS/,
      ],
      [
        'https://localhost (a name that resolves to loopback)',
        (base) => `${base.replace('http://127.0.0.1', 'https://localhost')}/metadata`,
        /non-public address|OUTBOUND_ALLOW_PRIVATE_NETWORKS/,
      ],
    ])('refuses %s: BAD_USER_INPUT, and the local server receives nothing', async (_name, url, problem) => {
      const { org, admin } = await orgWithAdmin();
      const res = await expectRefusedAndNothingWritten(
        () => configure(admin.token, { organisationSlug: org.slug, metadataUrl: url(server.url) }),
        'BAD_USER_INPUT',
        problem,
      );
      expect(res.errors![0]!.message).toMatch(/^metadataUrl/);
      expect(server.connections).toBe(0);
      expect(server.requests.map((r) => r.url)).toEqual([]);
      expect(await tables.idps(org.id)).toEqual([]);
    });
  });
});
