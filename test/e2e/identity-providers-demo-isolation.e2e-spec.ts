import { Role } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import type { TestIdp } from '../support/saml-idp.js';
import { expectOk, type TestApp } from '../support/test-app.js';
import { WebClient, textOf } from '../support/web-client.js';
import { unique } from '../support/unique.js';
import { identityProvidersSuite } from '../support/identity-providers.js';

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
  const { orgWithAdmin, configure } = identityProvidersSuite((running) => ({ t, idp, secondIdp } = running));

  describe('demo IdP isolation and the start page (DATABASE_URL set: demo mode off)', () => {
    it.each(['/demo-idp/metadata', '/demo-idp/sso'])('GET %s is 404', async (path) => {
      const response = await fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('EntityDescriptor');
    });

    it('POST /demo-idp/respond is 404', async () => {
      const response = await fetch(`${t.baseUrl}/demo-idp/respond`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=a%40b.gov.uk',
      });
      expect(response.status).toBe(404);
    });

    it("the start page's e-mail form leads to an organisation's IdP once it has one", async () => {
      const { org, admin } = await orgWithAdmin();
      const browser = new WebClient(t.baseUrl);
      await browser.get('/');
      const before = await browser.post('/sign-in', { email: `someone@${org.slug}.gov.uk` });
      expect(before.status).toBe(400);
      expect(textOf(before.html)).toContain('has not set up sign-in yet');

      expectOk(
        await configure(admin.token, { organisationSlug: org.slug, name: 'Council sign-in', metadataXml: idp.metadataXml }),
        'configureIdentityProvider',
      );
      const after = await browser.post('/sign-in', { email: `someone@${org.slug}.gov.uk` });
      expect([after.status, after.location]).toEqual([303, `/auth/saml/${org.slug}/login`]);
    });

    it('the start page escapes organisation and IdP names, and leaves out disabled IdPs', async () => {
      const org = await createOrganisation(t.app, { name: `<script>alert("org")</script> ${unique()}` });
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'main', name: '<img src=x onerror=alert(1)>', metadataXml: idp.metadataXml }),
        'configureIdentityProvider',
      );
      expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'staff', name: 'Staff sign-in', metadataXml: secondIdp.metadataXml }),
        'configureIdentityProvider',
      );
      expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'retired', metadataXml: secondIdp.metadataXml, enabled: false }),
        'configureIdentityProvider',
      );
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
