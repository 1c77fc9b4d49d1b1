import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '#config';
import { IdentityProviderRepository, Role } from '#identity';
import { NAMEID_FORMAT, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { STATE_COOKIE, SESSION_COOKIE, ME, setCookies, type Org, type Login, samlSignInSuite } from '../support/saml-sign-in.js';

/**
 * SAML sign-in end to end: the browser's login redirect, the IdP's POST to the ACS, the session cookie, and every
 * forged or misdirected response (unsigned, signature wrapping, expired, misaddressed, replayed) refused with no
 * session, no member and an audit entry. The IdP is the test fixture, which signs real responses with a generated key.
 */

describe('SAML sign-in through the ACS', () => {
  let t: TestApp;
  let config: AppConfig;
  /** The IdP most organisations here use. */
  let idp: TestIdp;
  /** A second, unrelated IdP (another organisation's). */
  let otherIdp: TestIdp;

  const { setUpOrg, postAcs, params, signIn, expectSignedIn, gqlWithCookie, count, snapshot, newRefusals, expectRefused } = samlSignInSuite(
    (running) => ({ t, config, idp, otherIdp } = running),
  );

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
      const sessions = await t.dataSource.query('SELECT identity_provider_id, name_id, session_index, revoked_at FROM session WHERE member_id = $1', [
        memberId,
      ]);
      expect(sessions).toEqual([{ identity_provider_id: org.idpRecord.id, name_id: p.nameId, session_index: p.sessionIndex, revoked_at: null }]);
      expect(
        await count(`SELECT count(*) FROM audit_event WHERE action = 'SIGN_IN' AND subject_id = $1 AND organisation_id = $2`, [memberId, org.organisation.id]),
      ).toBe(1);
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

    it("the same NameID from another organisation's IdP record is another person", async () => {
      const a = await setUpOrg();
      const b = await setUpOrg();
      const nameId = `nid-${unique()}`;
      expectSignedIn((await signIn(a, { nameId })).result);
      expectSignedIn((await signIn(b, { nameId, attributes: { mail: `officer@${b.domain}`, displayName: 'B. Officer' } })).result);
      const rows = await t.dataSource.query(
        'SELECT m.organisation_id, mi.identity_provider_id FROM member_identity mi JOIN member m ON m.id = mi.member_id WHERE mi.name_id = $1 ORDER BY m.email',
        [nameId],
      );
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
      const rows = await t.dataSource.query(
        'SELECT m.roles FROM member m JOIN member_identity mi ON mi.member_id = m.id WHERE mi.identity_provider_id = $1 AND mi.name_id = $2',
        [org.idpRecord.id, p.nameId],
      );
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
});
