import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '#config';
import type { TestIdp } from '../support/saml-idp.js';
import type { TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { samlSignInSuite } from '../support/saml-sign-in.js';

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

  const { setUpOrg, startLogin, postAcs, params, snapshot, expectRefused } = samlSignInSuite((running) => ({ t, config, idp } = running));

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
      const keyDescriptors = [...xml.matchAll(/<(?:\w+:)?KeyDescriptor[^>]*use="(\w+)"[^>]*>([\s\S]*?)<\/(?:\w+:)?KeyDescriptor>/g)].map((m) => ({
        use: m[1],
        body: m[2]!.replace(/\s/g, ''),
      }));
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
});
