import { X509Certificate } from 'node:crypto';
import { AppConfig } from '#config';
import { AuditAction, AuditService, IdentityProviderRepository, certificateFacts, Role, SessionService, toGlobalId, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { startHttpPeer, type HttpPeer } from '../support/http-peer.js';
import { createTestIdp, type TestIdp } from '../support/saml-idp.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf } from '../support/web-client.js';

/**
 * "My organisation" over HTTP: members and their roles (setMemberRoles), deactivation, identity providers (listed,
 * added from a metadata address or an uploaded file, trust confirmed), the SP values, and the audit log; an
 * organisation admin of one organisation reaches nothing of another, and refusals write nothing.
 */
describe('web organisation pages', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let other: OrganisationEntity;
  let platformOrg: OrganisationEntity;
  let admin: TestMember;
  let contributor: TestMember;
  let moderator: TestMember;
  let platformAdmin: TestMember;
  let otherMember: TestMember;
  let idp: TestIdp;
  let metadataServer: HttpPeer;
  let metadataUrl: string;

  beforeAll(async () => {
    [t, idp] = await Promise.all([
      startTestApp({ OUTBOUND_ALLOW_PRIVATE_NETWORKS: 'true' }),
      createTestIdp({ entityId: 'https://idp.kent-web.test/saml', ssoUrl: 'https://idp.kent-web.test/sso', sloUrl: 'https://idp.kent-web.test/slo' }),
    ]);
    kent = await createOrganisation(t.app, { name: 'Kent Admin Council' });
    other = await createOrganisation(t.app, { name: 'Other Admin Council' });
    platformOrg = await createOrganisation(t.app, { name: 'Platform Team' });
    admin = await createMember(t.app, kent, [Role.ORG_ADMIN]);
    contributor = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
    moderator = await createMember(t.app, kent, [Role.CONTRIBUTOR, Role.MODERATOR]);
    platformAdmin = await createMember(t.app, platformOrg, [Role.PLATFORM_ADMIN]);
    otherMember = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    await t.app.get(IdentityProviderRepository).save({
      organisationId: kent.id,
      key: 'main',
      name: 'Kent staff sign-in',
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      sloUrl: idp.sloUrl,
      certificates: [idp.certificateBase64],
      attributeMapping: {},
    });
    const metadataXml = idp.metadataXml.replace(idp.entityId, 'https://idp.url-web.test/saml');
    metadataServer = await startHttpPeer({
      respond: (request) =>
        request.url === '/metadata.xml' ? { status: 200, headers: { 'content-type': 'application/xml' }, body: metadataXml } : { status: 404 },
    });
    metadataUrl = `${metadataServer.url}/metadata.xml`;
  });
  afterAll(async () => {
    await t.close();
    await metadataServer.close();
  });

  async function signedIn(member: TestMember): Promise<WebClient> {
    const client = new WebClient(t.baseUrl);
    await client.signIn(t.app, member.member);
    return client;
  }

  async function rolesOf(memberId: string): Promise<string[]> {
    const [row] = (await t.dataSource.query('SELECT roles FROM member WHERE id = $1', [memberId])) as { roles: string[] | string }[];
    // node-pg returns an enum array as its text form.
    return (typeof row!.roles === 'string' ? row!.roles.replace(/[{}]/g, '').split(',').filter(Boolean) : row!.roles).sort();
  }

  async function idpRows(organisationId: string) {
    return (await t.dataSource.query(
      'SELECT key, name, entity_id, metadata_url, trust_changed_at, trust_confirmed_at FROM identity_provider WHERE organisation_id = $1 ORDER BY key',
      [organisationId],
    )) as {
      key: string;
      name: string;
      entity_id: string;
      metadata_url: string | null;
      trust_changed_at: Date | null;
      trust_confirmed_at: Date | null;
    }[];
  }

  describe('access', () => {
    it('is not found for a contributor, whatever the page', async () => {
      const client = await signedIn(contributor);
      for (const path of [
        '/organisation',
        '/organisation/identity-providers',
        '/organisation/identity-providers/new',
        '/organisation/audit',
        `/organisation/members/${admin.id}/roles`,
      ]) {
        const page = await client.get(path);
        expect([path, page.status, titleOf(page.html)]).toEqual([path, 404, 'Page not found – Practice Exchange']);
      }
      expect((await new WebClient(t.baseUrl).get('/organisation')).status).toBe(401);
    });

    it("does not show an organisation admin another organisation's members, identity providers or audit log", async () => {
      const client = await signedIn(admin);
      for (const path of [
        `/organisation?org=${other.slug}`,
        `/organisation/identity-providers?org=${other.slug}`,
        `/organisation/identity-providers/new?org=${other.slug}`,
        `/organisation/audit?org=${other.slug}`,
        `/organisation/members/${otherMember.id}/roles`,
        `/organisation/members/${otherMember.id}/deactivate`,
      ]) {
        expect([path, (await client.get(path)).status]).toEqual([path, 404]);
      }
      expect((await client.get('/organisation?org=no-such-organisation')).status).toBe(404);
    });
  });

  describe('members', () => {
    it('lists the members with their e-mail addresses and roles, and who only platform admins manage', async () => {
      const platformInKent = await createMember(t.app, kent, [Role.PLATFORM_ADMIN]);
      const page = await (await signedIn(admin)).get('/organisation');
      expect(page.status).toBe(200);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(titleOf(page.html)).toBe('Members of Kent Admin Council – Practice Exchange');
      const text = textOf(page.html);
      expect(text).toContain(contributor.member.email);
      expect(text).toContain(`${moderator.member.name} ${moderator.member.email} Contributor, Moderator`);
      expect(text).toContain(`${admin.member.name} (you)`);
      expect(page.html).toContain(`href="/organisation/members/${contributor.id}/roles"`);
      expect(page.html).not.toContain(`href="/organisation/members/${platformInKent.id}/roles"`);
      expect(text).toContain('Only platform admins manage this member');
      expect(page.html).not.toContain(otherMember.member.name);
    });

    it('shows the roles that only platform admins give as unchangeable, and keeps them when other roles change', async () => {
      const client = await signedIn(admin);
      const form = await client.get(`/organisation/members/${moderator.id}/roles`);
      expect(form.status).toBe(200);
      // Only the roles an organisation admin gives are checkboxes; the others are explained, and kept as they are.
      expect(form.html).not.toMatch(/type="checkbox" value="(MODERATOR|PLATFORM_ADMIN)"/);
      expect(form.html).toMatch(/type="checkbox" value="CONTRIBUTOR" checked/);
      expect(textOf(form.html)).toContain('Only platform admins give or take away these roles: Moderator, Platform admin.');
      expect(textOf(form.html)).toContain(`Moderator: ${moderator.member.name} has this role and keeps it.`);
      expect(form.html).toContain('<input type="hidden" name="roles" value="MODERATOR">');
      const done = await client.post(`/organisation/members/${moderator.id}/roles`, { roles: ['ORG_ADMIN', 'MODERATOR'] });
      expect([done.status, done.location]).toEqual([303, '/organisation?done=roles']);
      expect(await rolesOf(moderator.member.id)).toEqual(['MODERATOR', 'ORG_ADMIN']);
      expect(textOf((await client.get(done.location!)).html)).toContain('roles have been changed.');
      const events = await t.app.get(AuditService).list(admin.actor, { actions: [AuditAction.ROLES_CHANGED] }, 5);
      expect(events[0]!.subjectId).toBe(moderator.member.id);
      expect(events[0]!.details).toEqual({ before: ['CONTRIBUTOR', 'MODERATOR'], after: ['MODERATOR', 'ORG_ADMIN'] });
    });

    it("refuses an organisation admin granting MODERATOR with the service's reason, writing nothing", async () => {
      const client = await signedIn(admin);
      await client.get(`/organisation/members/${contributor.id}/roles`);
      const refused = await client.post(`/organisation/members/${contributor.id}/roles`, { roles: ['CONTRIBUTOR', 'MODERATOR'] });
      expect(refused.status).toBe(400);
      expect(titleOf(refused.html)).toBe('Error: Change roles – Practice Exchange');
      expect(textOf(refused.html)).toContain('There is a problem Only platform admins give or take away the moderator and platform admin roles');
      expect(refused.html).toContain('href="#roles"');
      expect(await rolesOf(contributor.member.id)).toEqual(['CONTRIBUTOR']);
      // Taking MODERATOR away (a tampered hidden field) is refused the same way.
      const removed = await client.post(`/organisation/members/${moderator.id}/roles`, { roles: ['ORG_ADMIN'] });
      expect(removed.status).toBe(400);
      expect(await rolesOf(moderator.member.id)).toContain('MODERATOR');
    });

    it('keeps the ticked boxes on an error, and refuses a role that does not exist', async () => {
      const client = await signedIn(admin);
      await client.get(`/organisation/members/${contributor.id}/roles`);
      const invalid = await client.post(`/organisation/members/${contributor.id}/roles`, { roles: ['ORG_ADMIN', 'KING'] });
      expect(invalid.status).toBe(400);
      expect(textOf(invalid.html)).toContain('Select roles from the list');
      expect(invalid.html).toMatch(/value="ORG_ADMIN" checked/);
      expect(invalid.html).not.toMatch(/value="CONTRIBUTOR" checked/);
      expect(await rolesOf(contributor.member.id)).toEqual(['CONTRIBUTOR']);
    });

    it("refuses a missing CSRF token and another organisation's member, writing nothing", async () => {
      const client = await signedIn(admin);
      await client.get(`/organisation/members/${contributor.id}/roles`);
      expect((await client.post(`/organisation/members/${contributor.id}/roles`, { _csrf: null, roles: ['ORG_ADMIN'] })).status).toBe(403);
      expect((await client.post(`/organisation/members/${otherMember.id}/roles`, { roles: ['ORG_ADMIN'] })).status).toBe(404);
      expect((await client.post(`/organisation/members/${otherMember.id}/deactivate`, {})).status).toBe(404);
      expect(await rolesOf(contributor.member.id)).toEqual(['CONTRIBUTOR']);
      expect(await rolesOf(otherMember.member.id)).toEqual(['CONTRIBUTOR']);
      const [row] = (await t.dataSource.query('SELECT deactivated_at FROM member WHERE id = $1', [otherMember.member.id])) as { deactivated_at: Date | null }[];
      expect(row!.deactivated_at).toBeNull();
    });

    it('lets a platform admin pick any organisation and grant MODERATOR', async () => {
      const client = await signedIn(platformAdmin);
      const page = await client.get(`/organisation?org=${kent.slug}`);
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('Choose another organisation');
      expect(page.html).toContain(`href="/organisation/identity-providers?org=${kent.slug}"`);
      const form = await client.get(`/organisation/members/${contributor.id}/roles`);
      expect(form.html).toMatch(/type="checkbox" value="MODERATOR"/);
      expect(form.html).not.toContain('<input type="hidden" name="roles"');
      const done = await client.post(`/organisation/members/${contributor.id}/roles`, { roles: ['CONTRIBUTOR', 'MODERATOR'] });
      expect(done.location).toBe(`/organisation?org=${kent.slug}&done=roles`);
      expect(await rolesOf(contributor.member.id)).toEqual(['CONTRIBUTOR', 'MODERATOR']);
      await client.post(`/organisation/members/${contributor.id}/roles`, { roles: ['CONTRIBUTOR'] });
      expect(await rolesOf(contributor.member.id)).toEqual(['CONTRIBUTOR']);
    });

    it('deactivates a member after a confirmation page: their sessions end at once', async () => {
      const leaver = await createMember(t.app, kent, [Role.CONTRIBUTOR]);
      const { cookie } = await t.app.get(SessionService).start(leaver.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: null });
      const client = await signedIn(admin);
      const confirm = await client.get(`/organisation/members/${leaver.id}/deactivate`);
      expect(confirm.status).toBe(200);
      expect(textOf(confirm.html)).toContain(`Deactivate ${leaver.member.name}?`);
      expect(textOf(confirm.html)).toContain('their API tokens stop working');
      const [before] = (await t.dataSource.query('SELECT deactivated_at FROM member WHERE id = $1', [leaver.member.id])) as { deactivated_at: Date | null }[];
      expect(before!.deactivated_at).toBeNull();
      expect((await client.post(`/organisation/members/${leaver.id}/deactivate`, { _csrf: 'forged' })).status).toBe(403);
      const done = await client.post(`/organisation/members/${leaver.id}/deactivate`, {});
      expect([done.status, done.location]).toEqual([303, '/organisation?done=deactivated']);
      const [after] = (await t.dataSource.query('SELECT deactivated_at FROM member WHERE id = $1', [leaver.member.id])) as { deactivated_at: Date | null }[];
      expect(after!.deactivated_at).not.toBeNull();
      await expect(t.app.get(SessionService).authenticate(cookie)).rejects.toThrow();
      const list = await client.get(done.location!);
      expect(textOf(list.html)).toContain('The member has been deactivated.');
      expect(list.html).not.toContain(`href="/organisation/members/${leaver.id}/roles"`);
    });
  });

  describe('identity providers', () => {
    it('shows each IdP with its status, certificates and their expiry, and the values for the IdP administrator', async () => {
      const page = await (await signedIn(admin)).get('/organisation/identity-providers');
      expect(page.status).toBe(200);
      const text = textOf(page.html);
      expect(text).toContain('Kent staff sign-in (main)');
      expect(text).toContain('In use');
      expect(text).toContain(idp.entityId);
      expect(text).toContain('https://idp.kent-web.test/sso');
      const expires = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/London' }).format(
        new Date(new X509Certificate(Buffer.from(idp.certificateBase64, 'base64')).validTo),
      );
      expect(text).toContain(`idp ${idp.entityId}: expires on ${expires}`);
      expect(text).toContain('SHA-256 fingerprint');
      const { publicUrl } = t.app.get(AppConfig);
      expect(page.html).toContain(`<code>${publicUrl}/auth/saml/${kent.slug}/metadata</code>`);
      expect(page.html).toContain(`<code>${publicUrl}/auth/saml/${kent.slug}/acs</code>`);
      expect(page.html).toContain(`<code>${publicUrl}/auth/saml/${kent.slug}/slo</code>`);
      expect(page.html).toContain(`href="${publicUrl}/auth/saml/${kent.slug}/metadata"`);
    });

    it('adds an IdP from an uploaded metadata file; it waits for a platform admin, who confirms it', async () => {
      const client = await signedIn(admin);
      const form = await client.get('/organisation/identity-providers/new');
      expect(form.status).toBe(200);
      expect(form.html).toContain('enctype="multipart/form-data"');
      expect(form.html).toContain('type="file"');
      const uploaded = idp.metadataXml.replace(idp.entityId, 'https://idp.file-web.test/saml');
      const done = await client.postMultipart(
        '/organisation/identity-providers',
        { name: 'Kent contractors', key: 'contractors' },
        { metadataFile: { name: 'metadata.xml', type: 'application/xml', content: uploaded } },
      );
      expect([done.status, done.location]).toEqual([303, '/organisation/identity-providers?done=added']);
      const row = (await idpRows(kent.id)).find((r) => r.key === 'contractors')!;
      expect(row).toMatchObject({ name: 'Kent contractors', entity_id: 'https://idp.file-web.test/saml', metadata_url: null, trust_confirmed_at: null });
      expect(row.trust_changed_at).not.toBeNull();
      const list = await client.get(done.location!);
      const text = textOf(list.html);
      expect(text).toContain('The identity provider has been saved.');
      expect(text).toContain('Kent contractors (contractors) Replace metadata');
      expect(text).toContain('Waiting for confirmation');
      expect(text).toContain('A platform admin has been asked to confirm it.');
      expect(list.html).not.toContain('/confirm-trust');

      // An organisation admin cannot confirm; a platform admin can.
      const id = toGlobalId('IdentityProvider', (await t.app.get(IdentityProviderRepository).findByKey(kent.id, 'contractors'))!.id);
      expect((await client.post(`/organisation/identity-providers/${id}/confirm-trust`, {})).status).toBe(404);
      expect((await idpRows(kent.id)).find((r) => r.key === 'contractors')!.trust_confirmed_at).toBeNull();
      const platform = await signedIn(platformAdmin);
      const waiting = await platform.get(`/organisation/identity-providers?org=${kent.slug}`);
      expect(waiting.html).toContain(`action="/organisation/identity-providers/${id}/confirm-trust"`);
      const confirmed = await platform.post(`/organisation/identity-providers/${id}/confirm-trust`, {});
      expect([confirmed.status, confirmed.location]).toEqual([303, `/organisation/identity-providers?org=${kent.slug}&done=confirmed`]);
      expect((await idpRows(kent.id)).find((r) => r.key === 'contractors')!.trust_confirmed_at).not.toBeNull();
    });

    it("replaces an IdP's metadata under its short name: new certificates wait for confirmation", async () => {
      const client = await signedIn(admin);
      const form = await client.get('/organisation/identity-providers/new?key=main');
      expect(form.status).toBe(200);
      expect(titleOf(form.html)).toBe("Replace an identity provider's metadata – Practice Exchange");
      expect(textOf(form.html)).toContain('Replace the metadata of Kent staff sign-in');
      expect(form.html).toContain('value="main"');
      const rolled = await createTestIdp({ entityId: idp.entityId });
      const done = await client.postMultipart(
        '/organisation/identity-providers',
        { name: 'Kent staff sign-in', key: 'main' },
        { metadataFile: { name: 'rollover.xml', content: idp.metadataWithCertificates([idp.certificate, rolled.certificate]) } },
      );
      expect(done.status).toBe(303);
      const rows = await idpRows(kent.id);
      expect(rows.filter((r) => r.key === 'main')).toHaveLength(1);
      expect(rows.find((r) => r.key === 'main')!.trust_confirmed_at).toBeNull();
      const list = textOf((await client.get('/organisation/identity-providers')).html);
      expect(list).toContain('Signing certificates (2)');
    });

    it('adds an IdP from a metadata address', async () => {
      const client = await signedIn(admin);
      await client.get('/organisation/identity-providers/new');
      const done = await client.postMultipart('/organisation/identity-providers', { name: '', key: 'by-url', metadataUrl });
      expect(done.status).toBe(303);
      const row = (await idpRows(kent.id)).find((r) => r.key === 'by-url')!;
      expect(row).toMatchObject({ entity_id: 'https://idp.url-web.test/saml', metadata_url: metadataUrl, name: 'Kent Admin Council sign-in' });
      const list = textOf((await client.get('/organisation/identity-providers')).html);
      expect(list).toContain(`Read from ${metadataUrl}, and read again every day`);
    });

    it('shows what is wrong on the form, keeping what was typed, and writes nothing', async () => {
      const client = await signedIn(admin);
      await client.get('/organisation/identity-providers/new');
      const before = await idpRows(kent.id);

      const neither = await client.postMultipart('/organisation/identity-providers', { name: 'Typed name', key: 'typed-key', metadataUrl: '' });
      expect(neither.status).toBe(400);
      expect(titleOf(neither.html)).toBe('Error: Add an identity provider – Practice Exchange');
      expect(textOf(neither.html)).toContain('There is a problem Enter the metadata address or select the metadata file');
      expect(neither.html).toContain('href="#metadataUrl"');
      expect(neither.html).toContain('value="Typed name"');
      expect(neither.html).toContain('value="typed-key"');

      const both = await client.postMultipart(
        '/organisation/identity-providers',
        { key: 'typed-key', metadataUrl },
        { metadataFile: { name: 'metadata.xml', content: idp.metadataXml } },
      );
      expect(textOf(both.html)).toContain('Give the metadata address or a file, not both');
      expect(both.html).toContain(`value="${metadataUrl}"`);

      const empty = await client.postMultipart('/organisation/identity-providers', { key: 'typed-key' }, { metadataFile: { name: 'empty.xml', content: '' } });
      expect(textOf(empty.html)).toContain('The selected file is empty');
      expect(empty.html).toContain('href="#metadataFile"');

      const notMetadata = await client.postMultipart(
        '/organisation/identity-providers',
        { key: 'typed-key' },
        { metadataFile: { name: 'notes.xml', content: '<notes>not SAML</notes>' } },
      );
      expect(notMetadata.status).toBe(400);
      expect(textOf(notMetadata.html)).toContain('We could not use the selected file:');

      const binary = await client.postMultipart(
        '/organisation/identity-providers',
        { key: 'typed-key' },
        { metadataFile: { name: 'x.xml', content: Buffer.from([0xff, 0xfe, 0x00, 0xc3]) } },
      );
      expect(textOf(binary.html)).toContain('The selected file must be an XML file');

      const tooLarge = await client.postMultipart(
        '/organisation/identity-providers',
        { key: 'typed-key' },
        { metadataFile: { name: 'big.xml', content: Buffer.alloc(5 * 1024 * 1024 + 1, 0x20) } },
      );
      expect(tooLarge.status).toBe(400);
      expect(textOf(tooLarge.html)).toContain('The selected file must be smaller than 5 MB');
      expect(tooLarge.html).toContain('value="typed-key"');

      const badKey = await client.postMultipart('/organisation/identity-providers', { key: 'Not A Key', metadataUrl });
      expect(textOf(badKey.html)).toContain('Short name must be lower-case letters');

      const badUrl = await client.postMultipart('/organisation/identity-providers', { key: 'typed-key', metadataUrl: 'not a url' });
      expect(textOf(badUrl.html)).toContain('Enter the metadata address in the correct format');
      const missing = await client.postMultipart('/organisation/identity-providers', {
        key: 'typed-key',
        metadataUrl: metadataUrl.replace('metadata.xml', 'gone.xml'),
      });
      expect(textOf(missing.html)).toContain('We could not use the metadata at this address: the server answered 404');

      // A NUL in an uploaded form's field (the organisation it is for, here) is refused with the error page, not a 500.
      const nul = await client.postMultipart('/organisation/identity-providers', { org: 'kent\u0000', key: 'typed-key', metadataUrl });
      expect(nul.status).toBe(400);
      expect(titleOf(nul.html)).toContain('There is a problem');

      expect(await idpRows(kent.id)).toEqual(before);
    });

    it("refuses an upload without its CSRF token, another organisation's, and a contributor's, writing nothing", async () => {
      const client = await signedIn(admin);
      await client.get('/organisation/identity-providers/new');
      const file = { metadataFile: { name: 'metadata.xml', content: idp.metadataXml } };
      expect((await client.postMultipart('/organisation/identity-providers', { _csrf: null, key: 'no-token' }, file)).status).toBe(403);
      expect((await client.postMultipart('/organisation/identity-providers', { _csrf: 'forged', key: 'no-token' }, file)).status).toBe(403);
      expect((await client.postMultipart('/organisation/identity-providers', { org: other.slug, key: 'elsewhere' }, file)).status).toBe(404);
      expect((await client.postMultipart('/organisation/identity-providers', { org: other.slug, key: 'Bad Key' }, {})).status).toBe(404);
      const plain = await signedIn(contributor);
      await plain.get('/sign-out');
      // Uploads of people without idp:manage are not even read, so their form token is missing: refused as expired.
      expect((await plain.postMultipart('/organisation/identity-providers', { key: 'contributor' }, file)).status).toBe(403);
      expect((await idpRows(kent.id)).map((r) => r.key)).not.toEqual(expect.arrayContaining(['no-token']));
      expect(await idpRows(other.id)).toEqual([]);
      expect((await idpRows(kent.id)).some((r) => r.key === 'contributor')).toBe(false);
    });
  });

  describe('audit log', () => {
    it("shows the organisation's events newest first with readable names, and pages", async () => {
      const client = await signedIn(admin);
      for (let i = 0; i < 13; i++) {
        await client.get(`/organisation/members/${contributor.id}/roles`);
        await client.post(`/organisation/members/${contributor.id}/roles`, { roles: i % 2 ? ['CONTRIBUTOR'] : ['CONTRIBUTOR', 'ORG_ADMIN'] });
      }
      const page = await client.get('/organisation/audit');
      expect(page.status).toBe(200);
      expect(titleOf(page.html)).toBe('Audit log of Kent Admin Council – Practice Exchange');
      const text = textOf(page.html);
      expect(text).toContain(`Roles changed ${admin.member.name} Member: ${contributor.member.name}`);
      expect(text).toContain('Before: Contributor, Organisation admin');
      expect(text).not.toContain(otherMember.member.name);
      const next = /href="(\/organisation\/audit\?after=[^"]+)"/.exec(page.html)![1]!.replace(/&amp;/g, '&');
      const second = await client.get(next);
      expect(second.status).toBe(200);
      expect(titleOf(second.html)).toBe('Audit log of Kent Admin Council (page 2) – Practice Exchange');
      expect((await client.get('/organisation/audit?after=forged')).status).toBe(400);
    });

    it("lets a platform admin read one organisation's log", async () => {
      const page = await (await signedIn(platformAdmin)).get(`/organisation/audit?org=${other.slug}`);
      expect(page.status).toBe(200);
      expect(textOf(page.html)).toContain('Member added');
      expect(textOf(page.html)).not.toContain('Roles changed');
    });
  });

  describe('certificate facts', () => {
    it('reads the subject, the expiry and the fingerprint, and says when it has expired or soon will', () => {
      const validTo = new Date(new X509Certificate(Buffer.from(idp.certificateBase64, 'base64')).validTo);
      const facts = certificateFacts(idp.certificateBase64, new Date(validTo.getTime() - 40 * 86_400_000));
      expect(facts).toMatchObject({ subject: `idp ${idp.entityId}`, validTo, expired: false, expiresSoon: false });
      expect(facts.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      expect(certificateFacts(idp.certificateBase64, new Date(validTo.getTime() - 10 * 86_400_000))).toMatchObject({ expired: false, expiresSoon: true });
      expect(certificateFacts(idp.certificateBase64, new Date(validTo.getTime() + 1000))).toMatchObject({ expired: true, expiresSoon: false });
      expect(certificateFacts('bm90IGEgY2VydGlmaWNhdGU=')).toMatchObject({ subject: null, validTo: null });
    });
  });
});
