import { IdentityProviderRepository, IdentityProviderService, Role, TokenScope, requireGlobalId, toGlobalId, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { metadataAnswer, startHttpPeer, type HttpPeer } from '../support/http-peer.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { errorCode, expectOk, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';
import { WebClient, textOf } from '../support/web-client.js';
import { unique } from '../support/unique.js';

/**
 * IdP configuration, discovery and demo-IdP isolation through the real API (README, "Connect your organisation's IdP"):
 * who may configure an organisation's identity providers, what metadata is accepted (XML or a URL fetched under the
 * outbound rules), what an anonymous caller learns from `identityProviders`, and who can read an IdP by `node(id:)`.
 * Each case checks the response and the identity_provider and audit_event (IDP_CHANGED) rows.
 */

const CONFIGURE = `mutation($input: ConfigureIdentityProviderInput!) {
  configureIdentityProvider(input: $input) {
    id key name entityId ssoUrl sloUrl certificateCount metadataUrl metadataRefreshedAt metadataError
    wantAuthnResponseSigned wantAssertionsSigned signAuthnRequests enabled
  }
}`;
const DISCOVER = `query($emailDomain: String!) { identityProviders(emailDomain: $emailDomain) { organisation { slug name } key name loginUrl } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename ... on IdentityProvider { id key entityId } } }`;

/** An IdP row as stored, the columns these tests care about. */
interface IdpRow {
  id: string;
  key: string;
  name: string;
  entity_id: string;
  sso_url: string;
  slo_url: string | null;
  certificates: string[];
  metadata_url: string | null;
  metadata_xml: string | null;
  metadata_refreshed_at: Date | null;
  metadata_error: string | null;
  want_authn_response_signed: boolean;
  want_assertions_signed: boolean;
  sign_authn_requests: boolean;
  attribute_mapping: Record<string, unknown>;
  enabled: boolean;
}

/** Table helpers bound to one test app. */
function db(t: TestApp) {
  return {
    async idps(organisationId: string): Promise<IdpRow[]> {
      return t.dataSource.query(
        `SELECT id, key, name, entity_id, sso_url, slo_url, certificates, metadata_url, metadata_xml, metadata_refreshed_at, metadata_error,
                want_authn_response_signed, want_assertions_signed, sign_authn_requests, attribute_mapping, enabled
           FROM identity_provider WHERE organisation_id = $1 ORDER BY key`,
        [organisationId],
      );
    },
    async audit(organisationId: string): Promise<{ actor_member_id: string | null; subject_type: string; subject_id: string; details: Record<string, any> }[]> {
      return t.dataSource.query(
        `SELECT actor_member_id, subject_type, subject_id, details FROM audit_event WHERE action = 'IDP_CHANGED' AND organisation_id = $1 ORDER BY occurred_at, id`,
        [organisationId],
      );
    },
    /** Rows in every table a refused configuration must leave alone. */
    async counts(): Promise<{ idps: number; idpAudit: number }> {
      const [row] = await t.dataSource.query(`SELECT (SELECT count(*)::int FROM identity_provider) AS idps,
        (SELECT count(*)::int FROM audit_event WHERE action = 'IDP_CHANGED') AS "idpAudit"`);
      return row;
    },
  };
}

/** The IdP metadata with WantAuthnRequestsSigned="true". */
const wantingSignedRequests = (xml: string) => xml.replace('WantAuthnRequestsSigned="false"', 'WantAuthnRequestsSigned="true"');

describe('identity providers through the API', () => {
  let t: TestApp;
  let idp: TestIdp;
  let secondIdp: TestIdp;
  let tables: ReturnType<typeof db>;

  beforeAll(async () => {
    [t, idp, secondIdp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({ entityId: 'https://adfs.council.test/adfs/services/trust', ssoUrl: 'https://adfs.council.test/adfs/ls/', sloUrl: 'https://adfs.council.test/adfs/ls/?wa=signout1.0' }),
    ]);
    tables = db(t);
  });
  afterAll(() => t?.close());

  /** An organisation with an admin (every token scope). */
  async function orgWithAdmin(): Promise<{ org: OrganisationEntity; admin: TestMember }> {
    const org = await createOrganisation(t.app);
    return { org, admin: await createMember(t.app, org, [Role.ORG_ADMIN]) };
  }

  const configure = (token: string | undefined, input: Record<string, unknown>) => t.gql(CONFIGURE, { input }, token);

  /** Asserts the call was refused with `code` and that no IdP row or IDP_CHANGED event was written. */
  async function expectRefusedAndNothingWritten(call: () => Promise<GraphqlResponse>, code: string, message?: RegExp): Promise<GraphqlResponse> {
    const before = await tables.counts();
    const res = await call();
    expect({ code: errorCode(res), data: res.data?.configureIdentityProvider ?? null }).toEqual({ code, data: null });
    if (message) expect(res.errors![0]!.message).toMatch(message);
    expect(await tables.counts()).toEqual(before);
    return res;
  }

  describe('configureIdentityProvider', () => {
    it("by an ORG_ADMIN of the organisation, from metadataXml: creates the IdP from the metadata and audits IDP_CHANGED", async () => {
      const { org, admin } = await orgWithAdmin();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataXml: wantingSignedRequests(idp.metadataXml) });
      const created = expectOk(res, 'configureIdentityProvider');
      expect(created).toEqual({
        id: expect.any(String),
        key: 'main',
        name: `${org.name} sign-in`,
        entityId: idp.entityId,
        ssoUrl: idp.ssoUrl,
        sloUrl: idp.sloUrl,
        certificateCount: 1,
        metadataUrl: null,
        metadataRefreshedAt: expect.any(String),
        metadataError: null,
        wantAuthnResponseSigned: true,
        wantAssertionsSigned: true,
        signAuthnRequests: true,
        enabled: true,
      });

      const rows = await tables.idps(org.id);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(toGlobalId('IdentityProvider', row.id)).toBe(created.id);
      expect(row).toMatchObject({
        key: 'main',
        entity_id: idp.entityId,
        sso_url: idp.ssoUrl,
        slo_url: idp.sloUrl,
        certificates: [idp.certificateBase64],
        metadata_url: null,
        metadata_xml: wantingSignedRequests(idp.metadataXml),
        metadata_error: null,
        want_authn_response_signed: true,
        want_assertions_signed: true,
        sign_authn_requests: true,
        attribute_mapping: {},
        enabled: true,
      });
      expect(row.metadata_refreshed_at).toBeInstanceOf(Date);

      expect(await tables.audit(org.id)).toEqual([
        {
          actor_member_id: admin.member.id,
          subject_type: 'IdentityProvider',
          subject_id: row.id,
          details: expect.objectContaining({ key: 'main', entityId: idp.entityId, certificates: 1, created: true }),
        },
      ]);
    });

    it('signAuthnRequests follows WantAuthnRequestsSigned="false" in the metadata', async () => {
      const { org, admin } = await orgWithAdmin();
      const created = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(created.signAuthnRequests).toBe(false);
      expect((await tables.idps(org.id)).map((r) => r.sign_authn_requests)).toEqual([false]);
    });

    it('configuring the same key again updates that IdP (one row, new certificates, settings kept) and audits the change', async () => {
      const { org, admin } = await orgWithAdmin();
      const first = expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'entra', name: 'Entra ID', metadataXml: idp.metadataXml, wantAuthnResponseSigned: false }),
        'configureIdentityProvider',
      );
      // A key rollover: the IdP now publishes its old and new certificates.
      const rollover = idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]);
      const second = expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'entra', metadataXml: rollover }), 'configureIdentityProvider');

      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ key: 'entra', name: 'Entra ID', certificateCount: 2, wantAuthnResponseSigned: false });
      const rows = await tables.idps(org.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ key: 'entra', name: 'Entra ID', want_authn_response_signed: false, metadata_xml: rollover });
      expect(rows[0]!.certificates).toHaveLength(2);
      expect(rows[0]!.certificates).toContain(idp.certificateBase64);

      const audit = await tables.audit(org.id);
      expect(audit.map((a) => [a.subject_id, a.details.created, a.details.certificates])).toEqual([
        [rows[0]!.id, true, 1],
        [rows[0]!.id, false, 2],
      ]);
    });

    it('a second key gives the organisation a second IdP', async () => {
      const { org, admin } = await orgWithAdmin();
      const main = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const adfs = expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'adfs', name: 'ADFS', metadataXml: secondIdp.metadataXml }), 'configureIdentityProvider');
      expect(adfs.id).not.toBe(main.id);
      expect(adfs).toMatchObject({ key: 'adfs', name: 'ADFS', entityId: secondIdp.entityId, ssoUrl: secondIdp.ssoUrl });

      const rows = await tables.idps(org.id);
      expect(rows.map((r) => [r.key, r.entity_id])).toEqual([
        ['adfs', secondIdp.entityId],
        ['main', idp.entityId],
      ]);
      expect((await tables.audit(org.id)).map((a) => [a.subject_id, a.details.key, a.details.created])).toEqual([
        [requireGlobalId(main.id, 'IdentityProvider'), 'main', true],
        [requireGlobalId(adfs.id, 'IdentityProvider'), 'adfs', true],
      ]);
    });

    // Two admins (or a retried request) saving the same new key at once: the later ones must update the first's row,
    // not fail on identity_provider_organisation_key_key. Five rounds of five at once make the overlap reliable.
    it('simultaneous configurations of the same new key all succeed on one row (no unique-constraint error)', async () => {
      const { org, admin } = await orgWithAdmin();
      const keys = ['race-a', 'race-b', 'race-c', 'race-d', 'race-e'];
      const outcomes: string[] = [];
      for (const key of keys) {
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => configure(admin.token, { organisationSlug: org.slug, key, metadataXml: idp.metadataXml })));
        outcomes.push(`${key}: ${results.map((r) => errorCode(r) ?? 'ok').join(',')}`);
      }
      expect(outcomes).toEqual(keys.map((key) => `${key}: ok,ok,ok,ok,ok`));
      expect((await tables.idps(org.id)).map((r) => r.key)).toEqual(keys);
      const audit = await tables.audit(org.id);
      expect(audit.filter((a) => a.details.created).map((a) => a.details.key)).toEqual(keys);
    });

    it("another organisation may register the same IdP entity ID: it gets an IdP of its own, and the first is untouched", async () => {
      const a = await orgWithAdmin();
      const b = await orgWithAdmin();
      expectOk(await configure(a.admin.token, { organisationSlug: a.org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const before = await tables.idps(a.org.id);
      const other = expectOk(await configure(b.admin.token, { organisationSlug: b.org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(requireGlobalId(other.id, 'IdentityProvider')).not.toBe(before[0]!.id);
      expect(await tables.idps(a.org.id)).toEqual(before);
      expect((await tables.idps(b.org.id)).map((r) => r.entity_id)).toEqual([idp.entityId]);
    });

    it('a PLATFORM_ADMIN (of another organisation) may configure any organisation', async () => {
      const { org } = await orgWithAdmin();
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const created = expectOk(await configure(platform.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(created.entityId).toBe(idp.entityId);
      const rows = await tables.idps(org.id);
      expect(rows.map((r) => r.entity_id)).toEqual([idp.entityId]);
      expect(await tables.audit(org.id)).toEqual([expect.objectContaining({ actor_member_id: platform.member.id, subject_id: rows[0]!.id })]);
    });

    describe('is refused, and nothing is written', () => {
      it("for an ORG_ADMIN of another organisation: FORBIDDEN", async () => {
        const { org } = await orgWithAdmin();
        const { admin: otherAdmin } = await orgWithAdmin();
        await expectRefusedAndNothingWritten(() => configure(otherAdmin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'FORBIDDEN');
        expect(await tables.idps(org.id)).toEqual([]);
        expect(await tables.audit(org.id)).toEqual([]);
      });

      it("for an ORG_ADMIN of another organisation, even over an IdP already configured: FORBIDDEN, and the IdP is unchanged", async () => {
        const { org, admin } = await orgWithAdmin();
        expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
        const before = await tables.idps(org.id);
        const { admin: otherAdmin } = await orgWithAdmin();
        await expectRefusedAndNothingWritten(() => configure(otherAdmin.token, { organisationSlug: org.slug, metadataXml: secondIdp.metadataXml }), 'FORBIDDEN');
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
        ['an SP\'s metadata (no IDPSSODescriptor)', (i) => i.metadataXml.replace(/IDPSSODescriptor/g, 'SPSSODescriptor'), /IDPSSODescriptor/],
        ['a certificate that is not X.509', (i) => i.metadataXml.replace(i.certificateBase64, 'bm90IGEgY2VydGlmaWNhdGU='), /not a readable X\.509/],
      ])('with metadata that has %s: BAD_USER_INPUT naming the problem', async (_name, metadata, problem) => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: org.slug, metadataXml: metadata(idp) }), 'BAD_USER_INPUT', problem);
        expect(res.errors![0]!.extensions?.field).toBe('metadataXml');
        expect(await tables.idps(org.id)).toEqual([]);
      });

      it('with invalid metadata for an IdP already configured: BAD_USER_INPUT, and the IdP keeps its metadata', async () => {
        const { org, admin } = await orgWithAdmin();
        expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
        const before = await tables.idps(org.id);
        await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataWithCertificates([]) }), 'BAD_USER_INPUT', /no signing certificate/);
        expect(await tables.idps(org.id)).toEqual(before);
      });

      it.each([['Main'], ['entra id'], ['-x'], ['k'.repeat(65)]])('with key %j: BAD_USER_INPUT naming key', async (key) => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: org.slug, key, metadataXml: idp.metadataXml }), 'BAD_USER_INPUT');
        expect([res.errors![0]!.message, ...(res.errors![0]!.extensions?.problems ?? [])].join(' ')).toMatch(/key/);
      });

      it('with attributeMapping.roleValues granting PLATFORM_ADMIN: BAD_USER_INPUT', async () => {
        const { org, admin } = await orgWithAdmin();
        const res = await expectRefusedAndNothingWritten(
          () =>
            configure(admin.token, {
              organisationSlug: org.slug,
              metadataXml: idp.metadataXml,
              attributeMapping: { roles: 'groups', roleValues: [{ value: 'pe-admins', role: 'ORG_ADMIN' }, { value: 'pe-platform', role: 'PLATFORM_ADMIN' }] },
            }),
          'BAD_USER_INPUT',
        );
        const text = [res.errors![0]!.message, ...(res.errors![0]!.extensions?.problems ?? [])].join(' ');
        expect(text).toMatch(/roleValues/);
        expect(text).toMatch(/CONTRIBUTOR or ORG_ADMIN/);
        expect(await tables.idps(org.id)).toEqual([]);
      });
    });

    it('attributeMapping with roles up to ORG_ADMIN is stored as given', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(
        await configure(admin.token, {
          organisationSlug: org.slug,
          metadataXml: idp.metadataXml,
          attributeMapping: { email: ['mail'], roles: 'groups', roleValues: [{ value: 'pe-admins', role: 'ORG_ADMIN' }, { value: 'pe-staff', role: 'CONTRIBUTOR' }] },
        }),
        'configureIdentityProvider',
      );
      const [row] = await tables.idps(org.id);
      expect(row!.attribute_mapping).toEqual({ email: ['mail'], roles: 'groups', roleValues: { 'pe-admins': 'ORG_ADMIN', 'pe-staff': 'CONTRIBUTOR' } });
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
      ['https://127.0.0.1 (a loopback address)', (base) => `${base.replace('http:', 'https:')}/metadata`, /not a public address|OUTBOUND_ALLOW_PRIVATE_NETWORKS/],
      ['https://localhost (a name that resolves to loopback)', (base) => `${base.replace('http://127.0.0.1', 'https://localhost')}/metadata`, /non-public address|OUTBOUND_ALLOW_PRIVATE_NETWORKS/],
    ])('refuses %s: BAD_USER_INPUT, and the local server receives nothing', async (_name, url, problem) => {
      const { org, admin } = await orgWithAdmin();
      const res = await expectRefusedAndNothingWritten(() => configure(admin.token, { organisationSlug: org.slug, metadataUrl: url(server.url) }), 'BAD_USER_INPUT', problem);
      expect(res.errors![0]!.message).toMatch(/^metadataUrl/);
      expect(server.connections).toBe(0);
      expect(server.requests.map((r) => r.url)).toEqual([]);
      expect(await tables.idps(org.id)).toEqual([]);
    });
  });

  describe('identityProviders(emailDomain:) for an anonymous caller', () => {
    it("lists the organisation's IdP with a login URL for it", async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(await configure(admin.token, { organisationSlug: org.slug, name: 'Council Entra ID', metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders).toEqual([{ organisation: { slug: org.slug, name: org.name }, key: 'main', name: 'Council Entra ID', loginUrl: expect.any(String) }]);
      expect(res.data!.identityProviders[0].loginUrl).toMatch(new RegExp(`^https?://[^/]+/auth/saml/${org.slug}/login$`));
    });

    it('takes an e-mail address too (in any case)', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      for (const emailDomain of [`someone@${org.slug}.gov.uk`, `Someone@${org.slug.toUpperCase()}.GOV.UK`]) {
        const res = await t.gql(DISCOVER, { emailDomain });
        expect(res.errors).toBeUndefined();
        expect(res.data!.identityProviders.map((c: any) => [c.organisation.slug, c.key])).toEqual([[org.slug, 'main']]);
      }
    });

    it('with several IdPs, lists each with ?idp=<key> in its login URL', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'main', metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'adfs', metadataXml: secondIdp.metadataXml }), 'configureIdentityProvider');
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      const choices = res.data!.identityProviders as { key: string; loginUrl: string }[];
      expect(choices.map((c) => c.key).sort()).toEqual(['adfs', 'main']);
      for (const choice of choices) expect(choice.loginUrl).toMatch(new RegExp(`/auth/saml/${org.slug}/login\\?idp=${choice.key}$`));
    });

    it('an unknown domain gives an empty list', async () => {
      const res = await t.gql(DISCOVER, { emailDomain: `nowhere-${unique()}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders).toEqual([]);
    });

    it('an organisation with no IdP gives an empty list', async () => {
      const { org } = await orgWithAdmin();
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders).toEqual([]);
    });

    it('a disabled IdP is not listed, and the remaining one needs no ?idp=', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'main', metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const off = expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'old', metadataXml: secondIdp.metadataXml, enabled: false }), 'configureIdentityProvider');
      expect(off.enabled).toBe(false);
      expect((await tables.idps(org.id)).map((r) => [r.key, r.enabled])).toEqual([
        ['main', true],
        ['old', false],
      ]);
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders.map((c: any) => c.key)).toEqual(['main']);
      expect(res.data!.identityProviders[0].loginUrl).toMatch(new RegExp(`/auth/saml/${org.slug}/login$`));
    });

    it('an organisation whose only IdP is disabled gives an empty list', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml, enabled: false }), 'configureIdentityProvider');
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders).toEqual([]);
    });
  });

  describe('node(id:) of an IdentityProvider', () => {
    let org: OrganisationEntity;
    let admin: TestMember;
    let gid: string;
    beforeAll(async () => {
      ({ org, admin } = await orgWithAdmin());
      gid = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider').id;
    });

    it("is seen by the organisation's admin", async () => {
      const res = await t.gql(NODE, { id: gid }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toEqual({ __typename: 'IdentityProvider', id: gid, key: 'main', entityId: idp.entityId });
    });

    it('is seen by a platform admin of another organisation', async () => {
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const res = await t.gql(NODE, { id: gid }, platform.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toEqual({ __typename: 'IdentityProvider', id: gid, key: 'main', entityId: idp.entityId });
    });

    it.each<[string, () => Promise<string | undefined>]>([
      ['a contributor of the organisation', async () => (await createMember(t.app, org, [Role.CONTRIBUTOR])).token],
      ["another organisation's admin", async () => (await orgWithAdmin()).admin.token],
      ["the organisation's admin with a token lacking the admin scope", async () => (await createMember(t.app, org, [Role.ORG_ADMIN], [TokenScope.READ])).token],
      ['an anonymous caller', async () => undefined],
    ])('is null for %s', async (_name, token) => {
      const res = await t.gql(NODE, { id: gid }, await token());
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toBeNull();
    });
  });

  describe('demo IdP isolation and the start page (DATABASE_URL set: demo mode off)', () => {
    it.each(['/demo-idp/metadata', '/demo-idp/sso'])('GET %s is 404', async (path) => {
      const response = await fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('EntityDescriptor');
    });

    it('POST /demo-idp/respond is 404', async () => {
      const response = await fetch(`${t.baseUrl}/demo-idp/respond`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=a%40b.gov.uk' });
      expect(response.status).toBe(404);
    });

    it("the start page's e-mail form leads to an organisation's IdP once it has one", async () => {
      const { org, admin } = await orgWithAdmin();
      const browser = new WebClient(t.baseUrl);
      await browser.get('/');
      const before = await browser.post('/sign-in', { email: `someone@${org.slug}.gov.uk` });
      expect(before.status).toBe(400);
      expect(textOf(before.html)).toContain('has not set up sign-in yet');

      expectOk(await configure(admin.token, { organisationSlug: org.slug, name: 'Council sign-in', metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const after = await browser.post('/sign-in', { email: `someone@${org.slug}.gov.uk` });
      expect([after.status, after.location]).toEqual([303, `/auth/saml/${org.slug}/login`]);
    });

    it('the start page escapes organisation and IdP names, and leaves out disabled IdPs', async () => {
      const org = await createOrganisation(t.app, { name: `<script>alert("org")</script> ${unique()}` });
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'main', name: '<img src=x onerror=alert(1)>', metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'staff', name: 'Staff sign-in', metadataXml: secondIdp.metadataXml }), 'configureIdentityProvider');
      expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'retired', metadataXml: secondIdp.metadataXml, enabled: false }), 'configureIdentityProvider');
      const browser = new WebClient(t.baseUrl);
      await browser.get('/');
      const page = (await browser.post('/sign-in', { email: `someone@${org.slug}.gov.uk` })).html;
      expect(page).toContain(`/auth/saml/${org.slug}/login?idp=main`);
      expect(page).toContain(`/auth/saml/${org.slug}/login?idp=staff`);
      expect(page).not.toContain(`/auth/saml/${org.slug}/login?idp=retired`);
      expect(page).not.toContain('<script>alert("org")');
      expect(page).not.toContain('<img src=x');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });

    it('GET / with a Bearer token says who is signed in', async () => {
      const { org } = await orgWithAdmin();
      const member = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      const response = await fetch(`${t.baseUrl}/`, { headers: { authorization: `Bearer ${member.token}` } });
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(textOf(page)).toContain(`You are signed in as ${member.member.name} of ${org.name}.`);
    });
  });
});

describe('identity providers from a metadata URL (OUTBOUND_ALLOW_PRIVATE_NETWORKS=true)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let tables: ReturnType<typeof db>;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }),
      createTestIdp({ entityId: 'https://idp.shire.test/idp/shibboleth', ssoUrl: 'https://idp.shire.test/idp/profile/SAML2/Redirect/SSO', sloUrl: 'https://idp.shire.test/idp/profile/SAML2/Redirect/SLO' }),
    ]);
    tables = db(t);
  });
  afterAll(() => t?.close());

  async function orgWithAdmin(): Promise<{ org: OrganisationEntity; admin: TestMember }> {
    const org = await createOrganisation(t.app);
    return { org, admin: await createMember(t.app, org, [Role.ORG_ADMIN]) };
  }
  const configure = (token: string, input: Record<string, unknown>) => t.gql(CONFIGURE, { input }, token);

  it('fetches the metadata from a local server, creates the IdP and stores the metadataUrl', async () => {
    const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
    try {
      const { org, admin } = await orgWithAdmin();
      const url = `${server.url}/idp/shibboleth`;
      const created = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataUrl: url }), 'configureIdentityProvider');
      expect(created).toMatchObject({ key: 'main', entityId: idp.entityId, ssoUrl: idp.ssoUrl, certificateCount: 1, metadataUrl: url, metadataError: null });
      expect(server.requests.map((r) => r.url)).toEqual(['/idp/shibboleth']);

      const rows = await tables.idps(org.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ entity_id: idp.entityId, metadata_url: url, metadata_xml: idp.metadataXml, certificates: [idp.certificateBase64], metadata_error: null });
      expect(rows[0]!.metadata_refreshed_at).toBeInstanceOf(Date);
      expect(await tables.audit(org.id)).toEqual([expect.objectContaining({ actor_member_id: admin.member.id, subject_id: rows[0]!.id })]);
    } finally {
      await server.close();
    }
  });

  it('refuses a server that redirects (the redirect is not followed): BAD_USER_INPUT, nothing written', async () => {
    const server = await startHttpPeer({
      respond: (request) => (request.url === '/moved' ? { status: 302, headers: { location: `http://${request.headers.host}/final` } } : metadataAnswer(idp.metadataXml)),
    });
    try {
      const { org, admin } = await orgWithAdmin();
      const before = await tables.counts();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataUrl: `${server.url}/moved` });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toMatch(/redirect/);
      expect(res.data?.configureIdentityProvider ?? null).toBeNull();
      expect(server.requests.map((r) => r.url)).toEqual(['/moved']);
      expect(await tables.counts()).toEqual(before);
      expect(await tables.idps(org.id)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('refuses a server that answers 404: BAD_USER_INPUT naming the status, nothing written', async () => {
    const server = await startHttpPeer({ answer: { status: 404, body: 'not here' } });
    try {
      const { org, admin } = await orgWithAdmin();
      const before = await tables.counts();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataUrl: `${server.url}/metadata` });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toContain('404');
      expect(await tables.counts()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('refuses invalid metadata served from the URL: BAD_USER_INPUT naming the problem, nothing written', async () => {
    const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataWithCertificates([])) });
    try {
      const { org, admin } = await orgWithAdmin();
      const before = await tables.counts();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataUrl: `${server.url}/metadata` });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.message).toMatch(/no signing certificate/);
      expect(await tables.counts()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it("an ORG_ADMIN of another organisation is refused before anything is fetched: FORBIDDEN, the server receives nothing", async () => {
    const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
    try {
      const { org } = await orgWithAdmin();
      const { admin: otherAdmin } = await orgWithAdmin();
      const before = await tables.counts();
      const res = await configure(otherAdmin.token, { organisationSlug: org.slug, metadataUrl: `${server.url}/metadata` });
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(server.connections).toBe(0);
      expect(await tables.counts()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  it('giving both metadataXml and metadataUrl is refused before anything is fetched: BAD_USER_INPUT, the server receives nothing', async () => {
    const server = await startHttpPeer({ answer: metadataAnswer(idp.metadataXml) });
    try {
      const { org, admin } = await orgWithAdmin();
      const before = await tables.counts();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml, metadataUrl: `${server.url}/metadata` });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(server.connections).toBe(0);
      expect(await tables.counts()).toEqual(before);
    } finally {
      await server.close();
    }
  });

  describe('refresh (the worker\'s schedule) of an IdP configured from a URL', () => {
    /** A server whose answer the test changes between fetches. */
    async function switchable(initial: { status: number; body: string }) {
      const server = await startHttpPeer({ answer: { ...metadataAnswer(initial.body), status: initial.status } });
      return { server, answer: server.answer };
    }

    async function configured(metadataUrl: string) {
      const { org, admin } = await orgWithAdmin();
      const created = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataUrl }), 'configureIdentityProvider');
      const entity = (await t.app.get(IdentityProviderRepository).findById(requireGlobalId(created.id, 'IdentityProvider')))!;
      return { org, admin, gid: created.id as string, entity };
    }
    const readBack = (gid: string, token: string) =>
      t.gql(`query($id: ID!) { node(id: $id) { ... on IdentityProvider { certificateCount metadataError metadataRefreshedAt entityId } } }`, { id: gid }, token);

    it('follows a key rollover announced in the metadata: both certificates are then accepted', async () => {
      const { server, answer } = await switchable({ status: 200, body: idp.metadataXml });
      try {
        const { org, admin, gid, entity } = await configured(`${server.url}/metadata`);
        const rollover = idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]);
        answer.body = rollover;
        const at = new Date(Date.now() + 60_000);
        await t.app.get(IdentityProviderService).refresh(entity, at);

        const [row] = await tables.idps(org.id);
        expect(row!.certificates).toHaveLength(2);
        expect(row!.certificates).toContain(idp.certificateBase64);
        expect(row!.metadata_xml).toBe(rollover);
        expect(row!.metadata_error).toBeNull();
        expect(row!.metadata_refreshed_at!.getTime()).toBe(at.getTime());
        const res = await readBack(gid, admin.token);
        expect(res.data!.node).toMatchObject({ certificateCount: 2, metadataError: null });
      } finally {
        await server.close();
      }
    });

    it.each<[string, { status: number; body: (i: TestIdp) => string }, RegExp]>([
      ['the server answers 500', { status: 500, body: () => 'oops' }, /500/],
      ['the metadata lost its signing certificate', { status: 200, body: (i) => i.metadataWithCertificates([]) }, /no signing certificate/],
      ['the metadata now names another entity', { status: 200, body: (i) => i.metadataXml.replace(`entityID="${i.entityId}"`, 'entityID="https://evil.test/idp"') }, /evil\.test/],
    ])('when %s: the metadata in force is kept and the reason recorded for the admins', async (_name, next, reason) => {
      const { server, answer } = await switchable({ status: 200, body: idp.metadataXml });
      try {
        const { org, admin, gid, entity } = await configured(`${server.url}/metadata`);
        const [before] = await tables.idps(org.id);
        answer.status = next.status;
        answer.body = next.body(idp);
        await t.app.get(IdentityProviderService).refresh(entity);

        const [after] = await tables.idps(org.id);
        expect(after).toMatchObject({ entity_id: before!.entity_id, certificates: before!.certificates, metadata_xml: before!.metadata_xml, sso_url: before!.sso_url });
        expect(after!.metadata_error).toMatch(reason);
        const res = await readBack(gid, admin.token);
        expect(res.data!.node.metadataError).toMatch(reason);
        expect(res.data!.node.entityId).toBe(idp.entityId);
      } finally {
        await server.close();
      }
    });
  });
});
