import type { AppConfig } from '#config';
import { NAMEID_FORMAT, type TestIdp } from '../support/saml-idp.js';
import { unique } from '../support/unique.js';
import { samlSignInSuite } from '../support/saml-sign-in.js';

/**
 * SAML sign-in end to end: the browser's login redirect, the IdP's POST to the ACS, the session cookie, and every
 * forged or misdirected response (unsigned, signature wrapping, expired, misaddressed, replayed) refused with no
 * session, no member and an audit entry. The IdP is the test fixture, which signs real responses with a generated key.
 */

describe('SAML sign-in through the ACS', () => {
  let config: AppConfig;
  /** The IdP most organisations here use. */
  let idp: TestIdp;
  /** A second, unrelated IdP (another organisation's). */
  let otherIdp: TestIdp;

  const { setUpOrg, startLogin, postAcs, params, signIn, expectSignedIn, count, snapshot, expectRefused, refusedFor } = samlSignInSuite(
    (running) => ({ config, idp, otherIdp } = running),
  );

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
      await refusedFor(org, (p) => idp.loginResponse({ ...p, signWith: { privateKey: otherIdp.privateKey, certificate: otherIdp.certificate } }), {}, [
        'INVALID',
      ]);
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
      await refusedFor(org, (p) => idp.loginResponse(p), { notBefore: new Date(Date.now() + 3 * 60_000), notOnOrAfter: new Date(Date.now() + 10 * 60_000) }, [
        'INVALID',
      ]);
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
      const forged = idp.nameIdWithComment(
        params(org, login, { nameId: `${victim}.evil.com`, nameIdFormat: NAMEID_FORMAT.emailAddress, attributes: { displayName: 'Mallory' } }),
        victim.length,
      );
      expect(Buffer.from(forged, 'base64').toString('utf8')).toContain(`>${victim}<!---->.evil.com<`);
      const result = await postAcs(org.slug, forged, login.state);
      await expectRefused(before, result, org.slug, ['DOMAIN_NOT_ALLOWED', 'INVALID']);
      expect(await count('SELECT count(*) FROM session s JOIN member m ON m.id = s.member_id WHERE m.email = $1', [victim])).toBe(victimSessions);
      expect(await count('SELECT count(*) FROM member_identity WHERE identity_provider_id = $1', [org.idpRecord.id])).toBe(1);
    });
  });
});
