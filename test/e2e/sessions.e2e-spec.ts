import { createSign, createVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { AppConfig } from '#config';
import { IdentityProviderRepository, Role, toGlobalId, type IdentityProviderEntity, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, createIdentityProvider } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * Sessions started by SAML sign-in, through the real API: listed in `me { sessions }`, revocable, ended by logout, by
 * the IdP's single logout and by deactivation, refused once idle or past their absolute end, and GraphQL with the
 * cookie still behind Apollo's CSRF prevention.
 */

const STATE_COOKIE = 'pe_saml_state';
const SESSION_COOKIE = 'pe_session';
const ME_ID = '{ me { id email } }';
const ME_SESSIONS = '{ me { id sessions { id current createdAt lastSeenAt expiresAt userAgent } } }';
const REVOKE = 'mutation($input: RevokeSessionInput!) { revokeSession(input: $input) { id current } }';
const DEACTIVATE = 'mutation($input: DeactivateMemberInput!) { deactivateMember(input: $input) { id active } }';

/** A cookie's value from a response's Set-Cookie headers, with the header itself. */
function setCookie(response: Response, name: string): { value: string; header: string } | undefined {
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!;
    if (pair.slice(0, pair.indexOf('=')) === name) return { value: pair.slice(pair.indexOf('=') + 1), header };
  }
  return undefined;
}

interface Org {
  organisation: OrganisationEntity;
  slug: string;
  domain: string;
  idpRecord: IdentityProviderEntity;
  urls: { acs: string; entityId: string; slo: string };
}

interface SignedIn {
  cookie: string;
  memberId: string;
  sessionId: string;
  nameId: string;
  sessionIndex: string;
}

describe('sessions through the API', () => {
  let t: TestApp;
  let config: AppConfig;
  let idp: TestIdp;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp(),
      createTestIdp({ entityId: 'https://idp.sessions.test/saml', ssoUrl: 'https://idp.sessions.test/sso', sloUrl: 'https://idp.sessions.test/slo' }),
    ]);
    config = t.app.get(AppConfig);
  });
  afterAll(() => t.close());

  async function setUpOrg(): Promise<Org> {
    const organisation = await createOrganisation(t.app);
    const idpRecord = await createIdentityProvider(t.app, organisation, idp);
    const base = `${config.publicUrl}/auth/saml/${organisation.slug}`;
    return {
      organisation,
      slug: organisation.slug,
      domain: `${organisation.slug}.gov.uk`,
      idpRecord,
      urls: { acs: `${base}/acs`, entityId: `${base}/metadata`, slo: `${base}/slo` },
    };
  }

  /** A whole browser sign-in (login redirect, IdP response to the ACS); each call is a new browser and session. */
  async function signIn(org: Org, who: { nameId?: string; email?: string; userAgent?: string } = {}): Promise<SignedIn> {
    const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=/`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    const state = setCookie(login, STATE_COOKIE)!.value;
    const requestId = parseAuthnRequest(login.headers.get('location')!).id;
    const nameId = who.nameId ?? `nid-${unique()}`;
    const sessionIndex = `_si-${unique()}`;
    const samlResponse = idp.loginResponse({
      acsUrl: org.urls.acs,
      spEntityId: org.urls.entityId,
      inResponseTo: requestId,
      nameId,
      nameIdFormat: NAMEID_FORMAT.persistent,
      attributes: { mail: who.email ?? `officer-${nameId}@${org.domain}`, displayName: 'A. Officer' },
      sessionIndex,
    });
    const acs = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${STATE_COOKIE}=${state}`, 'user-agent': who.userAgent ?? 'test-browser/1.0' },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
    const body = await acs.text();
    expect({ status: acs.status, body: acs.status === 303 ? '' : body }).toEqual({ status: 303, body: '' });
    const cookie = setCookie(acs, SESSION_COOKIE)!.value;
    const [row] = await t.dataSource.query('SELECT id, member_id FROM session WHERE identity_provider_id = $1 AND name_id = $2 AND session_index = $3', [
      org.idpRecord.id,
      nameId,
      sessionIndex,
    ]);
    return { cookie, memberId: row.member_id, sessionId: row.id, nameId, sessionIndex };
  }

  async function gqlWithCookie(query: string, cookie: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${cookie}` },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] }) };
  }

  /** Whom the cookie signs in as: the member's global ID, or null when the session no longer counts. */
  async function meOf(cookie: string): Promise<string | null> {
    const response = await gqlWithCookie(ME_ID, cookie);
    expect(response.errors).toBeUndefined();
    return response.data.me?.id ?? null;
  }

  const sessionRow = async (id: string) =>
    (await t.dataSource.query('SELECT revoked_at, last_seen_at, expires_at FROM session WHERE id = $1', [id]))[0] as {
      revoked_at: Date | null;
      last_seen_at: Date;
      expires_at: Date;
    };

  describe('me { sessions }', () => {
    it('lists the live sessions of the member, the current one marked', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const laptop = await signIn(org, { nameId, userAgent: 'laptop/1.0' });
      const phone = await signIn(org, { nameId, userAgent: 'phone/2.0' });
      expect(phone.memberId).toBe(laptop.memberId);

      const response = await gqlWithCookie(ME_SESSIONS, laptop.cookie);
      expect(response.errors).toBeUndefined();
      expect(response.data.me.id).toBe(toGlobalId('Member', laptop.memberId));
      const sessions = response.data.me.sessions as { id: string; current: boolean; userAgent: string | null; expiresAt: string }[];
      expect(sessions.map((s) => ({ id: s.id, current: s.current, userAgent: s.userAgent })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
        [
          { id: toGlobalId('Session', laptop.sessionId), current: true, userAgent: 'laptop/1.0' },
          { id: toGlobalId('Session', phone.sessionId), current: false, userAgent: 'phone/2.0' },
        ].sort((a, b) => a.id.localeCompare(b.id)),
      );
      const row = await sessionRow(laptop.sessionId);
      expect(new Date(sessions.find((s) => s.current)!.expiresAt).getTime()).toBe(row.expires_at.getTime());
      expect(row.expires_at.getTime() - Date.now()).toBeGreaterThan((config.sessionAbsoluteHours * 60 - 5) * 60_000);
    });

    it("is null on another member's sessions", async () => {
      const org = await setUpOrg();
      const someone = await signIn(org);
      const admin = await createMember(t.app, org.organisation, [Role.ORG_ADMIN]);
      const response = await t.gql(
        'query($id: ID!) { node(id: $id) { ... on Member { id sessions { id } } } }',
        { id: toGlobalId('Member', someone.memberId) },
        admin.token,
      );
      expect(response.errors).toBeUndefined();
      expect(response.data?.node).toEqual({ id: toGlobalId('Member', someone.memberId), sessions: null });
    });
  });

  describe('revokeSession', () => {
    it("ends one of the member's sessions: that cookie then gives me: null, the others keep working", async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const laptop = await signIn(org, { nameId });
      const phone = await signIn(org, { nameId });
      expect(await meOf(phone.cookie)).toBe(toGlobalId('Member', phone.memberId));

      const response = await gqlWithCookie(REVOKE, laptop.cookie, { input: { id: toGlobalId('Session', phone.sessionId) } });
      expect(response.errors).toBeUndefined();
      expect(response.data.revokeSession).toEqual({ id: toGlobalId('Session', phone.sessionId), current: false });

      expect((await sessionRow(phone.sessionId)).revoked_at).not.toBeNull();
      expect(await meOf(phone.cookie)).toBeNull();
      expect(await meOf(laptop.cookie)).toBe(toGlobalId('Member', laptop.memberId));
      const listed = await gqlWithCookie(ME_SESSIONS, laptop.cookie);
      expect(listed.data.me.sessions.map((s: { id: string }) => s.id)).toEqual([toGlobalId('Session', laptop.sessionId)]);
    });

    it('ends the current session too', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await gqlWithCookie(REVOKE, browser.cookie, { input: { id: toGlobalId('Session', browser.sessionId) } });
      expect(response.errors).toBeUndefined();
      expect(await meOf(browser.cookie)).toBeNull();
    });

    it("cannot end another member's session (not found), which stays live", async () => {
      const org = await setUpOrg();
      const victim = await signIn(org);
      const other = await signIn(org);
      const response = await gqlWithCookie(REVOKE, other.cookie, { input: { id: toGlobalId('Session', victim.sessionId) } });
      expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await sessionRow(victim.sessionId)).revoked_at).toBeNull();
      expect(await meOf(victim.cookie)).toBe(toGlobalId('Member', victim.memberId));
    });
  });

  describe('POST /auth/logout', () => {
    it('ends the session, clears the cookie and points at the IdP for single logout', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}` } });
      expect(response.status).toBe(200);
      const cleared = setCookie(response, SESSION_COOKIE);
      expect(cleared?.value).toBe('');
      expect(cleared?.header).toMatch(/Expires=Thu, 01 Jan 1970/i);
      const body = (await response.json()) as { loggedOut: boolean; redirect: string | null };
      expect(body.loggedOut).toBe(true);
      expect(body.redirect).toEqual(expect.stringMatching(new RegExp(`^${idp.sloUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\?SAMLRequest=`)));

      // The LogoutRequest names this session's NameID and SessionIndex.
      const xml = inflateRawSync(Buffer.from(new URL(body.redirect!).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      expect(xml).toContain('LogoutRequest');
      expect(xml).toContain(`>${browser.nameId}</`);
      expect(xml).toContain(`>${browser.sessionIndex}</`);
      // Signed in the query string (HTTP-Redirect) with the SP key, RSA-SHA256.
      const redirectUrl = new URL(body.redirect!);
      expect(redirectUrl.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
      const raw = new Map(
        redirectUrl.search
          .slice(1)
          .split('&')
          .map((pair) => [pair.split('=')[0]!, pair.slice(pair.indexOf('=') + 1)] as const),
      );
      const signed = ['SAMLRequest', 'RelayState', 'SigAlg']
        .filter((k) => raw.has(k))
        .map((k) => `${k}=${raw.get(k)}`)
        .join('&');
      const spCertificate = readFileSync(path.join(config.dataDir, 'saml-sp', 'sp.crt'), 'utf8');
      expect(createVerify('RSA-SHA256').update(signed).verify(spCertificate, redirectUrl.searchParams.get('Signature')!, 'base64')).toBe(true);

      expect((await sessionRow(browser.sessionId)).revoked_at).not.toBeNull();
      expect(await meOf(browser.cookie)).toBeNull();
    });

    it("names the session's NameID with the Format of the assertion, so the IdP can match its session", async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}` } });
      const { redirect } = (await response.json()) as { redirect: string };
      const xml = inflateRawSync(Buffer.from(new URL(redirect).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      // SAML core 3.7.1: the NameID of a LogoutRequest is the principal's identifier as the assertion gave it, Format included.
      const nameId = /<(?:\w+:)?NameID([^>]*)>([^<]*)</.exec(xml);
      expect({ text: nameId?.[2], format: /Format="([^"]*)"/.exec(nameId?.[1] ?? '')?.[1] }).toEqual({
        text: browser.nameId,
        format: NAMEID_FORMAT.persistent,
      });
    });

    it("accepts the IdP's LogoutResponse to our LogoutRequest at /slo and sends the browser home", async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const logout = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}` } });
      const { redirect } = (await logout.json()) as { redirect: string };
      const requestXml = inflateRawSync(Buffer.from(new URL(redirect).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
      const logoutRequestId = /<(?:\w+:)?LogoutRequest[^>]* ID="([^"]+)"/.exec(requestXml)![1]!;

      const samlResponse = idp.logoutResponse({ sloUrl: org.urls.slo, inResponseTo: logoutRequestId });
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
      const body = await response.text();
      expect({
        status: response.status,
        location: response.headers.get('location'),
        body:
          response.status >= 400
            ? body
                .replace(/<(style|title)>[\s\S]*?<\/\1>|<[^>]+>/g, ' ')
                .replace(/\s+/g, ' ')
                .trim()
            : '',
      }).toEqual({
        status: 303,
        location: '/',
        body: '',
      });
    });

    it('without a session says so and ends nothing', async () => {
      const response = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ loggedOut: false, redirect: null });
    });

    it('a session cookie that is not valid percent-encoding counts as no session, on every route', async () => {
      for (const value of ['%E0%A4%A', '%ZZ']) {
        const logout = await fetch(`${t.baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: `pe_session=${value}` } });
        expect(await logout.json()).toEqual({ loggedOut: false, redirect: null });
        const me = await fetch(`${t.baseUrl}/graphql`, {
          method: 'POST',
          headers: { cookie: `pe_session=${value}`, 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ me { id } }' }),
        });
        expect({ status: me.status, body: await me.json() }).toEqual({ status: 200, body: { data: { me: null } } });
      }
    });
  });

  describe('single logout from the IdP', () => {
    it('a signed LogoutRequest POSTed to /slo ends the session it names, and only that one', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const browser = await signIn(org, { nameId });
      const otherBrowser = await signIn(org, { nameId });
      const samlRequest = idp.logoutRequest({
        sloUrl: org.urls.slo,
        spEntityId: org.urls.entityId,
        nameId,
        nameIdFormat: NAMEID_FORMAT.persistent,
        sessionIndex: browser.sessionIndex,
      });
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: samlRequest }).toString(),
      });
      const body = await response.text();
      expect({ status: response.status, body: response.status < 400 ? '' : body }).toEqual({ status: expect.any(Number), body: '' });
      expect(response.status).toBe(302);
      // passport-saml answers the IdP with a LogoutResponse.
      expect(response.headers.get('location')).toEqual(expect.stringContaining(`${idp.sloUrl}?SAMLResponse=`));

      expect((await sessionRow(browser.sessionId)).revoked_at).not.toBeNull();
      expect(await meOf(browser.cookie)).toBeNull();
      expect((await sessionRow(otherBrowser.sessionId)).revoked_at).toBeNull();
      expect(await meOf(otherBrowser.cookie)).toBe(toGlobalId('Member', otherBrowser.memberId));
    });

    it('a LogoutRequest signed by another key ends nothing', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const samlRequest = idp.logoutRequest({
        sloUrl: org.urls.slo,
        spEntityId: org.urls.entityId,
        nameId: browser.nameId,
        nameIdFormat: NAMEID_FORMAT.persistent,
        sessionIndex: browser.sessionIndex,
        signWith: idp.otherKey,
      });
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: samlRequest }).toString(),
      });
      expect(response.status).toBe(400);
      expect((await sessionRow(browser.sessionId)).revoked_at).toBeNull();
      expect(await meOf(browser.cookie)).toBe(toGlobalId('Member', browser.memberId));
    });

    /** An IdP-initiated LogoutRequest over HTTP-Redirect (deflated in the query), signed in the query string unless `sign` is false. */
    function redirectLogoutUrl(org: Org, browser: SignedIn, sign: boolean): string {
      const xml = Buffer.from(
        idp.logoutRequest({
          sloUrl: org.urls.slo,
          spEntityId: org.urls.entityId,
          nameId: browser.nameId,
          nameIdFormat: NAMEID_FORMAT.persistent,
          sessionIndex: browser.sessionIndex,
          sign: false,
        }),
        'base64',
      ).toString('utf8');
      let query = `SAMLRequest=${encodeURIComponent(deflateRawSync(Buffer.from(xml, 'utf8')).toString('base64'))}`;
      if (sign) {
        query += `&SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}`;
        query += `&Signature=${encodeURIComponent(createSign('RSA-SHA256').update(query).sign(idp.privateKey, 'base64'))}`;
      }
      return `${t.baseUrl}/auth/saml/${org.slug}/slo?${query}`;
    }

    it('a LogoutRequest over HTTP-Redirect signed in the query string ends the session it names', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await fetch(redirectLogoutUrl(org, browser, true), { redirect: 'manual' });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toEqual(expect.stringContaining(`${idp.sloUrl}?SAMLResponse=`));
      expect((await sessionRow(browser.sessionId)).revoked_at).not.toBeNull();
      expect(await meOf(browser.cookie)).toBeNull();
    });

    it('an unsigned LogoutRequest over HTTP-Redirect ends nothing (anyone could forge it)', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await fetch(redirectLogoutUrl(org, browser, false), { redirect: 'manual' });
      expect((await sessionRow(browser.sessionId)).revoked_at).toBeNull();
      expect(await meOf(browser.cookie)).toBe(toGlobalId('Member', browser.memberId));
      expect(response.status).toBe(400);
    });

    it('an unsigned LogoutRequest over HTTP-POST ends nothing', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const samlRequest = idp.logoutRequest({
        sloUrl: org.urls.slo,
        spEntityId: org.urls.entityId,
        nameId: browser.nameId,
        nameIdFormat: NAMEID_FORMAT.persistent,
        sessionIndex: browser.sessionIndex,
        sign: false,
      });
      const response = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/slo`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLRequest: samlRequest }).toString(),
      });
      expect(response.status).toBe(400);
      expect((await sessionRow(browser.sessionId)).revoked_at).toBeNull();
      expect(await meOf(browser.cookie)).toBe(toGlobalId('Member', browser.memberId));
    });
  });

  describe('deactivateMember', () => {
    it('ends every session of the member at once', async () => {
      const org = await setUpOrg();
      const admin = await createMember(t.app, org.organisation, [Role.ORG_ADMIN]);
      const nameId = `nid-${unique()}`;
      const laptop = await signIn(org, { nameId });
      const phone = await signIn(org, { nameId });
      const bystander = await signIn(org);

      const response = await t.gql(DEACTIVATE, { input: { id: toGlobalId('Member', laptop.memberId) } }, admin.token);
      expect(response.errors).toBeUndefined();
      expect(response.data?.deactivateMember).toEqual({ id: toGlobalId('Member', laptop.memberId), active: false });

      const live = await t.dataSource.query('SELECT count(*) FROM session WHERE member_id = $1 AND revoked_at IS NULL', [laptop.memberId]);
      expect(Number(live[0].count)).toBe(0);
      expect(await meOf(laptop.cookie)).toBeNull();
      expect(await meOf(phone.cookie)).toBeNull();
      expect(await meOf(bystander.cookie)).toBe(toGlobalId('Member', bystander.memberId));
    });
  });

  describe('timeouts', () => {
    it(`refuses a session idle longer than SESSION_IDLE_MINUTES, and keeps one idle a little less`, async () => {
      const org = await setUpOrg();
      const idle = await signIn(org);
      const recent = await signIn(org);
      const minutes = config.sessionIdleMinutes;
      await t.dataSource.query(`UPDATE session SET last_seen_at = now() - make_interval(mins => $2) WHERE id = $1`, [idle.sessionId, minutes + 1]);
      await t.dataSource.query(`UPDATE session SET last_seen_at = now() - make_interval(mins => $2) WHERE id = $1`, [recent.sessionId, minutes - 2]);

      expect(await meOf(idle.cookie)).toBeNull();
      expect(await meOf(recent.cookie)).toBe(toGlobalId('Member', recent.memberId));
      // Activity moved the kept session's clock on; the idle one stays ended even if it were touched.
      expect((await sessionRow(recent.sessionId)).last_seen_at.getTime()).toBeGreaterThan(Date.now() - 60_000);
      expect(await meOf(idle.cookie)).toBeNull();
    });

    it('does not list an idle-ended session among the live ones in me { sessions }', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const idle = await signIn(org, { nameId });
      const active = await signIn(org, { nameId });
      await t.dataSource.query(`UPDATE session SET last_seen_at = now() - make_interval(mins => $2) WHERE id = $1`, [
        idle.sessionId,
        config.sessionIdleMinutes + 1,
      ]);
      expect(await meOf(idle.cookie)).toBeNull();
      const listed = await gqlWithCookie(ME_SESSIONS, active.cookie);
      expect(listed.data.me.sessions.map((s: { id: string }) => s.id)).toEqual([toGlobalId('Session', active.sessionId)]);
    });

    it('refuses a session past its absolute expiry, however recently it was used', async () => {
      const org = await setUpOrg();
      const nameId = `nid-${unique()}`;
      const old = await signIn(org, { nameId });
      const other = await signIn(org, { nameId });
      await t.dataSource.query(
        `UPDATE session SET created_at = now() - make_interval(hours => $2), expires_at = now() - interval '1 second', last_seen_at = now() WHERE id = $1`,
        [old.sessionId, config.sessionAbsoluteHours],
      );
      expect(await meOf(old.cookie)).toBeNull();
      const listed = await gqlWithCookie(ME_SESSIONS, other.cookie);
      expect(listed.data.me.sessions.map((s: { id: string }) => s.id)).toEqual([toGlobalId('Session', other.sessionId)]);
    });
  });

  describe("Apollo's CSRF prevention with the session cookie", () => {
    it('refuses a simple GET /graphql (no content-type, no apollo-require-preflight) with 400', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const url = `${t.baseUrl}/graphql?query=${encodeURIComponent('{me{id}}')}`;
      const simple = await fetch(url, { headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}` } });
      expect(simple.status).toBe(400);
      expect(await simple.text()).not.toContain(toGlobalId('Member', browser.memberId));

      // The same GET with the preflight header is a non-simple request, and the cookie works.
      const preflighted = await fetch(url, { headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}`, 'apollo-require-preflight': 'true' } });
      expect(preflighted.status).toBe(200);
      expect(((await preflighted.json()) as { data: { me: { id: string } } }).data.me.id).toBe(toGlobalId('Member', browser.memberId));
    });

    it('refuses a simple form POST to /graphql carrying the cookie', async () => {
      const org = await setUpOrg();
      const browser = await signIn(org);
      const response = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { cookie: `${SESSION_COOKIE}=${browser.cookie}`, 'content-type': 'text/plain' },
        body: JSON.stringify({ query: `mutation { revokeSession(input: { id: "${toGlobalId('Session', browser.sessionId)}" }) { id } }` }),
      });
      expect(response.status).toBe(400);
      expect((await sessionRow(browser.sessionId)).revoked_at).toBeNull();
    });
  });

  describe('over https', () => {
    let secure: TestApp;
    beforeAll(async () => {
      secure = await startTestApp({ PUBLIC_URL: 'https://practice-exchange.example' });
    });
    afterAll(() => secure.close());

    it('the session cookie is Secure when PUBLIC_URL is https', async () => {
      const organisation = await createOrganisation(secure.app);
      const { idp: idpRecord } = await secure.app.get(IdentityProviderRepository).save({
        organisationId: organisation.id,
        key: 'main',
        name: 'Test IdP',
        entityId: idp.entityId,
        ssoUrl: idp.ssoUrl,
        sloUrl: idp.sloUrl,
        certificates: [idp.certificateBase64],
        attributeMapping: {},
      });
      expect(idpRecord.id).toBeTruthy();
      const base = `https://practice-exchange.example/auth/saml/${organisation.slug}`;
      const login = await fetch(`${secure.baseUrl}/auth/saml/${organisation.slug}/login?returnTo=/`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const samlResponse = idp.loginResponse({
        acsUrl: `${base}/acs`,
        spEntityId: `${base}/metadata`,
        inResponseTo: parseAuthnRequest(login.headers.get('location')!).id,
        nameId: `nid-${unique()}`,
        nameIdFormat: NAMEID_FORMAT.persistent,
        attributes: { mail: `officer@${organisation.slug}.gov.uk`, displayName: 'A. Officer' },
      });
      const acs = await fetch(`${secure.baseUrl}/auth/saml/${organisation.slug}/acs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${STATE_COOKIE}=${setCookie(login, STATE_COOKIE)!.value}` },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
      expect(acs.status).toBe(303);
      const attributes = setCookie(acs, SESSION_COOKIE)!
        .header.split(';')
        .map((a) => a.trim().toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=lax', 'secure', 'path=/']));
    });
  });
});
