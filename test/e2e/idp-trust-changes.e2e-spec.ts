import { randomUUID } from 'node:crypto';
import { AppConfig } from '#config';
import {
  OPERATOR,
  IdentityProviderRepository,
  IdentityProviderService,
  MemberIdentityRepository,
  Role,
  requireGlobalId,
  toGlobalId,
  type OrganisationEntity,
} from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { metadataAnswer, startHttpPeer } from '../support/http-peer.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type SigningKey, type TestIdp } from '../support/saml-idp.js';
import { errorCode, expectOk, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * No one becomes a platform admin through an organisation's IdP. An organisation's admin may change its IdP's trust
 * (entity ID, signing certificates, metadata source), but until a platform admin confirms the change, no member who
 * holds PLATFORM_ADMIN signs in through it. Two real signing IdPs with different keys: the council's, and the one an
 * attacker who is the organisation's admin controls.
 */

const STATE_COOKIE = 'pe_saml_state';
const SESSION_COOKIE = 'pe_session';
const IDP_FIELDS = 'id key entityId certificateCount metadataUrl trustConfirmed trustChangedAt trustConfirmedAt';
const CONFIGURE = `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { ${IDP_FIELDS} } }`;
/** Selects no field of this change, so the attack itself reads the same on any version of the schema. */
const CONFIGURE_ID = `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { id entityId } }`;
const CONFIRM = `mutation($input: ConfirmIdentityProviderTrustInput!) { confirmIdentityProviderTrust(input: $input) { ${IDP_FIELDS} } }`;
const NODE = `query($id: ID!) { node(id: $id) { ... on IdentityProvider { ${IDP_FIELDS} } } }`;

interface Org {
  organisation: OrganisationEntity;
  slug: string;
  domain: string;
  admin: TestMember;
  urls: { acs: string; entityId: string };
}

/** A member who signs in through the organisation's IdP with `nameId`. */
interface Person {
  member: TestMember;
  nameId: string;
}

interface AcsResult {
  status: number;
  location: string | null;
  hasSession: boolean;
  text: string;
}

describe('IdP trust changes and platform admins', () => {
  let t: TestApp;
  let config: AppConfig;
  /** The council's real IdP. */
  let council: TestIdp;
  /** An IdP the organisation's admin controls, with its own key. */
  let attacker: TestIdp;
  /** A platform admin of another organisation: the one who confirms. */
  let platform: TestMember;

  beforeAll(async () => {
    [t, council, attacker] = await Promise.all([
      startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({ entityId: 'https://idp.attacker.test/saml', ssoUrl: 'https://idp.attacker.test/sso', sloUrl: 'https://idp.attacker.test/slo' }),
    ]);
    config = t.app.get(AppConfig);
    platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
  });
  afterAll(() => t.close());

  const configure = (token: string, input: Record<string, unknown>) => t.gql(CONFIGURE, { input }, token);
  const confirm = (token: string, id: string) => t.gql(CONFIRM, { input: { id } }, token);

  /** An organisation with an admin, whose IdP `main` the platform admin configured from the council's metadata (so its trust is confirmed). */
  async function orgWithCouncilIdp(): Promise<Org & { idpId: string }> {
    const organisation = await createOrganisation(t.app);
    const admin = await createMember(t.app, organisation, [Role.ORG_ADMIN]);
    const created = expectOk(
      await t.gql(CONFIGURE_ID, { input: { organisationSlug: organisation.slug, metadataXml: council.metadataXml } }, platform.token),
      'configureIdentityProvider',
    );
    const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
    return {
      organisation,
      slug: organisation.slug,
      domain: `${organisation.slug}.gov.uk`,
      admin,
      urls: { acs: `${base}/acs`, entityId: `${base}/metadata` },
      idpId: created.id,
    };
  }

  /** A member with `roles` already linked to the organisation's IdP `main` by a NameID (as after an earlier sign-in). */
  async function linkedMember(org: Org, roles: Role[]): Promise<Person> {
    const member = await createMember(t.app, org.organisation, roles);
    const idp = (await t.app.get(IdentityProviderRepository).findByKey(org.organisation.id, 'main'))!;
    const nameId = `nid-${unique()}`;
    await t.app
      .get(MemberIdentityRepository)
      .insert({ identityProviderId: idp.id, nameId, nameIdFormat: NAMEID_FORMAT.persistent, memberId: member.member.id });
    return { member, nameId };
  }

  /** A whole browser sign-in as `person`, answered by `by` (signed with `signWith`, by default that IdP's own key). */
  async function signIn(org: Org, person: Person, by: TestIdp, signWith?: SigningKey): Promise<AcsResult> {
    const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const state = login.headers
      .getSetCookie()
      .find((c) => c.startsWith(`${STATE_COOKIE}=`))!
      .split(';')[0]!
      .split('=')[1]!;
    const requestId = parseAuthnRequest(login.headers.get('location')!).id;
    const samlResponse = by.loginResponse({
      acsUrl: org.urls.acs,
      spEntityId: org.urls.entityId,
      inResponseTo: requestId,
      nameId: person.nameId,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: person.member.member.email, displayName: person.member.member.name },
      ...(signWith ? { signWith } : {}),
    });
    const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${STATE_COOKIE}=${state}` },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    const html = await response.text();
    return {
      status: response.status,
      location: response.headers.get('location'),
      hasSession: response.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`)),
      text: html
        .replace(/<(style|title)>[\s\S]*?<\/\1>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/&#39;/g, "'")
        .replace(/\s+/g, ' ')
        .trim(),
    };
  }

  const expectSignedIn = (result: AcsResult) =>
    expect({ status: result.status, hasSession: result.hasSession, text: result.status === 303 ? '' : result.text }).toEqual({
      status: 303,
      hasSession: true,
      text: '',
    });

  const liveSessions = async (memberId: string): Promise<number> =>
    Number((await t.dataSource.query('SELECT count(*) FROM session WHERE member_id = $1 AND revoked_at IS NULL', [memberId]))[0].count);

  async function auditOf(org: Org, action: string): Promise<{ actor_member_id: string | null; subject_id: string | null; details: Record<string, any> }[]> {
    return t.dataSource.query(
      'SELECT actor_member_id, subject_id, details FROM audit_event WHERE action = $1 AND organisation_id = $2 ORDER BY occurred_at, id',
      [action, org.organisation.id],
    );
  }

  describe('an ORG_ADMIN re-points the IdP at an IdP they control', () => {
    it("asserting a platform admin's NameID is refused with the reason, audited, and no session; a member without the role still signs in", async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      const officer = await linkedMember(org, [Role.CONTRIBUTOR]);
      expectSignedIn(await signIn(org, admin, council));
      const sessionsBefore = await liveSessions(admin.member.member.id);

      // Same key "main", the attacker's entity ID, endpoints and certificate.
      const changed = await t.gql(CONFIGURE_ID, { input: { organisationSlug: org.slug, metadataXml: attacker.metadataXml } }, org.admin.token);
      expect(expectOk(changed, 'configureIdentityProvider')).toEqual({ id: org.idpId, entityId: attacker.entityId });

      const refused = await signIn(org, admin, attacker);
      expect({ status: refused.status, location: refused.location, hasSession: refused.hasSession }).toEqual({
        status: 400,
        location: null,
        hasSession: false,
      });
      expect(refused.text).toMatch(/platform admin must confirm/i);
      expect(await liveSessions(admin.member.member.id)).toBe(sessionsBefore);
      expect((await auditOf(org, 'SIGN_IN_REFUSED')).map((a) => [a.subject_id, a.details.reason])).toEqual([
        [requireGlobalId(org.idpId, 'IdentityProvider'), 'TRUST_CHANGE_UNCONFIRMED'],
      ]);

      // The admins see the change awaiting confirmation, who made it, and the audit says so.
      expect((await t.gql(NODE, { id: org.idpId }, org.admin.token)).data!.node).toMatchObject({
        trustConfirmed: false,
        trustChangedAt: expect.any(String),
        trustConfirmedAt: null,
      });
      const [row] = await t.dataSource.query('SELECT trust_changed_by_member_id, trust_confirmed_at FROM identity_provider WHERE id = $1', [
        requireGlobalId(org.idpId, 'IdentityProvider'),
      ]);
      expect(row).toEqual({ trust_changed_by_member_id: org.admin.member.id, trust_confirmed_at: null });
      expect((await auditOf(org, 'IDP_CHANGED')).at(-1)).toMatchObject({
        actor_member_id: org.admin.member.id,
        details: expect.objectContaining({ trustChanged: true, trustConfirmed: false }),
      });

      // The organisation's admin controls its IdP anyway: its members without the role are not held up.
      expectSignedIn(await signIn(org, officer, attacker));
    });

    it('after a platform admin confirms the change (audited), the platform admin signs in through it', async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      expectOk(await configure(org.admin.token, { organisationSlug: org.slug, metadataXml: attacker.metadataXml }), 'configureIdentityProvider');
      expect((await signIn(org, admin, attacker)).status).toBe(400);

      const confirmed = expectOk(await confirm(platform.token, org.idpId), 'confirmIdentityProviderTrust');
      expect(confirmed).toMatchObject({ id: org.idpId, trustConfirmed: true, trustConfirmedAt: expect.any(String) });
      expect(await auditOf(org, 'IDP_TRUST_CONFIRMED')).toEqual([
        {
          actor_member_id: platform.member.id,
          subject_id: requireGlobalId(org.idpId, 'IdentityProvider'),
          details: expect.objectContaining({ key: 'main', entityId: attacker.entityId }),
        },
      ]);
      expect((await t.gql(NODE, { id: org.idpId }, org.admin.token)).data!.node.trustConfirmed).toBe(true);

      expectSignedIn(await signIn(org, admin, attacker));
    });

    it('a change of certificates alone (same entity ID) is a trust change too', async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      const sameEntityOtherKey = council.metadataWithCertificates([council.otherKey.certificate]);
      expect(
        expectOk(await configure(org.admin.token, { organisationSlug: org.slug, metadataXml: sameEntityOtherKey }), 'configureIdentityProvider').trustConfirmed,
      ).toBe(false);
      const refused = await signIn(org, admin, council, council.otherKey);
      expect({ status: refused.status, hasSession: refused.hasSession }).toEqual({ status: 400, hasSession: false });
      expect((await auditOf(org, 'SIGN_IN_REFUSED')).map((a) => a.details.reason)).toEqual(['TRUST_CHANGE_UNCONFIRMED']);
    });

    it("re-saving the IdP's own metadata, a name or settings is no trust change: the IdP stays confirmed", async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      const saved = expectOk(
        await configure(org.admin.token, {
          organisationSlug: org.slug,
          name: 'Council sign-in',
          metadataXml: council.metadataXml,
          wantAuthnResponseSigned: false,
        }),
        'configureIdentityProvider',
      );
      expect(saved.trustConfirmed).toBe(true);
      expectSignedIn(await signIn(org, admin, council));
    });

    it('an IdP the ORG_ADMIN created is unconfirmed until a platform admin confirms it', async () => {
      const organisation = await createOrganisation(t.app);
      const orgAdmin = await createMember(t.app, organisation, [Role.ORG_ADMIN]);
      const created = expectOk(
        await configure(orgAdmin.token, { organisationSlug: organisation.slug, metadataXml: attacker.metadataXml }),
        'configureIdentityProvider',
      );
      expect(created).toMatchObject({ trustConfirmed: false, trustChangedAt: expect.any(String) });
      const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
      const org: Org = {
        organisation,
        slug: organisation.slug,
        domain: `${organisation.slug}.gov.uk`,
        admin: orgAdmin,
        urls: { acs: `${base}/acs`, entityId: `${base}/metadata` },
      };
      // A member later made platform admin, linked to this IdP.
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      expect((await signIn(org, admin, attacker)).status).toBe(400);
      expectOk(await confirm(platform.token, created.id), 'confirmIdentityProviderTrust');
      expectSignedIn(await signIn(org, admin, attacker));
    });
  });

  describe('confirmIdentityProviderTrust', () => {
    it.each<[string, (org: Org) => Promise<string>, string]>([
      ["the organisation's own ORG_ADMIN", async (org) => org.admin.token, 'FORBIDDEN'],
      ["another organisation's ORG_ADMIN", async () => (await createMember(t.app, await createOrganisation(t.app), [Role.ORG_ADMIN])).token, 'NOT_FOUND'],
      ['a CONTRIBUTOR of the organisation', async (org) => (await createMember(t.app, org.organisation, [Role.CONTRIBUTOR])).token, 'FORBIDDEN'],
    ])('is refused for %s, and the change stays unconfirmed', async (_name, token, code) => {
      const org = await orgWithCouncilIdp();
      expectOk(await configure(org.admin.token, { organisationSlug: org.slug, metadataXml: attacker.metadataXml }), 'configureIdentityProvider');
      const res = await confirm(await token(org), org.idpId);
      expect({ code: errorCode(res), data: res.data?.confirmIdentityProviderTrust ?? null }).toEqual({ code, data: null });
      expect((await t.gql(NODE, { id: org.idpId }, platform.token)).data!.node.trustConfirmed).toBe(false);
      expect(await auditOf(org, 'IDP_TRUST_CONFIRMED')).toEqual([]);
    });

    it("an unknown id is NOT_FOUND, another type's id BAD_USER_INPUT", async () => {
      expect(errorCode(await confirm(platform.token, toGlobalId('IdentityProvider', randomUUID())))).toBe('NOT_FOUND');
      expect(errorCode(await confirm(platform.token, platform.id))).toBe('BAD_USER_INPUT');
    });
  });

  describe('changes that need no confirmation', () => {
    it("a platform admin's own change is confirmed at once", async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      const changed = expectOk(await configure(platform.token, { organisationSlug: org.slug, metadataXml: attacker.metadataXml }), 'configureIdentityProvider');
      expect(changed).toMatchObject({ entityId: attacker.entityId, trustConfirmed: true });
      expectSignedIn(await signIn(org, admin, attacker));
    });

    it("the operator's change is confirmed at once", async () => {
      const org = await orgWithCouncilIdp();
      const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);
      expectOk(await configure(org.admin.token, { organisationSlug: org.slug, metadataXml: attacker.metadataXml }), 'configureIdentityProvider');
      const saved = await t.app.get(IdentityProviderService).configure(OPERATOR, { organisationSlug: org.slug, metadataXml: attacker.metadataXml });
      expect(saved.trustConfirmedAt).toBeInstanceOf(Date);
      expectSignedIn(await signIn(org, admin, attacker));
    });

    it('a scheduled refresh from the confirmed metadata URL follows a key rollover and keeps the IdP confirmed', async () => {
      const server = await startHttpPeer({ answer: metadataAnswer(council.metadataXml) });
      try {
        const organisation = await createOrganisation(t.app);
        const orgAdmin = await createMember(t.app, organisation, [Role.ORG_ADMIN]);
        const created = expectOk(
          await configure(platform.token, { organisationSlug: organisation.slug, metadataUrl: `${server.url}/metadata` }),
          'configureIdentityProvider',
        );
        expect(created.trustConfirmed).toBe(true);
        const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
        const org: Org = {
          organisation,
          slug: organisation.slug,
          domain: `${organisation.slug}.gov.uk`,
          admin: orgAdmin,
          urls: { acs: `${base}/acs`, entityId: `${base}/metadata` },
        };
        const admin = await linkedMember(org, [Role.PLATFORM_ADMIN]);

        // The IdP publishes its next key beside the current one; the worker's refresh takes it.
        server.answer = metadataAnswer(council.metadataWithCertificates([council.certificate, council.otherKey.certificate]));
        const entity = (await t.app.get(IdentityProviderRepository).findById(requireGlobalId(created.id, 'IdentityProvider')))!;
        await t.app.get(IdentityProviderService).refresh(entity);
        const after = (await t.gql(NODE, { id: created.id }, platform.token)).data!.node;
        expect(after).toMatchObject({ certificateCount: 2, trustConfirmed: true });
        expect(await auditOf(org, 'IDP_CHANGED')).toEqual([
          expect.anything(),
          expect.objectContaining({ actor_member_id: null, details: expect.objectContaining({ reason: 'metadata refresh' }) }),
        ]);

        // Signed with the new key: the platform admin signs in.
        expectSignedIn(await signIn(org, admin, council, council.otherKey));
      } finally {
        await server.close();
      }
    });

    it('an ORG_ADMIN pointing the metadata URL elsewhere is a trust change, and a refresh from there keeps it unconfirmed', async () => {
      const [confirmedSource, elsewhere] = await Promise.all([
        startHttpPeer({ answer: metadataAnswer(council.metadataXml) }),
        startHttpPeer({ answer: metadataAnswer(council.metadataXml) }),
      ]);
      try {
        const organisation = await createOrganisation(t.app);
        const orgAdmin = await createMember(t.app, organisation, [Role.ORG_ADMIN]);
        const created = expectOk(
          await configure(platform.token, { organisationSlug: organisation.slug, metadataUrl: `${confirmedSource.url}/metadata` }),
          'configureIdentityProvider',
        );
        const moved = expectOk(
          await configure(orgAdmin.token, { organisationSlug: organisation.slug, metadataUrl: `${elsewhere.url}/metadata?v=2` }),
          'configureIdentityProvider',
        );
        expect(moved).toMatchObject({ id: created.id, trustConfirmed: false });
        elsewhere.answer = metadataAnswer(attacker.metadataXml.replace(attacker.entityId, council.entityId));
        const entity = (await t.app.get(IdentityProviderRepository).findById(requireGlobalId(created.id, 'IdentityProvider')))!;
        await t.app.get(IdentityProviderService).refresh(entity);
        expect((await t.gql(NODE, { id: created.id }, platform.token)).data!.node).toMatchObject({ trustConfirmed: false });
      } finally {
        await Promise.all([confirmedSource.close(), elsewhere.close()]);
      }
    });
  });
});
