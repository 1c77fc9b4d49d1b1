import { Role } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { ME, SET_ROLES, DEACTIVATE, AUDIT_PAGE, parsePgArray, identityReaders } from '../support/identity-api.js';

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

  const { auditRows, createToken } = identityReaders(() => t);

  describe('member roles', () => {
    it('an ORG_ADMIN changes roles: audited with before and after, and the new role counts on the next request', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const member = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 1 }, member.token))).toBe('FORBIDDEN');

      const res = await t.gql(SET_ROLES, { input: { id: member.id, roles: ['ORG_ADMIN', 'CONTRIBUTOR'] } }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.setMemberRoles).toEqual({ id: member.id, roles: ['CONTRIBUTOR', 'ORG_ADMIN'] });
      const [row] = await t.dataSource.query('SELECT roles FROM member WHERE id = $1', [member.member.id]);
      expect([...parsePgArray(row.roles)].sort()).toEqual(['CONTRIBUTOR', 'ORG_ADMIN']);

      const audit = await auditRows('ROLES_CHANGED', member.member.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: admin.member.id, organisation_id: org.id, subject_type: 'Member' });
      expect(audit[0]!.details).toEqual({ before: ['CONTRIBUTOR'], after: ['CONTRIBUTOR', 'ORG_ADMIN'] });

      // Same token, next request: the new role is in force.
      const now = await t.gql(AUDIT_PAGE, { first: 5 }, member.token);
      expect(now.errors).toBeUndefined();
      expect((await t.gql(ME, {}, member.token)).data?.me.roles).toEqual(['CONTRIBUTOR', 'ORG_ADMIN']);
    });

    it('taking a role away ends its permission on the next request', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const deputy = await createMember(t.app, org, [Role.ORG_ADMIN]);
      expect((await t.gql(AUDIT_PAGE, { first: 1 }, deputy.token)).errors).toBeUndefined();
      const res = await t.gql(SET_ROLES, { input: { id: deputy.id, roles: [] } }, admin.token);
      expect(res.data?.setMemberRoles.roles).toEqual([]);
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 1 }, deputy.token))).toBe('FORBIDDEN');
    });

    it('an ORG_ADMIN cannot grant PLATFORM_ADMIN, nor manage members of another organisation', async () => {
      const org = await createOrganisation(t.app);
      const otherOrg = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const colleague = await createMember(t.app, org);
      const stranger = await createMember(t.app, otherOrg);

      const grant = await t.gql(SET_ROLES, { input: { id: colleague.id, roles: ['PLATFORM_ADMIN'] } }, admin.token);
      expect(errorCode(grant)).toBe('FORBIDDEN');
      const self = await t.gql(SET_ROLES, { input: { id: admin.id, roles: ['ORG_ADMIN', 'PLATFORM_ADMIN'] } }, admin.token);
      expect(errorCode(self)).toBe('FORBIDDEN');
      const across = await t.gql(SET_ROLES, { input: { id: stranger.id, roles: ['ORG_ADMIN'] } }, admin.token);
      expect(errorCode(across)).toBe('FORBIDDEN');

      const rows = await t.dataSource.query('SELECT id, roles FROM member WHERE id = ANY($1)', [[admin.member.id, colleague.member.id, stranger.member.id]]);
      for (const row of rows) expect(parsePgArray(row.roles)).not.toContain('PLATFORM_ADMIN');
      expect(parsePgArray(rows.find((r: { id: string }) => r.id === stranger.member.id).roles)).toEqual(['CONTRIBUTOR']);
    });

    it('an ORG_ADMIN cannot demote or deactivate a PLATFORM_ADMIN of their own organisation', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const platformAdmin = await createMember(t.app, org, [Role.PLATFORM_ADMIN]);
      expect(errorCode(await t.gql(SET_ROLES, { input: { id: platformAdmin.id, roles: [] } }, admin.token))).toBe('FORBIDDEN');
      expect(errorCode(await t.gql(DEACTIVATE, { input: { id: platformAdmin.id } }, admin.token))).toBe('FORBIDDEN');
      const [row] = await t.dataSource.query('SELECT roles, deactivated_at FROM member WHERE id = $1', [platformAdmin.member.id]);
      expect(parsePgArray(row.roles)).toEqual(['PLATFORM_ADMIN']);
      expect(row.deactivated_at).toBeNull();
      expect((await t.gql(ME, {}, platformAdmin.token)).data?.me.roles).toEqual(['PLATFORM_ADMIN']);
    });

    it('a CONTRIBUTOR cannot change roles, not even their own', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      expect(errorCode(await t.gql(SET_ROLES, { input: { id: m.id, roles: ['ORG_ADMIN'] } }, m.token))).toBe('FORBIDDEN');
      expect((await t.gql(ME, {}, m.token)).data?.me.roles).toEqual(['CONTRIBUTOR']);
    });
  });

  describe('deactivateMember', () => {
    it('stops every token of the member at once, marks them revoked and audits MEMBER_DEACTIVATED', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const leaver = await createMember(t.app, org);
      const second = (await createToken(leaver.token, { name: 'laptop', scopes: ['READ'] })).data!.createApiToken.token as string;
      expect((await t.gql(ME, {}, second)).data?.me.id).toBe(leaver.id);

      const res = await t.gql(DEACTIVATE, { input: { id: leaver.id } }, admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.deactivateMember).toEqual({ id: leaver.id, active: false });

      for (const token of [leaver.token, second]) {
        const refused = await t.gql(ME, {}, token);
        expect(errorCode(refused)).toBe('UNAUTHENTICATED');
      }
      const tokens = await t.dataSource.query('SELECT revoked_at FROM api_token WHERE member_id = $1', [leaver.member.id]);
      expect(tokens).toHaveLength(2);
      for (const row of tokens) expect(row.revoked_at).toBeInstanceOf(Date);
      const [member] = await t.dataSource.query('SELECT deactivated_at FROM member WHERE id = $1', [leaver.member.id]);
      expect(member.deactivated_at).toBeInstanceOf(Date);

      const audit = await auditRows('MEMBER_DEACTIVATED', leaver.member.id);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_member_id: admin.member.id, organisation_id: org.id, subject_type: 'Member' });
      expect(audit[0]!.details).toMatchObject({ tokensRevoked: 2 });
      // The admin keeps working.
      expect((await t.gql(ME, {}, admin.token)).data?.me.id).toBe(admin.id);
    });

    it('an ORG_ADMIN of another organisation cannot deactivate the member', async () => {
      const org = await createOrganisation(t.app);
      const otherAdmin = await createMember(t.app, await createOrganisation(t.app), [Role.ORG_ADMIN]);
      const member = await createMember(t.app, org);
      expect(errorCode(await t.gql(DEACTIVATE, { input: { id: member.id } }, otherAdmin.token))).toBe('FORBIDDEN');
      expect((await t.gql(ME, {}, member.token)).data?.me.id).toBe(member.id);
      expect(await auditRows('MEMBER_DEACTIVATED', member.member.id)).toHaveLength(0);
    });
  });
});
