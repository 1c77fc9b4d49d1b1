import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AppConfig } from '#config';
import { IdentityProviderRepository, Role, toGlobalId, type AttributeMapping, type IdentityProviderEntity, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type ResponseParams, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * SAML sign-in end to end: the browser's login redirect, the IdP's POST to the ACS, the session cookie, and every
 * forged or misdirected response (unsigned, signature wrapping, expired, misaddressed, replayed) refused with no
 * session, no member and an audit entry. The IdP is the test fixture, which signs real responses with a generated key.
 */

const STATE_COOKIE = 'pe_saml_state';
const SESSION_COOKIE = 'pe_session';
const ME = '{ me { name email roles organisation { slug } } }';

interface SetCookie {
  name: string;
  value: string;
  /** The attributes after the value, as sent (`HttpOnly`, `SameSite=Lax`, ...). */
  attributes: string[];
}

/** The cookies a response sets, by name (Node's fetch keeps every Set-Cookie header apart). */
function setCookies(response: Response): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of response.headers.getSetCookie()) {
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    const at = pair!.indexOf('=');
    const name = pair!.slice(0, at);
    out.set(name, { name, value: pair!.slice(at + 1), attributes });
  }
  return out;
}

interface Org {
  organisation: OrganisationEntity;
  slug: string;
  domain: string;
  idpRecord: IdentityProviderEntity;
  idp: TestIdp;
  /** What the SP expects (from PUBLIC_URL): the response's Destination, Recipient and Audience. */
  urls: { acs: string; entityId: string; slo: string };
}

interface Login {
  state: string;
  requestId: string;
  location: string;
}

interface AcsResult {
  status: number;
  location: string | null;
  cookies: Map<string, SetCookie>;
  body: string;
}

describe('SAML sign-in through the ACS', () => {
  let t: TestApp;
  let config: AppConfig;
  /** The IdP most organisations here use. */
  let idp: TestIdp;
  /** A second, unrelated IdP (another organisation's). */
  let otherIdp: TestIdp;

  beforeAll(async () => {
    [t, idp, otherIdp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.council.test/saml', ssoUrl: 'https://idp.council.test/sso', sloUrl: 'https://idp.council.test/slo' }),
      createTestIdp({ entityId: 'https://idp.other.test/saml', ssoUrl: 'https://idp.other.test/sso', sloUrl: 'https://idp.other.test/slo' }),
    ]);
    config = t.app.get(AppConfig);
  });
  afterAll(() => t.close());

  // -------------------------------------------------------------------------------------------------------------
  // Set-up and the browser's steps

  async function setUpOrg(options: { idp?: TestIdp; attributeMapping?: AttributeMapping; wantAuthnResponseSigned?: boolean } = {}): Promise<Org> {
    const organisation = await createOrganisation(t.app);
    const orgIdp = options.idp ?? idp;
    const { idp: idpRecord } = await t.app.get(IdentityProviderRepository).save({
      organisationId: organisation.id,
      key: 'main',
      name: 'Test IdP',
      entityId: orgIdp.entityId,
      ssoUrl: orgIdp.ssoUrl,
      sloUrl: orgIdp.sloUrl,
      certificates: [orgIdp.certificateBase64],
      attributeMapping: options.attributeMapping ?? {},
      ...(options.wantAuthnResponseSigned !== undefined ? { wantAuthnResponseSigned: options.wantAuthnResponseSigned } : {}),
    });
    const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
    return {
      organisation,
      slug: organisation.slug,
      domain: `${organisation.slug}.gov.uk`,
      idpRecord,
      idp: orgIdp,
      urls: { acs: `${base}/acs`, entityId: `${base}/metadata`, slo: `${base}/slo` },
    };
  }

  /** GET /login as a browser: the redirect to the IdP, the state cookie, and the AuthnRequest's ID. */
  async function startLogin(org: Org, returnTo = '/practices'): Promise<Login> {
    const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location.startsWith(`${org.idp.ssoUrl}?`)).toBe(true);
    expect(new URL(location).searchParams.get('SAMLRequest')).toBeTruthy();
    const state = setCookies(response).get(STATE_COOKIE);
    expect(state).toBeDefined();
    // The IdP's POST back is cross-site: only a SameSite=None (hence Secure) cookie comes with it.
    expect(state!.attributes.map((a) => a.toLowerCase())).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=none', `path=/auth/saml/${org.slug}`]));
    return { state: state!.value, requestId: parseAuthnRequest(location).id, location };
  }

  /** The IdP's auto-submitted form: POST SAMLResponse to an organisation's ACS, with the state cookie when given. */
  async function postAcs(slug: string, samlResponse: string, state?: string | null): Promise<AcsResult> {
    const response = await fetch(`${t.baseUrl}/auth/saml/${slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(state ? { cookie: `${STATE_COOKIE}=${state}` } : {}) },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    return { status: response.status, location: response.headers.get('location'), cookies: setCookies(response), body: await response.text() };
  }

  /** A good response to `login`: persistent NameID, mail in the organisation's domain, a display name. */
  function params(org: Org, login: Login | null, overrides: Partial<ResponseParams> = {}): ResponseParams {
    return {
      acsUrl: org.urls.acs,
      spEntityId: org.urls.entityId,
      ...(login ? { inResponseTo: login.requestId } : {}),
      nameId: `nid-${unique()}`,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: `officer@${org.domain}`, displayName: 'A. Officer' },
      sessionIndex: `_si-${unique()}`,
      ...overrides,
    };
  }

  /** A whole good sign-in; returns the ACS answer and the parameters used. */
  async function signIn(org: Org, overrides: Partial<ResponseParams> = {}, returnTo = '/practices') {
    const login = await startLogin(org, returnTo);
    const p = params(org, login, overrides);
    const result = await postAcs(org.slug, org.idp.loginResponse(p), login.state);
    return { result, login, params: p };
  }

  /** The refusal's reason and message from the error page, so a failed sign-in says why. */
  function refusalOf(result: AcsResult): string | null {
    if (result.status === 303) return null;
    const text = result.body.replace(/<(style|title)>[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, ' ').trim();
    return text;
  }

  /** The sign-in went through (on failure, the message shows the refusal page's text). */
  function expectSignedIn(result: AcsResult, location?: string): void {
    expect({ status: result.status, refusal: refusalOf(result) }).toEqual({ status: 303, refusal: null });
    if (location !== undefined) expect(result.location).toBe(location);
    expect(result.cookies.has(SESSION_COOKIE)).toBe(true);
  }

  async function gqlWithCookie(query: string, cookie: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${cookie}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }) };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Database state

  const count = async (sql: string, args: unknown[] = []): Promise<number> => Number((await t.dataSource.query(sql, args))[0].count);

  interface Snapshot {
    sessions: number;
    members: number;
    identities: number;
    refusalIds: Set<string>;
  }

  async function snapshot(): Promise<Snapshot> {
    const refusals = (await t.dataSource.query(`SELECT id FROM audit_event WHERE action = 'SIGN_IN_REFUSED'`)) as { id: string }[];
    return {
      sessions: await count('SELECT count(*) FROM session'),
      members: await count('SELECT count(*) FROM member'),
      identities: await count('SELECT count(*) FROM member_identity'),
      refusalIds: new Set(refusals.map((r) => r.id)),
    };
  }

  /** SIGN_IN_REFUSED rows written since `before`. */
  async function newRefusals(before: Snapshot): Promise<{ organisation_id: string | null; subject_id: string | null; details: { reason: string; path: string } }[]> {
    const rows = (await t.dataSource.query(`SELECT id, organisation_id, subject_id, details FROM audit_event WHERE action = 'SIGN_IN_REFUSED' ORDER BY occurred_at`)) as {
      id: string;
      organisation_id: string | null;
      subject_id: string | null;
      details: { reason: string; path: string };
    }[];
    return rows.filter((r) => !before.refusalIds.has(r.id));
  }

  /**
   * The response was refused: a 400 page, no session cookie, no session, member or identity row, and one
   * SIGN_IN_REFUSED audit row for this ACS with one of `reasons` (any reason when none are given).
   */
  async function expectRefused(before: Snapshot, result: AcsResult, slug: string, reasons?: string[]): Promise<string> {
    expect({ status: result.status, location: result.location }).toEqual({ status: 400, location: null });
    expect(result.cookies.has(SESSION_COOKIE)).toBe(false);
    const after = await snapshot();
    expect({ sessions: after.sessions, members: after.members, identities: after.identities }).toEqual({ sessions: before.sessions, members: before.members, identities: before.identities });
    const refusals = await newRefusals(before);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.details.path).toBe(`/auth/saml/${slug}/acs`);
    if (reasons) expect(reasons).toContain(refusals[0]!.details.reason);
    expect(result.body).toContain('Sign-in did not work');
    return refusals[0]!.details.reason;
  }

  async function refusedFor(org: Org, build: (p: ResponseParams) => string, overrides: Partial<ResponseParams> = {}, reasons?: string[]): Promise<string> {
    const login = await startLogin(org);
    const before = await snapshot();
    const result = await postAcs(org.slug, build(params(org, login, overrides)), login.state);
    return expectRefused(before, result, org.slug, reasons);
  }

  // -------------------------------------------------------------------------------------------------------------

  describe('a good sign-in', () => {
    it('answers 303 to returnTo with an HttpOnly, SameSite=Lax session cookie (not Secure over http), a new member, its identity, a session and a SIGN_IN audit row', async () => {
      const org = await setUpOrg();
      const before = await snapshot();
      const { result, params: p } = await signIn(org);

      expectSignedIn(result);
      expect(result.location).toBe('/practices');
      const cookie = result.cookies.get(SESSION_COOKIE);
      expect(cookie).toBeDefined();
      expect(cookie!.value).toMatch(/^ps_[0-9a-f]{32}_[0-9a-f]{64}$/);
      const attributes = cookie!.attributes.map((a) => a.toLowerCase());
      expect(attributes).toContain('httponly');
      expect(attributes).toContain('samesite=lax');
      expect(attributes).toContain('path=/');
      expect(attributes).not.toContain('secure');
      expect(config.publicUrl.startsWith('http:')).toBe(true);

      const members = await t.dataSource.query('SELECT id, name, email, roles, deactivated_at FROM member WHERE organisation_id = $1', [org.organisation.id]);
      expect(members).toEqual([{ id: expect.any(String), name: 'A. Officer', email: `officer@${org.domain}`, roles: expect.anything(), deactivated_at: null }]);
      const memberId = members[0].id as string;
      const identities = await t.dataSource.query('SELECT identity_provider_id, name_id, name_id_format FROM member_identity WHERE member_id = $1', [memberId]);
      expect(identities).toEqual([{ identity_provider_id: org.idpRecord.id, name_id: p.nameId, name_id_format: NAMEID_FORMAT.persistent }]);
      const sessions = await t.dataSource.query('SELECT identity_provider_id, name_id, session_index, revoked_at FROM session WHERE member_id = $1', [memberId]);
      expect(sessions).toEqual([{ identity_provider_id: org.idpRecord.id, name_id: p.nameId, session_index: p.sessionIndex, revoked_at: null }]);
      expect(await count(`SELECT count(*) FROM audit_event WHERE action = 'SIGN_IN' AND subject_id = $1 AND organisation_id = $2`, [memberId, org.organisation.id])).toBe(1);
      expect(await newRefusals(before)).toEqual([]);
      expect((await snapshot()).sessions).toBe(before.sessions + 1);

      const me = await gqlWithCookie(ME, cookie!.value);
      expect(me.errors).toBeUndefined();
      expect(me.data.me).toEqual({ name: 'A. Officer', email: `officer@${org.domain}`, roles: [], organisation: { slug: org.slug } });
    });

    it('keys the member on (IdP record, NameID): a second sign-in updates the name and creates no second member, with a fresh session', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const first = await signIn(org, { nameId });
      expectSignedIn(first.result);
      const second = await signIn(org, { nameId, attributes: { mail: `officer@${org.domain}`, displayName: 'Alex Officer' } });
      expectSignedIn(second.result);

      const members = await t.dataSource.query('SELECT id, name, email FROM member WHERE organisation_id = $1', [org.organisation.id]);
      expect(members).toEqual([{ id: expect.any(String), name: 'Alex Officer', email: `officer@${org.domain}` }]);
      expect(await count('SELECT count(*) FROM member_identity WHERE identity_provider_id = $1', [org.idpRecord.id])).toBe(1);
      const firstCookie = first.result.cookies.get(SESSION_COOKIE)!.value;
      const secondCookie = second.result.cookies.get(SESSION_COOKIE)!.value;
      expect(secondCookie).not.toBe(firstCookie);
      expect(secondCookie.split('_')[1]).not.toBe(firstCookie.split('_')[1]);
      expect((await gqlWithCookie(ME, secondCookie)).data.me).toMatchObject({ name: 'Alex Officer', email: `officer@${org.domain}` });
    });

    it('the same NameID from another organisation\'s IdP record is another person', async () => {
      const a = await setUpOrg();
      const b = await setUpOrg();
      const nameId = `nid-${unique()}`;
      expectSignedIn((await signIn(a, { nameId })).result);
      expectSignedIn((await signIn(b, { nameId, attributes: { mail: `officer@${b.domain}`, displayName: 'B. Officer' } })).result);
      const rows = await t.dataSource.query('SELECT m.organisation_id, mi.identity_provider_id FROM member_identity mi JOIN member m ON m.id = mi.member_id WHERE mi.name_id = $1 ORDER BY m.email', [nameId]);
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((r: { organisation_id: string }) => r.organisation_id))).toEqual(new Set([a.organisation.id, b.organisation.id]));
    });

    it('accepts an assertion encrypted for the SP certificate (the key pair under DATA_DIR)', async () => {
      const org = await setUpOrg();
      const spCertificate = readFileSync(path.join(config.dataDir, 'saml-sp', 'sp.crt'), 'utf8');
      const { result, params: p } = await signIn(org, { encryptFor: spCertificate });
      expectSignedIn(result);
      expect(result.cookies.has(SESSION_COOKIE)).toBe(true);
      expect(await count('SELECT count(*) FROM member_identity WHERE identity_provider_id = $1 AND name_id = $2', [org.idpRecord.id, p.nameId])).toBe(1);
    });

    it('takes roles from the configured attribute, never above ORG_ADMIN', async () => {
      const org = await setUpOrg({ attributeMapping: { roles: 'groups', roleValues: { 'pe-admins': 'ORG_ADMIN', 'pe-root': 'PLATFORM_ADMIN' } } });
      const { result, params: p } = await signIn(org, {
        attributes: { mail: `admin@${org.domain}`, displayName: 'An Admin', groups: ['pe-admins', 'pe-root', 'PLATFORM_ADMIN', 'staff'] },
      });
      expectSignedIn(result);
      const rows = await t.dataSource.query('SELECT m.roles FROM member m JOIN member_identity mi ON mi.member_id = m.id WHERE mi.identity_provider_id = $1 AND mi.name_id = $2', [org.idpRecord.id, p.nameId]);
      expect(rows).toHaveLength(1);
      const roles = typeof rows[0].roles === 'string' ? (rows[0].roles as string).replace(/[{}]/g, '').split(',').filter(Boolean) : rows[0].roles;
      expect(roles).toEqual([Role.ORG_ADMIN]);
      const me = await gqlWithCookie(ME, result.cookies.get(SESSION_COOKIE)!.value);
      expect(me.data.me.roles).toEqual([Role.ORG_ADMIN]);
    });

    it.each([
      ['//evil.example', '//evil.example/x'],
      ['https://evil.example', 'https://evil.example/'],
      ['/\\evil', '/\\evil.example'],
      // The URL parser normalises these to //evil.example: the check must hold after normalisation.
      ['/.//evil.example', '/./../..//evil.example'],
      ['/%2f%2fevil.example', '/%5cevil.example'],
    ])('replaces returnTo=%s (and %s) by /', async (first, second) => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      for (const returnTo of [first, second]) {
        const { result } = await signIn(org, { nameId }, returnTo);
        expectSignedIn(result);
        expect(result.location).toBe('/');
      }
    });

    it('keeps a same-origin returnTo with its query', async () => {
      const org = await setUpOrg();
      const { result } = await signIn(org, {}, '/practices?tag=phishing');
      expectSignedIn(result);
      expect(result.location).toBe('/practices?tag=phishing');
    });
  });

  describe('an organisation with several IdPs', () => {
    /** The organisation's IdPs "a" (the usual test IdP) and "b" (the other one). */
    async function setUpTwoIdps(): Promise<{ a: Org; b: Org }> {
      const a = await setUpOrg();
      const { idp: recordB } = await t.app.get(IdentityProviderRepository).save({
        organisationId: a.organisation.id,
        key: 'b',
        name: 'Second IdP',
        entityId: otherIdp.entityId,
        ssoUrl: otherIdp.ssoUrl,
        sloUrl: otherIdp.sloUrl,
        certificates: [otherIdp.certificateBase64],
        attributeMapping: {},
      });
      return { a, b: { ...a, idpRecord: recordB, idp: otherIdp } };
    }

    async function startLoginWith(org: Org, key: string): Promise<Login> {
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/&idp=${key}`, { redirect: 'manual' });
      expect(response.status).toBe(302);
      const location = response.headers.get('location')!;
      expect(location.startsWith(`${org.idp.ssoUrl}?`)).toBe(true);
      return { state: setCookies(response).get(STATE_COOKIE)!.value, requestId: parseAuthnRequest(location).id, location };
    }

    it('asks which IdP without ?idp=, and signs in through the one chosen', async () => {
      const { b } = await setUpTwoIdps();
      const ask = await fetch(`${t.baseUrl}/auth/saml/${b.slug}/login?returnTo=/`, { redirect: 'manual' });
      expect(ask.status).toBe(400);
      expect(await ask.text()).toMatch(/Choose the identity provider with \?idp= \(b, main\)/);
      const login = await startLoginWith(b, 'b');
      const p = params(b, login);
      const result = await postAcs(b.slug, otherIdp.loginResponse(p), login.state);
      expectSignedIn(result, '/');
      const rows = await t.dataSource.query('SELECT identity_provider_id FROM session WHERE name_id = $1', [p.nameId]);
      expect(rows).toEqual([{ identity_provider_id: b.idpRecord.id }]);
    });

    it("validates a response against the IdP of its request only: IdP main's response to a request sent to IdP b is refused", async () => {
      const { a, b } = await setUpTwoIdps();
      const login = await startLoginWith(b, 'b');
      const before = await snapshot();
      // Genuinely signed by IdP main, which this organisation also trusts, but the request went to b.
      const result = await postAcs(a.slug, idp.loginResponse(params(a, login)), login.state);
      await expectRefused(before, result, a.slug, ['INVALID', 'WRONG_ISSUER']);
    });
  });

  describe('SP metadata and unknown organisations', () => {
    it('serves metadata with the entity ID, the ACS URL and the SP certificate for signing and encryption', async () => {
      const org = await setUpOrg();
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/metadata`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/xml/);
      const xml = await response.text();
      const certificate = readFileSync(path.join(config.dataDir, 'saml-sp', 'sp.crt'), 'utf8').replace(/-----[^-]+-----|\s/g, '');
      expect(xml).toContain(`entityID="${org.urls.entityId}"`);
      expect(xml).toMatch(new RegExp(`AssertionConsumerService[^>]*Location="${org.urls.acs.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
      const keyDescriptors = [...xml.matchAll(/<(?:\w+:)?KeyDescriptor[^>]*use="(\w+)"[^>]*>([\s\S]*?)<\/(?:\w+:)?KeyDescriptor>/g)].map((m) => ({ use: m[1], body: m[2]!.replace(/\s/g, '') }));
      expect(keyDescriptors.map((k) => k.use).sort()).toEqual(['encryption', 'signing']);
      for (const k of keyDescriptors) expect(k.body).toContain(certificate);
    });

    it('answers 404 with a readable message for the metadata of an unknown organisation', async () => {
      const response = await fetch(`${t.baseUrl}/auth/saml/no-such-org-${unique()}/metadata`);
      expect(response.status).toBe(404);
      expect(await response.text()).toMatch(/No organisation has the slug/);
    });

    it('answers 400 with a readable message to a login at an unknown organisation, without redirecting', async () => {
      const slug = `no-such-org-${unique()}`;
      const response = await fetch(`${t.baseUrl}/auth/saml/${slug}/login?returnTo=/`, { redirect: 'manual' });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.text()).toContain(`No organisation has the slug &quot;${slug}&quot;`);
    });

    it('refuses a response posted to the ACS of an unknown organisation', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const slug = `no-such-org-${unique()}`;
      const before = await snapshot();
      const result = await postAcs(slug, idp.loginResponse(params(org, login)), login.state);
      await expectRefused(before, result, slug, ['UNKNOWN_ORGANISATION']);
    });
  });

  describe('forged responses are refused with no session, no member and an audit entry', () => {
    it('unsigned', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.unsigned(p), {}, ['INVALID']);
    });

    it('signed by a key that belongs to no configured IdP', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.signedByOtherKey(p), {}, ['INVALID']);
    });

    it("signed by another organisation's IdP key, naming this IdP as issuer", async () => {
      const org = await setUpOrg();
      await setUpOrg({ idp: otherIdp });
      await refusedFor(org, (p) => idp.loginResponse({ ...p, signWith: { privateKey: otherIdp.privateKey, certificate: otherIdp.certificate } }), {}, ['INVALID']);
    });

    it('every signature-wrapping variant, both signatures required; never a member with the evil NameID', async () => {
      const org = await setUpOrg();
      const evil = `evil-${unique()}`;
      const probe = idp.namedWrappingVariants(params(org, null), evil);
      expect(probe.length).toBe(8);
      for (const [index, { name }] of probe.entries()) {
        const login = await startLogin(org);
        const variant = idp.namedWrappingVariants(params(org, login, { nameId: `victim-${unique()}` }), evil)[index]!;
        expect(variant.name).toBe(name);
        const before = await snapshot();
        const result = await postAcs(org.slug, variant.samlResponse, login.state);
        try {
          await expectRefused(before, result, org.slug);
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        }
      }
      expect(await count('SELECT count(*) FROM member_identity WHERE name_id = $1', [evil])).toBe(0);
    });

    it('every signature-wrapping variant against an IdP that signs only the assertion; never a member with the evil NameID', async () => {
      const org = await setUpOrg({ wantAuthnResponseSigned: false });
      const evil = `evil-${unique()}`;
      // The IdP record really accepts a signature on the assertion alone.
      expectSignedIn((await signIn(org, { signResponse: false })).result);
      const names = idp.namedWrappingVariants(params(org, null, { signResponse: false }), evil).map((v) => v.name);
      expect(names.length).toBe(6);
      for (const [index, name] of names.entries()) {
        const login = await startLogin(org);
        const variant = idp.namedWrappingVariants(params(org, login, { nameId: `victim-${unique()}`, signResponse: false }), evil)[index]!;
        const before = await snapshot();
        const result = await postAcs(org.slug, variant.samlResponse, login.state);
        try {
          await expectRefused(before, result, org.slug);
        } catch (error) {
          throw new Error(`${name}: ${(error as Error).message}`);
        }
      }
      expect(await count('SELECT count(*) FROM member_identity WHERE name_id = $1', [evil])).toBe(0);
    });

    it('an attribute changed after signing', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.attributeChangedAfterSigning(p, 'displayName', 'Someone Else'), {}, ['INVALID']);
    });

    it('expired (NotOnOrAfter further in the past than the clock skew)', async () => {
      const org = await setUpOrg();
      expect(config.samlClockSkewSeconds).toBe(60);
      const past = new Date(Date.now() - 2 * 60_000);
      await refusedFor(org, (p) => idp.loginResponse(p), { issueInstant: new Date(past.getTime() - 5 * 60_000), notOnOrAfter: past }, ['INVALID']);
    });

    it('not yet valid (NotBefore further in the future than the clock skew)', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { notBefore: new Date(Date.now() + 3 * 60_000), notOnOrAfter: new Date(Date.now() + 10 * 60_000) }, ['INVALID']);
    });

    it('within the clock skew, a just-expired or not-quite-valid response is still accepted (the skew is small, not zero)', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const justExpired = new Date(Date.now() - 20_000);
      expectSignedIn((await signIn(org, { nameId, issueInstant: new Date(justExpired.getTime() - 5 * 60_000), notOnOrAfter: justExpired })).result);
      expectSignedIn((await signIn(org, { nameId, notBefore: new Date(Date.now() + 20_000) })).result);
    });

    it('for another audience', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { spEntityId: 'https://other-sp.example/metadata' }, ['INVALID']);
    });

    it("for another audience: another organisation's entity ID on this service", async () => {
      const org = await setUpOrg();
      const other = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { spEntityId: other.urls.entityId }, ['INVALID']);
    });

    it('addressed to another Destination', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { destination: 'https://elsewhere.example/acs' }, ['WRONG_DESTINATION']);
    });

    it('for another Recipient', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { recipient: 'https://elsewhere.example/acs' }, ['WRONG_RECIPIENT']);
    });

    it('a wrong Issuer, signed with the right key', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { issuer: 'https://impostor.example/saml' }, ['WRONG_ISSUER', 'INVALID']);
    });

    it('a document with a DOCTYPE declaring an external entity (unused, so the signature still verifies)', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.withDoctype(p), {}, ['DOCTYPE']);
    });

    it('a document with a DOCTYPE whose external entity is referenced in the NameID', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.withDoctype(p, { referenceEntity: true }), {}, ['DOCTYPE']);
    });

    it('a NameID split by an XML comment does not sign in as the victim', async () => {
      const org = await setUpOrg();
      const victim = `admin@${org.domain}`;
      // The victim signs in once with an e-mail NameID (their address comes from the NameID).
      const genuine = await signIn(org, { nameId: victim, nameIdFormat: NAMEID_FORMAT.emailAddress, attributes: { displayName: 'The Admin' } });
      expectSignedIn(genuine.result);
      const victimSessions = await count('SELECT count(*) FROM session s JOIN member m ON m.id = s.member_id WHERE m.email = $1', [victim]);

      // admin@<org>.gov.uk<!---->.evil.com: an SP reading only the first text node would see the victim.
      const login = await startLogin(org);
      const before = await snapshot();
      const forged = idp.nameIdWithComment(params(org, login, { nameId: `${victim}.evil.com`, nameIdFormat: NAMEID_FORMAT.emailAddress, attributes: { displayName: 'Mallory' } }), victim.length);
      expect(Buffer.from(forged, 'base64').toString('utf8')).toContain(`>${victim}<!---->.evil.com<`);
      const result = await postAcs(org.slug, forged, login.state);
      await expectRefused(before, result, org.slug, ['DOMAIN_NOT_ALLOWED', 'INVALID']);
      expect(await count('SELECT count(*) FROM session s JOIN member m ON m.id = s.member_id WHERE m.email = $1', [victim])).toBe(victimSessions);
      expect(await count('SELECT count(*) FROM member_identity WHERE identity_provider_id = $1', [org.idpRecord.id])).toBe(1);
    });
  });

  describe('misdirected, replayed or out-of-context responses are refused', () => {
    it('the same response posted twice: the second is refused', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const samlResponse = idp.loginResponse(params(org, login));
      const first = await postAcs(org.slug, samlResponse, login.state);
      expectSignedIn(first);
      const before = await snapshot();
      const second = await postAcs(org.slug, samlResponse, login.state);
      await expectRefused(before, second, org.slug, ['UNKNOWN_REQUEST', 'REPLAYED', 'INVALID']);
    });

    it('the same response posted twice at once: exactly one succeeds', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const samlResponse = idp.loginResponse(params(org, login));
      const before = await snapshot();
      const results = await Promise.all([postAcs(org.slug, samlResponse, login.state), postAcs(org.slug, samlResponse, login.state)]);
      expect(results.map((r) => r.status).sort()).toEqual([303, 400]);
      expect(results.filter((r) => r.cookies.has(SESSION_COOKIE))).toHaveLength(1);
      const after = await snapshot();
      expect(after.sessions).toBe(before.sessions + 1);
      expect(after.members).toBe(before.members + 1);
      const refusals = await newRefusals(before);
      expect(refusals).toHaveLength(1);
      expect(['UNKNOWN_REQUEST', 'REPLAYED', 'INVALID']).toContain(refusals[0]!.details.reason);
    });

    it('the same assertion again, in answer to a new request of the same browser', async () => {
      const org = await setUpOrg();
      const assertionId = `_fixed-${unique()}`;
      const nameId = `nid-${unique()}`;
      expectSignedIn((await signIn(org, { assertionId, nameId })).result);
      await refusedFor(org, (p) => idp.loginResponse(p), { assertionId, nameId }, ['REPLAYED']);
    });

    it('an unknown InResponseTo', async () => {
      const org = await setUpOrg();
      await refusedFor(org, (p) => idp.loginResponse(p), { inResponseTo: `_never-sent-${unique()}` }, ['UNKNOWN_REQUEST']);
    });

    it('an IdP-initiated response (no InResponseTo)', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const before = await snapshot();
      const result = await postAcs(org.slug, idp.loginResponse(params(org, null)), login.state);
      await expectRefused(before, result, org.slug, ['UNKNOWN_REQUEST']);
    });

    it('without the state cookie (login CSRF)', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const before = await snapshot();
      const result = await postAcs(org.slug, idp.loginResponse(params(org, login)), null);
      await expectRefused(before, result, org.slug, ['WRONG_BROWSER']);
    });

    it("with another browser's state cookie (login CSRF)", async () => {
      const org = await setUpOrg();
      const victimBrowser = await startLogin(org);
      const attackerLogin = await startLogin(org);
      const before = await snapshot();
      // The attacker's own response, posted from the victim's browser.
      const result = await postAcs(org.slug, idp.loginResponse(params(org, attackerLogin)), victimBrowser.state);
      await expectRefused(before, result, org.slug, ['WRONG_BROWSER']);
    });

    it("a user whose e-mail is in another organisation's domain", async () => {
      const org = await setUpOrg();
      const other = await setUpOrg();
      const login = await startLogin(org);
      const before = await snapshot();
      const result = await postAcs(org.slug, idp.loginResponse(params(org, login, { attributes: { mail: `officer@${other.domain}`, displayName: 'Intruder' } })), login.state);
      await expectRefused(before, result, org.slug, ['DOMAIN_NOT_ALLOWED']);
      expect(await count('SELECT count(*) FROM member WHERE organisation_id = $1', [other.organisation.id])).toBe(0);
    });

    it("a response of organisation A's IdP posted to organisation B's ACS", async () => {
      const a = await setUpOrg();
      const b = await setUpOrg({ idp: otherIdp });
      const login = await startLogin(a);
      const before = await snapshot();
      const result = await postAcs(b.slug, idp.loginResponse(params(a, login)), login.state);
      await expectRefused(before, result, b.slug, ['WRONG_ORGANISATION']);
    });

    it("a response to organisation A's request, addressed to B, posted to B's ACS where B registered the same IdP", async () => {
      const a = await setUpOrg();
      const b = await setUpOrg();
      const login = await startLogin(a);
      const before = await snapshot();
      const p = { ...params(b, null), inResponseTo: login.requestId, attributes: { mail: `officer@${b.domain}`, displayName: 'B Officer' } };
      const result = await postAcs(b.slug, idp.loginResponse(p), login.state);
      await expectRefused(before, result, b.slug, ['WRONG_ORGANISATION']);
    });

    it('a transient NameID, with a message telling the IdP admin to release a persistent NameID', async () => {
      const org = await setUpOrg();
      const login = await startLogin(org);
      const before = await snapshot();
      const result = await postAcs(org.slug, idp.loginResponse(params(org, login, { nameIdFormat: NAMEID_FORMAT.transient })), login.state);
      await expectRefused(before, result, org.slug, ['TRANSIENT_NAMEID']);
      expect(result.body).toMatch(/administrator to release a persistent NameID/);
    });

    it('a deactivated member cannot sign in', async () => {
      const org = await setUpOrg();
      const admin = await createMember(t.app, org.organisation, [Role.ORG_ADMIN]);
      const nameId = `nid-${unique()}`;
      const first = await signIn(org, { nameId });
      expectSignedIn(first.result);
      const [{ id: memberId }] = await t.dataSource.query('SELECT member_id AS id FROM member_identity WHERE identity_provider_id = $1 AND name_id = $2', [org.idpRecord.id, nameId]);
      const deactivated = await t.gql('mutation($input: DeactivateMemberInput!) { deactivateMember(input: $input) { active } }', { input: { id: toGlobalId('Member', memberId) } }, admin.token);
      expect(deactivated.errors).toBeUndefined();
      expect(deactivated.data?.deactivateMember.active).toBe(false);

      const login = await startLogin(org);
      const before = await snapshot();
      const result = await postAcs(org.slug, idp.loginResponse(params(org, login, { nameId })), login.state);
      await expectRefused(before, result, org.slug, ['DEACTIVATED']);
      expect(await count('SELECT count(*) FROM session WHERE member_id = $1 AND revoked_at IS NULL', [memberId])).toBe(0);
    });
  });
});
