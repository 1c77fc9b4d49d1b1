import { Role, toGlobalId } from '#identity';
import { createMember } from '../factories/index.js';
import { NAMEID_FORMAT, type TestIdp } from '../support/saml-idp.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { SESSION_COOKIE, samlSignInSuite } from '../support/saml-sign-in.js';

/**
 * SAML sign-in end to end: the browser's login redirect, the IdP's POST to the ACS, the session cookie, and every
 * forged or misdirected response (unsigned, signature wrapping, expired, misaddressed, replayed) refused with no
 * session, no member and an audit entry. The IdP is the test fixture, which signs real responses with a generated key.
 */

describe('SAML sign-in through the ACS', () => {
  let t: TestApp;
  /** The IdP most organisations here use. */
  let idp: TestIdp;
  /** A second, unrelated IdP (another organisation's). */
  let otherIdp: TestIdp;

  const { setUpOrg, startLogin, postAcs, params, signIn, expectSignedIn, count, snapshot, newRefusals, expectRefused, refusedFor } = samlSignInSuite(
    (running) => ({ t, idp, otherIdp } = running),
  );

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
      const result = await postAcs(
        org.slug,
        idp.loginResponse(params(org, login, { attributes: { mail: `officer@${other.domain}`, displayName: 'Intruder' } })),
        login.state,
      );
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
      const [{ id: memberId }] = await t.dataSource.query('SELECT member_id AS id FROM member_identity WHERE identity_provider_id = $1 AND name_id = $2', [
        org.idpRecord.id,
        nameId,
      ]);
      const deactivated = await t.gql(
        'mutation($input: DeactivateMemberInput!) { deactivateMember(input: $input) { active } }',
        { input: { id: toGlobalId('Member', memberId) } },
        admin.token,
      );
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
