import { Role, type OrganisationEntity } from '#identity';
import { createMember, createOrganisation, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient, textOf, titleOf } from '../support/web-client.js';

/**
 * The platform admins' pages over HTTP: the organisations and their e-mail domains, creating and changing one through
 * upsertOrganisation's service and input rules, the domain uniqueness refusal on the form, and refusals that write
 * nothing.
 */
describe('web platform pages', () => {
  let t: TestApp;
  let kent: OrganisationEntity;
  let platformOrg: OrganisationEntity;
  let platformAdmin: TestMember;
  let orgAdmin: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    kent = await createOrganisation(t.app, { name: 'Kent Platform Council', region: 'South East' });
    platformOrg = await createOrganisation(t.app, { name: 'Platform Team' });
    platformAdmin = await createMember(t.app, platformOrg, [Role.PLATFORM_ADMIN]);
    orgAdmin = await createMember(t.app, kent, [Role.ORG_ADMIN]);
  });
  afterAll(() => t.close());

  async function signedIn(member: TestMember): Promise<WebClient> {
    const client = new WebClient(t.baseUrl);
    await client.signIn(t.app, member.member);
    return client;
  }

  async function organisationRow(slug: string) {
    const [row] = (await t.dataSource.query('SELECT id, name, kind, country, region FROM organisation WHERE slug = $1', [slug])) as {
      id: string;
      name: string;
      kind: string;
      country: string;
      region: string | null;
    }[];
    if (!row) return null;
    const domains = (
      (await t.dataSource.query('SELECT domain FROM organisation_domain WHERE organisation_id = $1 ORDER BY domain', [row.id])) as { domain: string }[]
    ).map((d) => d.domain);
    return { ...row, domains };
  }

  const valid = {
    slug: 'north-web',
    name: 'North Web Council',
    kind: 'UK_COUNCIL',
    country: 'gb',
    region: 'North West',
    emailDomains: 'north-web.gov.uk\nNORTH-WEB.org.uk',
  };

  it('is not found for an organisation admin, and asks a signed-out visitor to sign in', async () => {
    const client = await signedIn(orgAdmin);
    for (const path of ['/platform', '/platform/organisations/new', `/platform/organisations/${kent.slug}`])
      expect([path, (await client.get(path)).status]).toEqual([path, 404]);
    expect((await new WebClient(t.baseUrl).get('/platform')).status).toBe(401);
  });

  it('lists the organisations with their kind, place and e-mail domains', async () => {
    const page = await (await signedIn(platformAdmin)).get('/platform');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(titleOf(page.html)).toBe('Organisations – Practice Exchange');
    const text = textOf(page.html);
    expect(text).toContain(`Kent Platform Council ${kent.slug} UK council United Kingdom, South East ${kent.slug}.gov.uk`);
    expect(page.html).toContain(`href="/platform/organisations/${kent.slug}"`);
    expect(page.html).toContain(`href="/organisation?org=${kent.slug}"`);
  });

  it('creates an organisation with its domains', async () => {
    const client = await signedIn(platformAdmin);
    const form = await client.get('/platform/organisations/new');
    expect(form.status).toBe(200);
    const done = await client.post('/platform/organisations', valid);
    expect([done.status, done.location]).toEqual([303, '/platform?done=created']);
    expect(await organisationRow('north-web')).toMatchObject({
      name: 'North Web Council',
      kind: 'UK_COUNCIL',
      country: 'GB',
      region: 'North West',
      domains: ['north-web.gov.uk', 'north-web.org.uk'],
    });
    const list = await client.get(done.location!);
    expect(textOf(list.html)).toContain('The organisation has been added.');
    expect(textOf(list.html)).toContain('North Web Council');
  });

  it('shows every problem with the form, keeping what was typed, and creates nothing', async () => {
    const client = await signedIn(platformAdmin);
    await client.get('/platform/organisations/new');
    const empty = await client.post('/platform/organisations', {
      slug: '',
      name: '',
      kind: '',
      country: '',
      region: 'Somewhere',
      emailDomains: 'typed.gov.uk',
    });
    expect(empty.status).toBe(400);
    expect(titleOf(empty.html)).toBe('Error: Add an organisation – Practice Exchange');
    const text = textOf(empty.html);
    for (const message of [
      'Enter a short name',
      'Enter the organisation&#39;s name',
      'Select the type of organisation',
      'Enter the country&#39;s two-letter code',
    ])
      expect(text).toContain(message);
    for (const href of ['#slug', '#name', '#kind', '#country']) expect(empty.html).toContain(`href="${href}"`);
    expect(empty.html).toContain('value="Somewhere"');
    expect(empty.html).toContain('typed.gov.uk</textarea>');

    const malformed = await client.post('/platform/organisations', { ...valid, slug: 'Bad Slug', country: 'GBR', kind: 'KINGDOM' });
    expect(textOf(malformed.html)).toContain('Short name must be 2 to 64 lower-case letters');
    expect(textOf(malformed.html)).toContain('Country must be a two-letter code');
    expect(textOf(malformed.html)).toContain('Select a type of organisation from the list');
    expect(malformed.html).toContain('value="Bad Slug"');

    const taken = await client.post('/platform/organisations', { ...valid, slug: kent.slug });
    expect(textOf(taken.html)).toContain('An organisation already has this short name');
    expect((await organisationRow(kent.slug))!.name).toBe('Kent Platform Council');
    expect(await organisationRow('bad-slug')).toBeNull();
  });

  it('shows the e-mail domain uniqueness refusal as a GOV.UK error, writing nothing', async () => {
    const client = await signedIn(platformAdmin);
    await client.get('/platform/organisations/new');
    const refused = await client.post('/platform/organisations', {
      ...valid,
      slug: 'south-web',
      name: 'South Web Council',
      emailDomains: `south-web.gov.uk\n${kent.slug}.gov.uk`,
    });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain(`There is a problem ${kent.slug}.gov.uk already belongs to another organisation`);
    expect(refused.html).toContain('href="#emailDomains"');
    expect(refused.html).toContain(`south-web.gov.uk\n${kent.slug}.gov.uk</textarea>`);
    expect(await organisationRow('south-web')).toBeNull();
    const invalid = await client.post('/platform/organisations', { ...valid, slug: 'south-web', emailDomains: 'not_a domain' });
    expect(textOf(invalid.html)).toContain('is not a domain name');
    expect(await organisationRow('south-web')).toBeNull();
  });

  it("changes an organisation's name, region and domains", async () => {
    const east = await createOrganisation(t.app, { name: 'East Web Council', region: 'East' });
    const client = await signedIn(platformAdmin);
    const form = await client.get(`/platform/organisations/${east.slug}`);
    expect(form.status).toBe(200);
    expect(textOf(form.html)).toContain(`Short name: ${east.slug}. It cannot be changed.`);
    expect(form.html).toContain('value="East Web Council"');
    expect(form.html).toContain(`${east.slug}.gov.uk</textarea>`);
    const done = await client.post(`/platform/organisations/${east.slug}`, {
      name: 'East Web Borough',
      kind: 'OTHER_PUBLIC_BODY',
      country: 'GB',
      region: '',
      emailDomains: `${east.slug}.gov.uk, east-web.example.org`,
      slug: 'ignored',
    });
    expect(done.location).toBe('/platform?done=updated');
    expect(await organisationRow(east.slug)).toMatchObject({
      name: 'East Web Borough',
      kind: 'OTHER_PUBLIC_BODY',
      region: null,
      domains: ['east-web.example.org', `${east.slug}.gov.uk`],
    });
    expect(await organisationRow('ignored')).toBeNull();

    const refused = await client.post(`/platform/organisations/${east.slug}`, {
      name: 'East Again',
      kind: 'UK_COUNCIL',
      country: 'GB',
      region: '',
      emailDomains: `${kent.slug}.gov.uk`,
    });
    expect(refused.status).toBe(400);
    expect(textOf(refused.html)).toContain('already belongs to another organisation');
    expect((await organisationRow(east.slug))!.name).toBe('East Web Borough');
    expect((await client.get('/platform/organisations/no-such-organisation')).status).toBe(404);
  });

  it('refuses a form without its CSRF token and anyone but a platform admin, writing nothing', async () => {
    const client = await signedIn(platformAdmin);
    await client.get('/platform/organisations/new');
    expect((await client.post('/platform/organisations', { ...valid, slug: 'no-token', _csrf: null })).status).toBe(403);
    expect((await client.post(`/platform/organisations/${kent.slug}`, { ...valid, name: 'Forged', _csrf: 'forged' })).status).toBe(403);
    const admin = await signedIn(orgAdmin);
    await admin.get('/sign-out');
    expect((await admin.post('/platform/organisations', { ...valid, slug: 'by-org-admin' })).status).toBe(404);
    expect((await admin.post(`/platform/organisations/${kent.slug}`, { ...valid, name: 'Renamed by its admin' })).status).toBe(404);
    expect(await organisationRow('no-token')).toBeNull();
    expect(await organisationRow('by-org-admin')).toBeNull();
    expect((await organisationRow(kent.slug))!.name).toBe('Kent Platform Council');
  });
});
