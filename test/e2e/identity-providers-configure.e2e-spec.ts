import { Role, requireGlobalId, toGlobalId } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import type { TestIdp } from '../support/saml-idp.js';
import { errorCode, expectOk, type TestApp } from '../support/test-app.js';
import { type db, wantingSignedRequests, identityProvidersSuite } from '../support/identity-providers.js';

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

  describe('configureIdentityProvider', () => {
    it('by an ORG_ADMIN of the organisation, from metadataXml: creates the IdP from the metadata and audits IDP_CHANGED', async () => {
      const { org, admin } = await orgWithAdmin();
      const res = await configure(admin.token, { organisationSlug: org.slug, metadataXml: wantingSignedRequests(idp.metadataXml) });
      const created = expectOk(res, 'configureIdentityProvider');
      expect(created).toEqual({
        id: expect.any(String),
        key: 'main',
        name: `${org.name} sign-in`,
        entityId: idp.entityId,
        ssoUrl: idp.ssoUrl,
        sloUrl: idp.sloUrl,
        certificateCount: 1,
        metadataUrl: null,
        metadataRefreshedAt: expect.any(String),
        metadataError: null,
        wantAuthnResponseSigned: true,
        wantAssertionsSigned: true,
        signAuthnRequests: true,
        enabled: true,
      });

      const rows = await tables.idps(org.id);
      expect(rows).toHaveLength(1);
      const row = rows[0]!;
      expect(toGlobalId('IdentityProvider', row.id)).toBe(created.id);
      expect(row).toMatchObject({
        key: 'main',
        entity_id: idp.entityId,
        sso_url: idp.ssoUrl,
        slo_url: idp.sloUrl,
        certificates: [idp.certificateBase64],
        metadata_url: null,
        metadata_xml: wantingSignedRequests(idp.metadataXml),
        metadata_error: null,
        want_authn_response_signed: true,
        want_assertions_signed: true,
        sign_authn_requests: true,
        attribute_mapping: {},
        enabled: true,
      });
      expect(row.metadata_refreshed_at).toBeInstanceOf(Date);

      expect(await tables.audit(org.id)).toEqual([
        {
          actor_member_id: admin.member.id,
          subject_type: 'IdentityProvider',
          subject_id: row.id,
          details: expect.objectContaining({ key: 'main', entityId: idp.entityId, certificates: 1, created: true }),
        },
      ]);
    });

    it('signAuthnRequests follows WantAuthnRequestsSigned="false" in the metadata', async () => {
      const { org, admin } = await orgWithAdmin();
      const created = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(created.signAuthnRequests).toBe(false);
      expect((await tables.idps(org.id)).map((r) => r.sign_authn_requests)).toEqual([false]);
    });

    it('configuring the same key again updates that IdP (one row, new certificates, settings kept) and audits the change', async () => {
      const { org, admin } = await orgWithAdmin();
      const first = expectOk(
        await configure(admin.token, {
          organisationSlug: org.slug,
          key: 'entra',
          name: 'Entra ID',
          metadataXml: idp.metadataXml,
          wantAuthnResponseSigned: false,
        }),
        'configureIdentityProvider',
      );
      // A key rollover: the IdP now publishes its old and new certificates.
      const rollover = idp.metadataWithCertificates([idp.certificate, idp.otherKey.certificate]);
      const second = expectOk(await configure(admin.token, { organisationSlug: org.slug, key: 'entra', metadataXml: rollover }), 'configureIdentityProvider');

      expect(second.id).toBe(first.id);
      expect(second).toMatchObject({ key: 'entra', name: 'Entra ID', certificateCount: 2, wantAuthnResponseSigned: false });
      const rows = await tables.idps(org.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ key: 'entra', name: 'Entra ID', want_authn_response_signed: false, metadata_xml: rollover });
      expect(rows[0]!.certificates).toHaveLength(2);
      expect(rows[0]!.certificates).toContain(idp.certificateBase64);

      const audit = await tables.audit(org.id);
      expect(audit.map((a) => [a.subject_id, a.details.created, a.details.certificates])).toEqual([
        [rows[0]!.id, true, 1],
        [rows[0]!.id, false, 2],
      ]);
    });

    it('a second key gives the organisation a second IdP', async () => {
      const { org, admin } = await orgWithAdmin();
      const main = expectOk(await configure(admin.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const adfs = expectOk(
        await configure(admin.token, { organisationSlug: org.slug, key: 'adfs', name: 'ADFS', metadataXml: secondIdp.metadataXml }),
        'configureIdentityProvider',
      );
      expect(adfs.id).not.toBe(main.id);
      expect(adfs).toMatchObject({ key: 'adfs', name: 'ADFS', entityId: secondIdp.entityId, ssoUrl: secondIdp.ssoUrl });

      const rows = await tables.idps(org.id);
      expect(rows.map((r) => [r.key, r.entity_id])).toEqual([
        ['adfs', secondIdp.entityId],
        ['main', idp.entityId],
      ]);
      expect((await tables.audit(org.id)).map((a) => [a.subject_id, a.details.key, a.details.created])).toEqual([
        [requireGlobalId(main.id, 'IdentityProvider'), 'main', true],
        [requireGlobalId(adfs.id, 'IdentityProvider'), 'adfs', true],
      ]);
    });

    // Two admins (or a retried request) saving the same new key at once: the later ones must update the first's row,
    // not fail on identity_provider_organisation_key_key. Five rounds of five at once make the overlap reliable.
    it('simultaneous configurations of the same new key all succeed on one row (no unique-constraint error)', async () => {
      const { org, admin } = await orgWithAdmin();
      const keys = ['race-a', 'race-b', 'race-c', 'race-d', 'race-e'];
      const outcomes: string[] = [];
      for (const key of keys) {
        const results = await Promise.all([1, 2, 3, 4, 5].map(() => configure(admin.token, { organisationSlug: org.slug, key, metadataXml: idp.metadataXml })));
        outcomes.push(`${key}: ${results.map((r) => errorCode(r) ?? 'ok').join(',')}`);
      }
      expect(outcomes).toEqual(keys.map((key) => `${key}: ok,ok,ok,ok,ok`));
      expect((await tables.idps(org.id)).map((r) => r.key)).toEqual(keys);
      const audit = await tables.audit(org.id);
      expect(audit.filter((a) => a.details.created).map((a) => a.details.key)).toEqual(keys);
    });

    it('another organisation may register the same IdP entity ID: it gets an IdP of its own, and the first is untouched', async () => {
      const a = await orgWithAdmin();
      const b = await orgWithAdmin();
      expectOk(await configure(a.admin.token, { organisationSlug: a.org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      const before = await tables.idps(a.org.id);
      const other = expectOk(await configure(b.admin.token, { organisationSlug: b.org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(requireGlobalId(other.id, 'IdentityProvider')).not.toBe(before[0]!.id);
      expect(await tables.idps(a.org.id)).toEqual(before);
      expect((await tables.idps(b.org.id)).map((r) => r.entity_id)).toEqual([idp.entityId]);
    });

    it('a PLATFORM_ADMIN (of another organisation) may configure any organisation', async () => {
      const { org } = await orgWithAdmin();
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const created = expectOk(await configure(platform.token, { organisationSlug: org.slug, metadataXml: idp.metadataXml }), 'configureIdentityProvider');
      expect(created.entityId).toBe(idp.entityId);
      const rows = await tables.idps(org.id);
      expect(rows.map((r) => r.entity_id)).toEqual([idp.entityId]);
      expect(await tables.audit(org.id)).toEqual([expect.objectContaining({ actor_member_id: platform.member.id, subject_id: rows[0]!.id })]);
    });

    it('attributeMapping with roles up to ORG_ADMIN is stored as given', async () => {
      const { org, admin } = await orgWithAdmin();
      expectOk(
        await configure(admin.token, {
          organisationSlug: org.slug,
          metadataXml: idp.metadataXml,
          attributeMapping: {
            email: ['mail'],
            roles: 'groups',
            roleValues: [
              { value: 'pe-admins', role: 'ORG_ADMIN' },
              { value: 'pe-staff', role: 'CONTRIBUTOR' },
            ],
          },
        }),
        'configureIdentityProvider',
      );
      const [row] = await tables.idps(org.id);
      expect(row!.attribute_mapping).toEqual({ email: ['mail'], roles: 'groups', roleValues: { 'pe-admins': 'ORG_ADMIN', 'pe-staff': 'CONTRIBUTOR' } });
    });
  });
});
