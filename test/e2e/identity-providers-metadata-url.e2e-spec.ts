import { IdentityProviderRepository, IdentityProviderService, Role, requireGlobalId, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { metadataAnswer, startHttpPeer } from '../support/http-peer.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { errorCode, expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { CONFIGURE, db } from '../support/identity-providers.js';

/**
 * IdP configuration, discovery and demo-IdP isolation through the real API (README, "Connect your organisation's IdP"):
 * who may configure an organisation's identity providers, what metadata is accepted (XML or a URL fetched under the
 * outbound rules), what an anonymous caller learns from `identityProviders`, and who can read an IdP by `node(id:)`.
 * Each case checks the response and the identity_provider and audit_event (IDP_CHANGED) rows.
 */
describe('identity providers from a metadata URL (OUTBOUND_ALLOW_PRIVATE_NETWORKS=true)', () => {
  let t: TestApp;
  let idp: TestIdp;
  let tables: ReturnType<typeof db>;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }),
      createTestIdp({
        entityId: 'https://idp.shire.test/idp/shibboleth',
        ssoUrl: 'https://idp.shire.test/idp/profile/SAML2/Redirect/SSO',
        sloUrl: 'https://idp.shire.test/idp/profile/SAML2/Redirect/SLO',
      }),
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
      expect(rows[0]).toMatchObject({
        entity_id: idp.entityId,
        metadata_url: url,
        metadata_xml: idp.metadataXml,
        certificates: [idp.certificateBase64],
        metadata_error: null,
      });
      expect(rows[0]!.metadata_refreshed_at).toBeInstanceOf(Date);
      expect(await tables.audit(org.id)).toEqual([expect.objectContaining({ actor_member_id: admin.member.id, subject_id: rows[0]!.id })]);
    } finally {
      await server.close();
    }
  });

  it('refuses a server that redirects (the redirect is not followed): BAD_USER_INPUT, nothing written', async () => {
    const server = await startHttpPeer({
      respond: (request) =>
        request.url === '/moved' ? { status: 302, headers: { location: `http://${request.headers.host}/final` } } : metadataAnswer(idp.metadataXml),
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

  it('an ORG_ADMIN of another organisation is refused before anything is fetched: FORBIDDEN, the server receives nothing', async () => {
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

  describe("refresh (the worker's schedule) of an IdP configured from a URL", () => {
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
      t.gql(
        `query($id: ID!) { node(id: $id) { ... on IdentityProvider { certificateCount metadataError metadataRefreshedAt entityId } } }`,
        { id: gid },
        token,
      );

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
      [
        'the metadata now names another entity',
        { status: 200, body: (i) => i.metadataXml.replace(`entityID="${i.entityId}"`, 'entityID="https://evil.test/idp"') },
        /evil\.test/,
      ],
    ])('when %s: the metadata in force is kept and the reason recorded for the admins', async (_name, next, reason) => {
      const { server, answer } = await switchable({ status: 200, body: idp.metadataXml });
      try {
        const { org, admin, gid, entity } = await configured(`${server.url}/metadata`);
        const [before] = await tables.idps(org.id);
        answer.status = next.status;
        answer.body = next.body(idp);
        await t.app.get(IdentityProviderService).refresh(entity);

        const [after] = await tables.idps(org.id);
        expect(after).toMatchObject({
          entity_id: before!.entity_id,
          certificates: before!.certificates,
          metadata_xml: before!.metadata_xml,
          sso_url: before!.sso_url,
        });
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
