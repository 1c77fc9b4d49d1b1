import { Role, TokenScope, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import type { TestIdp } from '../support/saml-idp.js';
import { expectOk, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';
import { DISCOVER, NODE, type db, identityProvidersSuite } from '../support/identity-providers.js';

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
  let tables: ReturnType<typeof db>;
  const { orgWithAdmin, configure } = identityProvidersSuite((running) => ({ t, idp, secondIdp, tables } = running));

  describe('identityProviders(emailDomain:) for an anonymous caller', () => {
    it("lists the organisation's IdP with a login URL for it", async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(
        await configure(admin.token, { organisationSlug: org.slug, name: 'Council Entra ID', metadataXml: idp.metadataXml }),
        'configureIdentityProvider',
      );
      const res = await t.gql(DISCOVER, { emailDomain: `${org.slug}.gov.uk` });
      expect(res.errors).toBeUndefined();
      expect(res.data!.identityProviders).toEqual([
        { organisation: { slug: org.slug, name: org.name }, key: 'main', name: 'Council Entra ID', loginUrl: expect.any(String) },
      ]);
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
      const off = expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'old', metadataXml: secondIdp.metadataXml, enabled: false }),
        'configureIdentityProvider',
      );
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
      [
        "the organisation's admin with a token lacking the admin scope",
        async () => (await createMember(t.app, org, [Role.ORG_ADMIN], [TokenScope.READ])).token,
      ],
      ['an anonymous caller', async () => undefined],
    ])('is null for %s', async (_name, token) => {
      const res = await t.gql(NODE, { id: gid }, await token());
      expect(res.errors).toBeUndefined();
      expect(res.data!.node).toBeNull();
    });
  });
});
