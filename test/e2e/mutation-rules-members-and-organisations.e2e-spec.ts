import { AuditAction, Role, TokenScope, toGlobalId } from '#identity';
import { createMember, type TestMember } from '../factories/index.js';
import { type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { unique } from '../support/unique.js';
import { SET_ROLES, DEACTIVATE, UPSERT_ORGANISATION, ME, expectRefused, mutationRulesSuite } from '../support/mutation-rules.js';

/**
 * Who may call each mutation, through the real guards, over HTTP.
 *
 * For every mutation: at least one allowed actor succeeds, and each forbidden actor is refused with the right
 * `extensions.code` — anonymous: UNAUTHENTICATED; a member whose roles (or token scopes) lack the permission:
 * FORBIDDEN; a member of another organisation on a row they can read: FORBIDDEN; on a row they cannot read:
 * NOT_FOUND (never FORBIDDEN, so the answer does not reveal that the row exists). After every refusal the database
 * is read back to show that nothing was written, and audit events are checked to exist after a success only.
 */
describe('mutation rules: who may call each mutation, and nothing is written when refused', () => {
  let t: TestApp;
  let orgA: OrganisationEntity;
  let orgB: OrganisationEntity;
  let aContributor: TestMember;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let bAdmin: TestMember;
  let moderator: TestMember;
  let platformAdmin: TestMember;

  const { count, memberRow, auditCount, auditTotal, scopedToken } = mutationRulesSuite(
    (running) => ({ t, orgA, orgB, aContributor, aAdmin, aPlain, bAdmin, moderator, platformAdmin } = running),
  );

  describe('setMemberRoles', () => {
    const rolesAudits = (memberId: string) => auditCount(AuditAction.ROLES_CHANGED, memberId);

    it('lets an ORG_ADMIN change roles within their organisation, recording ROLES_CHANGED', async () => {
      const target = await createMember(t.app, orgA, []);
      expect(expectOk(await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR', 'ORG_ADMIN'] }, aAdmin.token), 'setMemberRoles').roles.sort()).toEqual([
        'CONTRIBUTOR',
        'ORG_ADMIN',
      ]);
      expect(((await memberRow(target.member.id)).roles as string[]).sort()).toEqual(['CONTRIBUTOR', 'ORG_ADMIN']);
      expect(await rolesAudits(target.member.id)).toBe(1);
    });

    it('lets a PLATFORM_ADMIN change roles in any organisation, PLATFORM_ADMIN included', async () => {
      const target = await createMember(t.app, orgB, []);
      expectOk(await t.gql(SET_ROLES, { id: target.id, roles: ['PLATFORM_ADMIN'] }, platformAdmin.token), 'setMemberRoles');
      expect((await memberRow(target.member.id)).roles).toEqual(['PLATFORM_ADMIN']);
      expect(await rolesAudits(target.member.id)).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', ['CONTRIBUTOR']],
      ['a plain member of the organisation', () => aPlain.token, 'FORBIDDEN', ['CONTRIBUTOR']],
      ['a CONTRIBUTOR of the organisation', () => aContributor.token, 'FORBIDDEN', ['CONTRIBUTOR']],
      ['a MODERATOR', () => moderator.token, 'FORBIDDEN', ['CONTRIBUTOR']],
      ['an ORG_ADMIN of another organisation', () => bAdmin.token, 'FORBIDDEN', ['CONTRIBUTOR']],
      ['an ORG_ADMIN granting PLATFORM_ADMIN in their own organisation', () => aAdmin.token, 'FORBIDDEN', ['PLATFORM_ADMIN']],
      ['an ORG_ADMIN granting PLATFORM_ADMIN alongside other roles', () => aAdmin.token, 'FORBIDDEN', ['CONTRIBUTOR', 'PLATFORM_ADMIN']],
    ])('refuses %s; roles unchanged, no audit event', async (_who, token, code, roles) => {
      const target = await createMember(t.app, orgA, [Role.MODERATOR]);
      const before = await memberRow(target.member.id);
      expectRefused(await t.gql(SET_ROLES, { id: target.id, roles }, token()), code, 'setMemberRoles');
      expect(await memberRow(target.member.id)).toEqual(before);
      expect(await rolesAudits(target.member.id)).toBe(0);
    });

    it('refuses an ORG_ADMIN making themselves PLATFORM_ADMIN', async () => {
      const admin = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
      const before = await memberRow(admin.member.id);
      const response = await t.gql(SET_ROLES, { id: admin.id, roles: ['ORG_ADMIN', 'PLATFORM_ADMIN'] }, admin.token);
      expectRefused(response, 'FORBIDDEN', 'setMemberRoles');
      expect(response.errors![0]!.message).toContain('PLATFORM_ADMIN');
      expect(await memberRow(admin.member.id)).toEqual(before);
    });

    it('refuses an ORG_ADMIN taking PLATFORM_ADMIN away from a platform admin of their organisation', async () => {
      // Only platform admins grant PLATFORM_ADMIN; an organisation admin must not be able to remove it either.
      const target = await createMember(t.app, orgA, [Role.PLATFORM_ADMIN]);
      const before = await memberRow(target.member.id);
      expectRefused(await t.gql(SET_ROLES, { id: target.id, roles: [] }, aAdmin.token), 'FORBIDDEN', 'setMemberRoles');
      expect(await memberRow(target.member.id)).toEqual(before);
      expect(await rolesAudits(target.member.id)).toBe(0);
    });

    it('refuses an ORG_ADMIN whose token lacks the admin scope', async () => {
      const target = await createMember(t.app, orgA, []);
      const before = await memberRow(target.member.id);
      const { token } = await scopedToken(aAdmin, [TokenScope.READ, TokenScope.WRITE, TokenScope.MODERATE]);
      expectRefused(await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR'] }, token), 'FORBIDDEN', 'setMemberRoles');
      expect(await memberRow(target.member.id)).toEqual(before);
    });

    it('answers NOT_FOUND for a member that does not exist', async () => {
      const missing = toGlobalId('Member', '00000000-0000-4000-8000-000000000000');
      expectRefused(await t.gql(SET_ROLES, { id: missing, roles: ['CONTRIBUTOR'] }, aAdmin.token), 'NOT_FOUND', 'setMemberRoles');
    });
  });

  // =====================================================================================================

  describe('deactivateMember', () => {
    it('lets an ORG_ADMIN deactivate a member of their organisation: tokens revoked, MEMBER_DEACTIVATED recorded', async () => {
      const target = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      expect(expectOk(await t.gql(DEACTIVATE, { id: target.id }, aAdmin.token), 'deactivateMember').active).toBe(false);
      expect((await memberRow(target.member.id)).deactivated_at).not.toBeNull();
      expect(await count('select count(*) as n from api_token where member_id = $1 and revoked_at is null', [target.member.id])).toBe(0);
      expect(await auditCount(AuditAction.MEMBER_DEACTIVATED, target.member.id)).toBe(1);
      expectRefused(await t.gql(ME, {}, target.token), 'UNAUTHENTICATED', 'me');
    });

    it('lets a PLATFORM_ADMIN deactivate a member of any organisation', async () => {
      const target = await createMember(t.app, orgB, []);
      expectOk(await t.gql(DEACTIVATE, { id: target.id }, platformAdmin.token), 'deactivateMember');
      expect((await memberRow(target.member.id)).deactivated_at).not.toBeNull();
      expect(await auditCount(AuditAction.MEMBER_DEACTIVATED, target.member.id)).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED'],
      ['a plain member of the organisation', () => aPlain.token, 'FORBIDDEN'],
      ['a CONTRIBUTOR of the organisation', () => aContributor.token, 'FORBIDDEN'],
      ['a MODERATOR', () => moderator.token, 'FORBIDDEN'],
      ['an ORG_ADMIN of another organisation', () => bAdmin.token, 'FORBIDDEN'],
    ])('refuses %s; the member and their token stay active, no audit event', async (_who, token, code) => {
      const target = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const before = await memberRow(target.member.id);
      expectRefused(await t.gql(DEACTIVATE, { id: target.id }, token()), code, 'deactivateMember');
      expect(await memberRow(target.member.id)).toEqual(before);
      expect(await count('select count(*) as n from api_token where member_id = $1 and revoked_at is not null', [target.member.id])).toBe(0);
      expect(await auditCount(AuditAction.MEMBER_DEACTIVATED, target.member.id)).toBe(0);
      expect((await t.gql(ME, {}, target.token)).data?.me).toEqual({ id: target.id });
    });
  });

  // =====================================================================================================

  describe('upsertOrganisation', () => {
    const organisationInput = (slug = `org-${unique()}`) => ({
      slug,
      name: `Borough of ${slug}`,
      kind: 'UK_COUNCIL',
      country: 'GB',
      emailDomains: [`${slug}.gov.uk`],
    });
    const organisationCount = () => count('select count(*) as n from organisation');

    it('lets a PLATFORM_ADMIN create an organisation, recording ORGANISATION_CREATED', async () => {
      const input = organisationInput();
      const organisation = expectOk(await t.gql(UPSERT_ORGANISATION, { input }, platformAdmin.token), 'upsertOrganisation');
      expect(organisation).toMatchObject({ slug: input.slug, emailDomains: input.emailDomains });
      const rows = (await t.dataSource.query('select id from organisation where slug = $1', [input.slug])) as { id: string }[];
      expect(rows).toHaveLength(1);
      expect(await auditCount(AuditAction.ORGANISATION_CREATED, rows[0]!.id)).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED'],
      ['a plain member', () => aPlain.token, 'FORBIDDEN'],
      ['a CONTRIBUTOR', () => aContributor.token, 'FORBIDDEN'],
      ['an ORG_ADMIN', () => aAdmin.token, 'FORBIDDEN'],
      ['a MODERATOR', () => moderator.token, 'FORBIDDEN'],
    ])('refuses %s creating an organisation; nothing is written', async (_who, token, code) => {
      const before = await organisationCount();
      const audits = await auditTotal(AuditAction.ORGANISATION_CREATED);
      const input = organisationInput();
      expectRefused(await t.gql(UPSERT_ORGANISATION, { input }, token()), code, 'upsertOrganisation');
      expect(await organisationCount()).toBe(before);
      expect(await count('select count(*) as n from organisation_domain where domain = $1', [input.emailDomains[0]])).toBe(0);
      expect(await auditTotal(AuditAction.ORGANISATION_CREATED)).toBe(audits);
    });

    it("refuses an ORG_ADMIN changing their own organisation's name and e-mail domains", async () => {
      const before = await t.dataSource.query(
        'select o.name, array_agg(d.domain order by d.domain) as domains from organisation o join organisation_domain d on d.organisation_id = o.id where o.id = $1 group by o.name',
        [orgA.id],
      );
      const input = { ...organisationInput(orgA.slug), name: 'Taken over', emailDomains: ['gmail.com'] };
      expectRefused(await t.gql(UPSERT_ORGANISATION, { input }, aAdmin.token), 'FORBIDDEN', 'upsertOrganisation');
      expect(
        await t.dataSource.query(
          'select o.name, array_agg(d.domain order by d.domain) as domains from organisation o join organisation_domain d on d.organisation_id = o.id where o.id = $1 group by o.name',
          [orgA.id],
        ),
      ).toEqual(before);
      expect(await auditCount(AuditAction.ORGANISATION_UPDATED, orgA.id)).toBe(0);
    });

    it('refuses a PLATFORM_ADMIN whose token lacks the admin scope', async () => {
      const { token } = await scopedToken(platformAdmin, [TokenScope.READ, TokenScope.WRITE]);
      const before = await organisationCount();
      expectRefused(await t.gql(UPSERT_ORGANISATION, { input: organisationInput() }, token), 'FORBIDDEN', 'upsertOrganisation');
      expect(await organisationCount()).toBe(before);
    });
  });
});
