import { Role, requireGlobalId } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { UPSERT_ORG } from '../support/identity-api.js';

/**
 * Identity through the real API: tokens (shown once, stored hashed, scoped, revocable), roles, deactivation,
 * organisations and the audit log, each checked in the response and in the database.
 */
describe('identity through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  describe('upsertOrganisation', () => {
    it('a PLATFORM_ADMIN creates an organisation, then updates it by slug', async () => {
      const home = await createOrganisation(t.app);
      const platform = await createMember(t.app, home, [Role.PLATFORM_ADMIN]);
      const slug = `shire-${Date.now().toString(36)}`;
      const created = await t.gql(
        UPSERT_ORG,
        {
          input: {
            slug,
            name: 'Shire Council',
            kind: 'UK_COUNCIL',
            country: 'gb',
            region: 'South East',
            emailDomains: [`${slug}.gov.uk`, `@Mail.${slug}.GOV.UK`],
          },
        },
        platform.token,
      );
      expect(created.errors).toBeUndefined();
      expect(created.data?.upsertOrganisation).toMatchObject({ slug, name: 'Shire Council', kind: 'UK_COUNCIL', country: 'GB', region: 'South East' });
      expect([...created.data!.upsertOrganisation.emailDomains].sort()).toEqual([`${slug}.gov.uk`, `mail.${slug}.gov.uk`].sort());

      const updated = await t.gql(
        UPSERT_ORG,
        { input: { slug, name: 'Shire District Council', kind: 'UK_COUNCIL', country: 'GB', emailDomains: [`${slug}.gov.uk`] } },
        platform.token,
      );
      expect(updated.errors).toBeUndefined();
      expect(updated.data?.upsertOrganisation).toMatchObject({
        id: created.data!.upsertOrganisation.id,
        slug,
        name: 'Shire District Council',
        emailDomains: [`${slug}.gov.uk`],
      });

      const rows = await t.dataSource.query('SELECT id, name FROM organisation WHERE slug = $1', [slug]);
      expect(rows).toEqual([{ id: requireGlobalId(created.data!.upsertOrganisation.id, 'Organisation'), name: 'Shire District Council' }]);
      const domains = await t.dataSource.query('SELECT domain FROM organisation_domain WHERE organisation_id = $1', [rows[0].id]);
      expect(domains).toEqual([{ domain: `${slug}.gov.uk` }]);
      const actions = (await t.dataSource.query('SELECT action FROM audit_event WHERE subject_id = $1 ORDER BY occurred_at', [rows[0].id])).map(
        (r: { action: string }) => r.action,
      );
      expect(actions).toEqual(['ORGANISATION_CREATED', 'ORGANISATION_UPDATED']);

      const read = await t.gql('query($slug: String!) { organisation(slug: $slug) { name emailDomains } }', { slug });
      expect(read.data?.organisation).toEqual({ name: 'Shire District Council', emailDomains: [`${slug}.gov.uk`] });
    });

    it('a domain another organisation owns is a CONFLICT, and nothing changes', async () => {
      const owner = await createOrganisation(t.app);
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const slug = `grabber-${Date.now().toString(36)}`;
      const res = await t.gql(
        UPSERT_ORG,
        { input: { slug, name: 'Grabber', kind: 'OTHER_PUBLIC_BODY', country: 'GB', emailDomains: [`${owner.slug.toUpperCase()}.gov.uk`] } },
        platform.token,
      );
      expect(errorCode(res)).toBe('CONFLICT');
      expect(res.errors![0]!.message).toContain(`${owner.slug}.gov.uk`);
      expect(await t.dataSource.query('SELECT id FROM organisation WHERE slug = $1', [slug])).toEqual([]);
      const [domain] = await t.dataSource.query('SELECT organisation_id FROM organisation_domain WHERE domain = $1', [`${owner.slug}.gov.uk`]);
      expect(domain.organisation_id).toBe(owner.id);
    });

    it('emailDomains: null (a nullable field sent as null) is handled, not an internal error, and takes no domain away silently', async () => {
      const org = await createOrganisation(t.app);
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const res = await t.gql(
        UPSERT_ORG,
        { input: { slug: org.slug, name: 'Renamed Council', kind: 'UK_COUNCIL', country: 'GB', emailDomains: null } },
        platform.token,
      );
      // null means "leave the domains as they are", as leaving the field out does.
      expect(res.errors).toBeUndefined();
      expect(res.data?.upsertOrganisation).toMatchObject({ slug: org.slug, name: 'Renamed Council', emailDomains: [`${org.slug}.gov.uk`] });
      const domains = await t.dataSource.query('SELECT domain FROM organisation_domain WHERE organisation_id = $1', [org.id]);
      expect(domains).toEqual([{ domain: `${org.slug}.gov.uk` }]);
    });

    it('an ORG_ADMIN cannot create organisations or claim domains', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const res = await t.gql(
        UPSERT_ORG,
        { input: { slug: org.slug, name: org.name, kind: 'UK_COUNCIL', country: 'GB', emailDomains: [`${org.slug}.gov.uk`, 'gmail.com'] } },
        admin.token,
      );
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(await t.dataSource.query("SELECT domain FROM organisation_domain WHERE domain = 'gmail.com'")).toEqual([]);
    });
  });
});
