import { AppConfig } from '#config';
import { Role, TokenScope, toGlobalId, type AttributeMapping, type OrganisationEntity } from '#identity';
import { Visibility } from '#practices';
import { createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember, createIdentityProvider } from '../factories/index.js';
import { NAMEID_FORMAT, createTestIdp, parseAuthnRequest, type TestIdp } from '../support/saml-idp.js';
import { errorCode, expectOk, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * Moderation stays within its remit: MODERATOR (a platform-wide role) is granted and removed by platform admins
 * only, never by an organisation's admin nor by its IdP's role mapping; a hide can be reversed by whoever may hide
 * it, and is audited; the flag queue shows who hid what and when.
 */

const SET_ROLES = `mutation($id: ID!, $roles: [Role!]!) { setMemberRoles(input: { id: $id, roles: $roles }) { id roles } }`;
const RESOLVE = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id status } }`;
const UNHIDE = `mutation($subjectId: ID!) { unhideContent(input: { subjectId: $subjectId }) { __typename id ... on Practice { title } ... on Comment { body } } }`;
const FLAGS = `query($status: FlagStatus) { flags(first: 100, status: $status) {
  edges { node { id subjectId status resolvedAt resolvedBy { id name } unhiddenAt unhiddenBy { id name } } } } }`;
const PRACTICE = `query($id: ID!) { practice(id: $id) { id title comments(first: 100) { edges { node { id body } } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id } }`;
const LIST = `query($tags: [String!]) { practices(filter: { tags: $tags }) { edges { node { id } } } }`;
const CONFIGURE_IDP = `mutation($input: ConfigureIdentityProviderInput!) { configureIdentityProvider(input: $input) { id } }`;

describe('moderation stays within its remit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const rolesOf = async (memberId: string): Promise<string[]> => {
    const [row] = await t.dataSource.query(`SELECT array_to_string(roles, ',') AS roles FROM member WHERE id = $1`, [memberId]);
    return (row.roles as string).split(',').filter(Boolean).sort();
  };
  const audits = (action: string, subjectId: string) =>
    t.dataSource.query(`SELECT actor_member_id, organisation_id, subject_type, details FROM audit_event WHERE action = $1 AND subject_id = $2`, [
      action,
      subjectId,
    ]);

  function expectRefused(response: GraphqlResponse, code: string, field: string): void {
    expect({ code: errorCode(response), message: response.errors?.[0]?.message }).toMatchObject({ code });
    expect(response.data?.[field] ?? null).toBeNull();
  }

  // ===============================================================================================================

  describe('setMemberRoles and MODERATOR', () => {
    let org: OrganisationEntity;
    let admin: TestMember;
    let platformAdmin: TestMember;

    beforeAll(async () => {
      org = await createOrganisation(t.app);
      admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      platformAdmin = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
    });

    it('refuses an ORG_ADMIN making themselves MODERATOR: FORBIDDEN, roles unchanged, no audit row', async () => {
      const self = await createMember(t.app, org, [Role.ORG_ADMIN]);

      const response = await t.gql(SET_ROLES, { id: self.id, roles: ['ORG_ADMIN', 'MODERATOR'] }, self.token);

      expectRefused(response, 'FORBIDDEN', 'setMemberRoles');
      expect(response.errors![0]!.message).toMatch(/MODERATOR/);
      expect(response.errors![0]!.message).toMatch(/platform admin/);
      expect(await rolesOf(self.member.id)).toEqual(['ORG_ADMIN']);
      expect(await audits('ROLES_CHANGED', self.member.id)).toEqual([]);
    });

    it('refuses an ORG_ADMIN granting MODERATOR to a member of their organisation', async () => {
      const target = await createMember(t.app, org, [Role.CONTRIBUTOR]);

      expectRefused(await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR', 'MODERATOR'] }, admin.token), 'FORBIDDEN', 'setMemberRoles');

      expect(await rolesOf(target.member.id)).toEqual(['CONTRIBUTOR']);
      expect(await audits('ROLES_CHANGED', target.member.id)).toEqual([]);
    });

    it('refuses an ORG_ADMIN taking MODERATOR from a moderator of their organisation', async () => {
      const target = await createMember(t.app, org, [Role.CONTRIBUTOR, Role.MODERATOR]);

      const response = await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR'] }, admin.token);

      expectRefused(response, 'FORBIDDEN', 'setMemberRoles');
      expect(response.errors![0]!.message).toMatch(/MODERATOR/);
      expect(await rolesOf(target.member.id)).toEqual(['CONTRIBUTOR', 'MODERATOR']);
      expect(await audits('ROLES_CHANGED', target.member.id)).toEqual([]);
    });

    it("lets an ORG_ADMIN change a moderator's other roles when MODERATOR stays as it is", async () => {
      const target = await createMember(t.app, org, [Role.CONTRIBUTOR, Role.MODERATOR]);

      const changed = expectOk(await t.gql(SET_ROLES, { id: target.id, roles: ['MODERATOR', 'ORG_ADMIN'] }, admin.token), 'setMemberRoles');

      expect([...changed.roles].sort()).toEqual(['MODERATOR', 'ORG_ADMIN']);
      expect(await rolesOf(target.member.id)).toEqual(['MODERATOR', 'ORG_ADMIN']);
      expect(await audits('ROLES_CHANGED', target.member.id)).toHaveLength(1);
    });

    it('lets a PLATFORM_ADMIN grant MODERATOR and take it away again, each recorded', async () => {
      const target = await createMember(t.app, org, [Role.CONTRIBUTOR]);

      expectOk(await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR', 'MODERATOR'] }, platformAdmin.token), 'setMemberRoles');
      expect(await rolesOf(target.member.id)).toEqual(['CONTRIBUTOR', 'MODERATOR']);
      expectOk(await t.gql(SET_ROLES, { id: target.id, roles: ['CONTRIBUTOR'] }, platformAdmin.token), 'setMemberRoles');
      expect(await rolesOf(target.member.id)).toEqual(['CONTRIBUTOR']);

      const rows = await audits('ROLES_CHANGED', target.member.id);
      expect(rows.map((r: any) => [r.actor_member_id, r.details])).toEqual([
        [platformAdmin.member.id, { before: ['CONTRIBUTOR'], after: ['CONTRIBUTOR', 'MODERATOR'] }],
        [platformAdmin.member.id, { before: ['CONTRIBUTOR', 'MODERATOR'], after: ['CONTRIBUTOR'] }],
      ]);
    });
  });

  // ===============================================================================================================

  describe("an IdP's role mapping", () => {
    let idp: TestIdp;
    let config: AppConfig;
    let org: OrganisationEntity;
    let idpRecordId: string;
    const mapping: AttributeMapping = {
      roles: 'groups',
      roleValues: { 'pe-mods': 'MODERATOR' as Role, 'pe-staff': 'CONTRIBUTOR' as Role, 'pe-admins': 'ORG_ADMIN' as Role },
    };

    beforeAll(async () => {
      idp = await createTestIdp({ entityId: `https://idp-${unique()}.test/saml`, ssoUrl: 'https://idp.test/sso', sloUrl: 'https://idp.test/slo' });
      config = t.app.get(AppConfig);
      org = await createOrganisation(t.app);
      // Stored as it may have been before MODERATOR left the IdP's reach: the mapping still names it.
      const record = await createIdentityProvider(t.app, org, idp, mapping);
      idpRecordId = record.id;
    });

    /** A whole SAML sign-in of `nameId` asserting `groups`; the member's id. */
    async function signIn(nameId: string, groups: string[]): Promise<string> {
      const login = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/login?returnTo=%2F`, { redirect: 'manual' });
      expect(login.status).toBe(302);
      const state = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .find((c) => c.startsWith('pe_saml_state='))!;
      const base = `${config.publicUrl}/auth/saml/${org.slug}`;
      const samlResponse = idp.loginResponse({
        acsUrl: `${base}/acs`,
        spEntityId: `${base}/metadata`,
        inResponseTo: parseAuthnRequest(login.headers.get('location')!).id,
        nameId,
        nameIdFormat: NAMEID_FORMAT.persistent,
        attributes: { mail: `${nameId}@${org.slug}.gov.uk`, displayName: 'An Officer', groups },
        sessionIndex: `_si-${unique()}`,
      });
      const acs = await fetch(`${t.baseUrl}/auth/saml/${org.slug}/acs`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: state },
        body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
      });
      expect(acs.status).toBe(303);
      const [row] = await t.dataSource.query(`SELECT member_id FROM member_identity WHERE identity_provider_id = $1 AND name_id = $2`, [idpRecordId, nameId]);
      return row.member_id;
    }

    it('does not grant MODERATOR, whether mapped from a group or asserted by name', async () => {
      const memberId = await signIn(`nid-${unique()}`, ['pe-mods', 'MODERATOR', 'pe-staff']);

      expect(await rolesOf(memberId)).toEqual(['CONTRIBUTOR']);
    });

    it('keeps MODERATOR granted by a platform admin when the IdP asserts other roles at the next sign-in', async () => {
      const nameId = `nid-${unique()}`;
      const memberId = await signIn(nameId, ['pe-staff']);
      const platformAdmin = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const memberGid = toGlobalId('Member', memberId);
      expectOk(await t.gql(SET_ROLES, { id: memberGid, roles: ['CONTRIBUTOR', 'MODERATOR'] }, platformAdmin.token), 'setMemberRoles');

      await signIn(nameId, ['pe-admins']);

      expect(await rolesOf(memberId)).toEqual(['MODERATOR', 'ORG_ADMIN']);
    });

    it('configureIdentityProvider refuses a role mapping to MODERATOR with BAD_USER_INPUT, and stores nothing', async () => {
      const other = await createOrganisation(t.app);
      const admin = await createMember(t.app, other, [Role.ORG_ADMIN]);

      const response = await t.gql(
        CONFIGURE_IDP,
        {
          input: {
            organisationSlug: other.slug,
            key: 'main',
            name: 'Council IdP',
            metadataXml: idp.metadataXml,
            attributeMapping: { roles: 'groups', roleValues: [{ value: 'pe-mods', role: 'MODERATOR' }] },
          },
        },
        admin.token,
      );

      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response.errors)).toMatch(/CONTRIBUTOR or ORG_ADMIN/);
      expect(await t.dataSource.query(`SELECT 1 FROM identity_provider WHERE organisation_id = $1`, [other.id])).toEqual([]);
    });
  });

  // ===============================================================================================================

  describe('unhideContent', () => {
    /** A TLP_CLEAR practice of org A with a comment, each flagged; a moderator of org M; org A's admin. */
    async function scene(visibility = Visibility.TLP_CLEAR) {
      const orgA = await createOrganisation(t.app);
      const author = await createMember(t.app, orgA);
      const adminA = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
      const reader = await createMember(t.app, await createOrganisation(t.app));
      const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);
      const otherAdmin = await createMember(t.app, await createOrganisation(t.app), [Role.ORG_ADMIN]);
      const tag = `Unhide ${unique()}`;
      const practice = await createPractice(t.app, author, { visibility, title: `Unhide ${unique()}`, tags: [tag] });
      const comment = await createComment(t.app, author, practice, 'A comment worth keeping.');
      const flag = await createFlag(t.app, adminA, practice.gid);
      const commentFlag = await createFlag(t.app, adminA, comment.gid);
      return { orgA, author, adminA, reader, moderator, otherAdmin, tag, practice, comment, flag, commentFlag };
    }

    const hiddenAt = async (table: 'practice' | 'comment', id: string) =>
      (await t.dataSource.query(`SELECT hidden_at FROM ${table} WHERE id = $1`, [id]))[0].hidden_at;

    it('a moderator hides a practice and unhides it: it is back on every read path, its flags say so, CONTENT_UNHIDDEN recorded', async () => {
      const s = await scene();
      expectOk(await t.gql(RESOLVE, { id: s.flag.gid, action: 'HIDE' }, s.moderator.token), 'resolveFlag');
      expect((await t.gql(PRACTICE, { id: s.practice.gid })).data!.practice).toBeNull();

      const response = await t.gql(UNHIDE, { subjectId: s.practice.gid }, s.moderator.token);

      expect(expectOk(response, 'unhideContent')).toEqual({ __typename: 'Practice', id: s.practice.gid, title: s.practice.title });
      expect(await hiddenAt('practice', s.practice.id)).toBeNull();
      const anonymous = await t.gql(PRACTICE, { id: s.practice.gid });
      expect(anonymous.data!.practice).toMatchObject({
        id: s.practice.gid,
        comments: { edges: [{ node: { id: s.comment.gid, body: 'A comment worth keeping.' } }] },
      });
      expect((await t.gql(NODE, { id: s.practice.gid }, s.reader.token)).data!.node).toEqual({ id: s.practice.gid });
      expect((await t.gql(LIST, { tags: [s.tag] }, s.reader.token)).data!.practices.edges.map((e: any) => e.node.id)).toEqual([s.practice.gid]);
      const flags = await t.dataSource.query(
        `SELECT id, status, resolved_by_id, unhidden_by_id, unhidden_at FROM flag WHERE practice_id = $1 ORDER BY created_at`,
        [s.practice.id],
      );
      expect(flags.map((f: any) => [f.id, f.status, f.resolved_by_id, f.unhidden_by_id])).toEqual([
        [s.flag.id, 'UNHIDDEN', s.moderator.member.id, s.moderator.member.id],
        // Closed when its practice was hidden, so back with it.
        [s.commentFlag.id, 'UNHIDDEN', s.moderator.member.id, s.moderator.member.id],
      ]);
      expect(await audits('CONTENT_UNHIDDEN', s.practice.id)).toEqual([
        { actor_member_id: s.moderator.member.id, organisation_id: s.orgA.id, subject_type: 'Practice', details: expect.objectContaining({ flags: 2 }) },
      ]);
    });

    it('a moderator hides a comment and unhides it: the comment is back under its practice', async () => {
      const s = await scene();
      expectOk(await t.gql(RESOLVE, { id: s.commentFlag.gid, action: 'HIDE' }, s.moderator.token), 'resolveFlag');
      expect((await t.gql(PRACTICE, { id: s.practice.gid })).data!.practice.comments.edges).toEqual([]);

      const response = await t.gql(UNHIDE, { subjectId: s.comment.gid }, s.moderator.token);

      expect(expectOk(response, 'unhideContent')).toEqual({ __typename: 'Comment', id: s.comment.gid, body: 'A comment worth keeping.' });
      expect(await hiddenAt('comment', s.comment.id)).toBeNull();
      expect((await t.gql(PRACTICE, { id: s.practice.gid })).data!.practice.comments.edges.map((e: any) => e.node.id)).toEqual([s.comment.gid]);
      const [flag] = await t.dataSource.query(`SELECT status, unhidden_by_id FROM flag WHERE id = $1`, [s.commentFlag.id]);
      expect(flag).toEqual({ status: 'UNHIDDEN', unhidden_by_id: s.moderator.member.id });
      // The practice's own flag was not part of the hide and stays open.
      expect((await t.dataSource.query(`SELECT status FROM flag WHERE id = $1`, [s.flag.id]))[0].status).toBe('OPEN');
      expect(await audits('CONTENT_UNHIDDEN', s.comment.id)).toEqual([
        { actor_member_id: s.moderator.member.id, organisation_id: s.orgA.id, subject_type: 'Comment', details: expect.objectContaining({ flags: 1 }) },
      ]);
    });

    it("the content organisation's admin unhides what a moderator hid", async () => {
      const s = await scene();
      expectOk(await t.gql(RESOLVE, { id: s.flag.gid, action: 'HIDE' }, s.moderator.token), 'resolveFlag');

      expectOk(await t.gql(UNHIDE, { subjectId: s.practice.gid }, s.adminA.token), 'unhideContent');

      expect(await hiddenAt('practice', s.practice.id)).toBeNull();
      expect((await audits('CONTENT_UNHIDDEN', s.practice.id))[0].actor_member_id).toBe(s.adminA.member.id);
    });

    it.each([
      ['an ORG_ADMIN of another organisation', 'otherAdmin', 'NOT_FOUND'],
      ['a member of another organisation without a moderation role', 'reader', 'FORBIDDEN'],
      ['anonymous', null, 'UNAUTHENTICATED'],
    ] as const)('refuses %s: the practice stays hidden, its flags closed, nothing recorded', async (_who, who, code) => {
      const s = await scene();
      expectOk(await t.gql(RESOLVE, { id: s.flag.gid, action: 'HIDE' }, s.moderator.token), 'resolveFlag');
      const before = await t.dataSource.query(`SELECT status, unhidden_by_id FROM flag WHERE practice_id = $1 ORDER BY id`, [s.practice.id]);

      expectRefused(await t.gql(UNHIDE, { subjectId: s.practice.gid }, who ? s[who].token : undefined), code, 'unhideContent');

      expect(await hiddenAt('practice', s.practice.id)).not.toBeNull();
      expect(await t.dataSource.query(`SELECT status, unhidden_by_id FROM flag WHERE practice_id = $1 ORDER BY id`, [s.practice.id])).toEqual(before);
      expect(await audits('CONTENT_UNHIDDEN', s.practice.id)).toEqual([]);
    });

    it("refuses a moderator on content they cannot read (another organisation's TLP_AMBER_STRICT) with NOT_FOUND", async () => {
      const s = await scene(Visibility.TLP_AMBER_STRICT);
      expectOk(await t.gql(RESOLVE, { id: s.flag.gid, action: 'HIDE' }, s.adminA.token), 'resolveFlag');

      expectRefused(await t.gql(UNHIDE, { subjectId: s.practice.gid }, s.moderator.token), 'NOT_FOUND', 'unhideContent');

      expect(await hiddenAt('practice', s.practice.id)).not.toBeNull();
      expect(await audits('CONTENT_UNHIDDEN', s.practice.id)).toEqual([]);
    });

    it('refuses a moderator whose token lacks the moderate scope', async () => {
      const s = await scene();
      expectOk(await t.gql(RESOLVE, { id: s.flag.gid, action: 'HIDE' }, s.moderator.token), 'resolveFlag');
      const { token } = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR], [TokenScope.READ, TokenScope.WRITE]);

      expectRefused(await t.gql(UNHIDE, { subjectId: s.practice.gid }, token), 'FORBIDDEN', 'unhideContent');
      expect(await hiddenAt('practice', s.practice.id)).not.toBeNull();
    });

    it('answers CONFLICT for content that is not hidden, and BAD_USER_INPUT for an ID of another type', async () => {
      const s = await scene();

      expectRefused(await t.gql(UNHIDE, { subjectId: s.practice.gid }, s.moderator.token), 'CONFLICT', 'unhideContent');
      expectRefused(await t.gql(UNHIDE, { subjectId: s.flag.gid }, s.moderator.token), 'BAD_USER_INPUT', 'unhideContent');
      expectRefused(await t.gql(UNHIDE, { subjectId: 'not an id' }, s.moderator.token), 'BAD_USER_INPUT', 'unhideContent');
      expect(await audits('CONTENT_UNHIDDEN', s.practice.id)).toEqual([]);
    });
  });

  // ===============================================================================================================

  describe('the flag queue', () => {
    it('shows who hid the content and when, and who brought it back and when', async () => {
      const orgA = await createOrganisation(t.app);
      const author = await createMember(t.app, orgA);
      const admin = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
      const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
      const flag = await createFlag(t.app, admin, practice.gid);
      expectOk(await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token), 'resolveFlag');

      const hidden = (await t.gql(FLAGS, { status: 'HIDDEN' }, admin.token)).data!.flags.edges.map((e: any) => e.node);
      const [row] = await t.dataSource.query(`SELECT resolved_at FROM flag WHERE id = $1`, [flag.id]);
      expect(hidden).toEqual([
        {
          id: flag.gid,
          subjectId: practice.gid,
          status: 'HIDDEN',
          resolvedAt: row.resolved_at.toISOString(),
          resolvedBy: { id: moderator.id, name: moderator.member.name },
          unhiddenAt: null,
          unhiddenBy: null,
        },
      ]);

      expectOk(await t.gql(UNHIDE, { subjectId: practice.gid }, admin.token), 'unhideContent');

      expect((await t.gql(FLAGS, { status: 'HIDDEN' }, admin.token)).data!.flags.edges).toEqual([]);
      const unhidden = (await t.gql(FLAGS, { status: 'UNHIDDEN' }, moderator.token))
        .data!.flags.edges.map((e: any) => e.node)
        .filter((n: any) => n.id === flag.gid);
      const [after] = await t.dataSource.query(`SELECT unhidden_at FROM flag WHERE id = $1`, [flag.id]);
      expect(unhidden).toEqual([
        {
          id: flag.gid,
          subjectId: practice.gid,
          status: 'UNHIDDEN',
          resolvedAt: row.resolved_at.toISOString(),
          resolvedBy: { id: moderator.id, name: moderator.member.name },
          unhiddenAt: after.unhidden_at.toISOString(),
          unhiddenBy: { id: admin.id, name: admin.member.name },
        },
      ]);
    });
  });
});
