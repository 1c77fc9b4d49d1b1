/**
 * Who may call each mutation, through the real guards, over HTTP.
 *
 * For every mutation: at least one allowed actor succeeds, and each forbidden actor is refused with the right
 * `extensions.code` — anonymous: UNAUTHENTICATED; a member whose roles (or token scopes) lack the permission:
 * FORBIDDEN; a member of another organisation on a row they can read: FORBIDDEN; on a row they cannot read:
 * NOT_FOUND (never FORBIDDEN, so the answer does not reveal that the row exists). After every refusal the database
 * is read back to show that nothing was written, and audit events are checked to exist after a success only.
 */
import { ApiTokenService, AuditAction, OrganisationKind, Role, TokenScope, toGlobalId } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';
import { unique } from '../support/unique.js';

const CREATE_PRACTICE = `mutation($input: CreatePracticeInput!) { createPractice(input: $input) { id status title organisation { slug } } }`;
const UPDATE_PRACTICE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { id title revision visibility } }`;
const PUBLISH_PRACTICE = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id status } }`;
const ARCHIVE_PRACTICE = `mutation($id: ID!) { archivePractice(input: { id: $id }) { id status } }`;
const ADD_COMMENT = `mutation($practiceId: ID!, $body: String!) { addComment(input: { practiceId: $practiceId, body: $body }) { id body } }`;
const EDIT_COMMENT = `mutation($id: ID!, $body: String!) { editComment(input: { id: $id, body: $body }) { id body } }`;
const DELETE_COMMENT = `mutation($id: ID!) { deleteComment(input: { id: $id }) { id body deletedAt } }`;
const RECORD_ADOPTION = `mutation($practiceId: ID!) {
  recordAdoption(input: { practiceId: $practiceId, note: "We ran it before the May count.", outcome: "Fewer phishing clicks" }) { id organisation { slug } } }`;
const FLAG_CONTENT = `mutation($subjectId: ID!) { flagContent(input: { subjectId: $subjectId, reason: PARTY_POLITICAL, note: "Campaign material" }) { id status } }`;
const RESOLVE_FLAG = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id status } }`;
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name scopes expiresAt } } }`;
const REVOKE_TOKEN = `mutation($id: ID!) { revokeApiToken(input: { id: $id }) { id revokedAt } }`;
const SET_ROLES = `mutation($id: ID!, $roles: [Role!]!) { setMemberRoles(input: { id: $id, roles: $roles }) { id roles } }`;
const DEACTIVATE = `mutation($id: ID!) { deactivateMember(input: { id: $id }) { id active } }`;
const UPSERT_ORGANISATION = `mutation($input: UpsertOrganisationInput!) { upsertOrganisation(input: $input) { id slug name emailDomains } }`;
const ME = `{ me { id } }`;

/** Asserts the call was refused with `code` and returned no object; the message is shown when it fails. */
function expectRefused(response: GraphqlResponse, code: string, field: string): void {
  expect({ code: errorCode(response), message: response.errors?.[0]?.message }).toMatchObject({ code });
  expect(response.data?.[field] ?? null).toBeNull();
}

describe('mutation rules: who may call each mutation, and nothing is written when refused', () => {
  let t: TestApp;
  let orgA: OrganisationEntity;
  let orgB: OrganisationEntity;
  let aContributor: TestMember;
  let aContributor2: TestMember;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let bContributor: TestMember;
  let bAdmin: TestMember;
  let bPlain: TestMember;
  let moderator: TestMember;
  let platformAdmin: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    orgA = await createOrganisation(t.app);
    orgB = await createOrganisation(t.app);
    const orgC = await createOrganisation(t.app);
    const orgP = await createOrganisation(t.app, { kind: OrganisationKind.UK_CENTRAL_GOVERNMENT });
    aContributor = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
    aContributor2 = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
    aAdmin = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
    aPlain = await createMember(t.app, orgA, []);
    bContributor = await createMember(t.app, orgB, [Role.CONTRIBUTOR]);
    bAdmin = await createMember(t.app, orgB, [Role.ORG_ADMIN]);
    bPlain = await createMember(t.app, orgB, []);
    moderator = await createMember(t.app, orgC, [Role.MODERATOR]);
    platformAdmin = await createMember(t.app, orgP, [Role.PLATFORM_ADMIN]);
  });
  afterAll(() => t.close());

  // ---- database read-back helpers ----

  async function count(sql: string, params: unknown[] = []): Promise<number> {
    const rows = (await t.dataSource.query(sql, params)) as { n: string | number }[];
    return Number(rows[0]!.n);
  }

  async function practiceRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await t.dataSource.query(
      `select title, summary, problem, approach, outcomes, resources, language, status, visibility, revision, published_at, hidden_at, updated_at,
              (select count(*)::int from practice_revision r where r.practice_id = p.id) as revisions,
              (select array_agg(organisation_id order by organisation_id) from practice_audience a where a.practice_id = p.id) as audience
         from practice p where id = $1`,
      [id],
    )) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function commentRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await t.dataSource.query('select body, edited_at, deleted_at, hidden_at from comment where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function flagRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await t.dataSource.query('select status, resolved_by_id, resolved_at from flag where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  async function memberRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await t.dataSource.query('select roles::text[] as roles, deactivated_at, updated_at from member where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  const auditCount = (action: AuditAction, subjectId: string) =>
    count('select count(*) as n from audit_event where action = $1 and subject_id = $2', [action, subjectId]);
  const auditTotal = (action: AuditAction) => count('select count(*) as n from audit_event where action = $1', [action]);
  const practiceCount = () => count('select count(*) as n from practice');
  const tokenCount = (memberId: string) => count('select count(*) as n from api_token where member_id = $1', [memberId]);

  /** A further token for `m` with only `scopes` (and an expiry, when given). */
  async function scopedToken(m: TestMember, scopes: TokenScope[], expiresAt?: Date): Promise<{ token: string; rowId: string; gid: string }> {
    const { token, apiToken } = await t.app.get(ApiTokenService).createForMember(m.member, { name: `scoped ${unique()}`, scopes, expiresAt });
    return { token, rowId: apiToken.id, gid: toGlobalId('ApiToken', apiToken.id) };
  }

  // =====================================================================================================

  describe('createPractice', () => {
    it('lets a CONTRIBUTOR create a DRAFT of their own organisation', async () => {
      const input = practiceInput();
      const practice = expectOk(await t.gql(CREATE_PRACTICE, { input }, aContributor.token), 'createPractice');
      expect(practice).toMatchObject({ status: 'DRAFT', title: input.title, organisation: { slug: orgA.slug } });
      const rows = await t.dataSource.query('select organisation_id, author_id, status from practice where title = $1', [input.title]);
      expect(rows).toEqual([{ organisation_id: orgA.id, author_id: aContributor.member.id, status: 'DRAFT' }]);
    });

    it('lets an ORG_ADMIN create a practice', async () => {
      const input = practiceInput();
      expectOk(await t.gql(CREATE_PRACTICE, { input }, aAdmin.token), 'createPractice');
      expect(await count('select count(*) as n from practice where title = $1 and organisation_id = $2', [input.title, orgA.id])).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED'],
      ['a plain member (no roles)', () => aPlain.token, 'FORBIDDEN'],
      ['a MODERATOR', () => moderator.token, 'FORBIDDEN'],
      ['a PLATFORM_ADMIN without CONTRIBUTOR', () => platformAdmin.token, 'FORBIDDEN'],
    ])('refuses %s and writes nothing', async (_who, token, code) => {
      const before = await practiceCount();
      const revisionsBefore = await count('select count(*) as n from practice_revision');
      const input = practiceInput();
      expectRefused(await t.gql(CREATE_PRACTICE, { input }, token()), code, 'createPractice');
      expect(await practiceCount()).toBe(before);
      expect(await count('select count(*) as n from practice_revision')).toBe(revisionsBefore);
      expect(await count('select count(*) as n from practice where title = $1', [input.title])).toBe(0);
    });

    it('refuses a CONTRIBUTOR whose token has only the read scope (scopes narrow roles)', async () => {
      const { token } = await scopedToken(aContributor, [TokenScope.READ]);
      const before = await practiceCount();
      const response = await t.gql(CREATE_PRACTICE, { input: practiceInput() }, token);
      expectRefused(response, 'FORBIDDEN', 'createPractice');
      expect(response.errors![0]!.message).toContain('practice:write');
      expect(await practiceCount()).toBe(before);
    });
  });

  // =====================================================================================================

  describe('updatePractice', () => {
    const edit = (id: string, revision: number, extra: Record<string, unknown> = {}) => ({ input: { id, expectedRevision: revision, title: `Edited ${unique()}`, ...extra } });

    it('lets another CONTRIBUTOR of the same organisation edit, writing a new revision', async () => {
      const practice = await createPractice(t.app, aContributor);
      const variables = edit(practice.gid, practice.revision);
      const updated = expectOk(await t.gql(UPDATE_PRACTICE, variables, aContributor2.token), 'updatePractice');
      expect(updated).toMatchObject({ title: variables.input.title, revision: practice.revision + 1 });
      const row = await practiceRow(practice.id);
      expect(row).toMatchObject({ title: variables.input.title, revision: practice.revision + 1 });
      expect(await count('select count(*) as n from practice_revision where practice_id = $1 and editor_id = $2', [practice.id, aContributor2.member.id])).toBe(1);
    });

    it("lets an ORG_ADMIN edit their organisation's practice", async () => {
      const practice = await createPractice(t.app, aContributor);
      const variables = edit(practice.gid, practice.revision);
      expectOk(await t.gql(UPDATE_PRACTICE, variables, aAdmin.token), 'updatePractice');
      expect((await practiceRow(practice.id)).title).toBe(variables.input.title);
    });

    it('records VISIBILITY_CHANGED when an edit changes the visibility', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_GREEN });
      expectOk(await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision, { visibility: 'TLP_CLEAR' }), aContributor.token), 'updatePractice');
      expect((await practiceRow(practice.id)).visibility).toBe('TLP_CLEAR');
      expect(await auditCount(AuditAction.VISIBILITY_CHANGED, practice.id)).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_GREEN, PracticeStatus.PUBLISHED],
      ['a plain member of the same organisation', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.PUBLISHED],
      ['a MODERATOR', () => moderator.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.PUBLISHED],
      ['a CONTRIBUTOR of another organisation on a TLP_GREEN practice they can read', () => bContributor.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.PUBLISHED],
      ['an ORG_ADMIN of another organisation on a TLP_CLEAR practice they can read', () => bAdmin.token, 'FORBIDDEN', Visibility.TLP_CLEAR, PracticeStatus.PUBLISHED],
      ['a CONTRIBUTOR of another organisation on a TLP_AMBER_STRICT practice', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.PUBLISHED],
      ['an ORG_ADMIN of another organisation on a TLP_AMBER_STRICT practice', () => bAdmin.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.PUBLISHED],
      ["a CONTRIBUTOR of another organisation on a TLP_GREEN DRAFT", () => bContributor.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a CONTRIBUTOR of another organisation on a TLP_AMBER practice not naming it', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER, PracticeStatus.PUBLISHED],
    ])('refuses %s (%s), leaving the practice and audit log unchanged', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      const before = await practiceRow(practice.id);
      const target = visibility === Visibility.TLP_CLEAR ? 'TLP_GREEN' : 'TLP_CLEAR';
      expectRefused(await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision, { visibility: target }), token()), code, 'updatePractice');
      expect(await practiceRow(practice.id)).toEqual(before);
      expect(await auditCount(AuditAction.VISIBILITY_CHANGED, practice.id)).toBe(0);
    });

    it('refuses, with FORBIDDEN, a CONTRIBUTOR of an audience organisation on a TLP_AMBER practice it can read', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER, audience: [orgB] });
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision), bContributor.token), 'FORBIDDEN', 'updatePractice');
      expect(await practiceRow(practice.id)).toEqual(before);
    });

    it('refuses a CONTRIBUTOR whose token has only the read scope', async () => {
      const practice = await createPractice(t.app, aContributor);
      const before = await practiceRow(practice.id);
      const { token } = await scopedToken(aContributor, [TokenScope.READ]);
      expectRefused(await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision), token), 'FORBIDDEN', 'updatePractice');
      expect(await practiceRow(practice.id)).toEqual(before);
    });

    it('answers a stale expectedRevision with CONFLICT; the practice keeps its content and revision', async () => {
      const practice = await createPractice(t.app, aContributor);
      expectOk(await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision), aContributor.token), 'updatePractice');
      const before = await practiceRow(practice.id);
      const response = await t.gql(UPDATE_PRACTICE, edit(practice.gid, practice.revision, { summary: 'A lost update', visibility: 'TLP_CLEAR' }), aContributor2.token);
      expectRefused(response, 'CONFLICT', 'updatePractice');
      expect(response.errors![0]!.message).toContain('expectedRevision');
      const after = await practiceRow(practice.id);
      expect(after).toEqual(before);
      expect(after.revision).toBe(practice.revision + 1);
      expect(after.summary).not.toBe('A lost update');
      expect(await auditCount(AuditAction.VISIBILITY_CHANGED, practice.id)).toBe(0);
    });
  });

  // =====================================================================================================

  describe('publishPractice', () => {
    it('lets a CONTRIBUTOR of the organisation publish a DRAFT', async () => {
      const practice = await createPractice(t.app, aContributor, { status: PracticeStatus.DRAFT });
      expect(expectOk(await t.gql(PUBLISH_PRACTICE, { id: practice.gid }, aContributor2.token), 'publishPractice').status).toBe('PUBLISHED');
      const row = await practiceRow(practice.id);
      expect(row.status).toBe('PUBLISHED');
      expect(row.published_at).not.toBeNull();
    });

    it('lets an ORG_ADMIN publish their organisation\'s DRAFT', async () => {
      const practice = await createPractice(t.app, aContributor, { status: PracticeStatus.DRAFT });
      expectOk(await t.gql(PUBLISH_PRACTICE, { id: practice.gid }, aAdmin.token), 'publishPractice');
      expect((await practiceRow(practice.id)).status).toBe('PUBLISHED');
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a plain member of the same organisation', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a CONTRIBUTOR of another organisation on an ARCHIVED TLP_GREEN practice it can read', () => bContributor.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.ARCHIVED],
      ['an ORG_ADMIN of another organisation on an ARCHIVED TLP_CLEAR practice it can read', () => bAdmin.token, 'FORBIDDEN', Visibility.TLP_CLEAR, PracticeStatus.ARCHIVED],
      ['a CONTRIBUTOR of another organisation on a DRAFT', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_CLEAR, PracticeStatus.DRAFT],
      ['a CONTRIBUTOR of another organisation on an ARCHIVED TLP_AMBER_STRICT practice', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.ARCHIVED],
    ])('refuses %s and leaves the status as it was', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(PUBLISH_PRACTICE, { id: practice.gid }, token()), code, 'publishPractice');
      expect(await practiceRow(practice.id)).toEqual(before);
    });
  });

  // =====================================================================================================

  describe('archivePractice', () => {
    it('lets a CONTRIBUTOR of the organisation archive a published practice', async () => {
      const practice = await createPractice(t.app, aContributor);
      expect(expectOk(await t.gql(ARCHIVE_PRACTICE, { id: practice.gid }, aContributor2.token), 'archivePractice').status).toBe('ARCHIVED');
      expect((await practiceRow(practice.id)).status).toBe('ARCHIVED');
    });

    it("lets an ORG_ADMIN archive their organisation's practice", async () => {
      const practice = await createPractice(t.app, aContributor);
      expectOk(await t.gql(ARCHIVE_PRACTICE, { id: practice.gid }, aAdmin.token), 'archivePractice');
      expect((await practiceRow(practice.id)).status).toBe('ARCHIVED');
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR],
      ['a plain member of the same organisation', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      ['a CONTRIBUTOR of another organisation on a TLP_GREEN practice it can read', () => bContributor.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      ['an ORG_ADMIN of another organisation on a TLP_GREEN practice it can read', () => bAdmin.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      ['a CONTRIBUTOR of another organisation on a TLP_AMBER_STRICT practice', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT],
      ['a CONTRIBUTOR of another organisation on a TLP_AMBER practice not naming it', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER],
    ])('refuses %s and leaves the practice published', async (_who, token, code, visibility) => {
      const practice = await createPractice(t.app, aContributor, { visibility });
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(ARCHIVE_PRACTICE, { id: practice.gid }, token()), code, 'archivePractice');
      const after = await practiceRow(practice.id);
      expect(after).toEqual(before);
      expect(after.status).toBe('PUBLISHED');
    });

    it('refuses with FORBIDDEN an audience organisation\'s CONTRIBUTOR on a TLP_AMBER practice it can read', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER, audience: [orgB] });
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(ARCHIVE_PRACTICE, { id: practice.gid }, bContributor.token), 'FORBIDDEN', 'archivePractice');
      expect(await practiceRow(practice.id)).toEqual(before);
    });
  });

  // =====================================================================================================

  describe('addComment', () => {
    const commentsOn = (practiceId: string) => count('select count(*) as n from comment where practice_id = $1', [practiceId]);

    it('lets a plain member of another organisation comment on a TLP_GREEN practice', async () => {
      const practice = await createPractice(t.app, aContributor);
      const comment = expectOk(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: 'We did this too.' }, bPlain.token), 'addComment');
      expect(comment.body).toBe('We did this too.');
      expect(await t.dataSource.query('select author_id, body from comment where practice_id = $1', [practice.id])).toEqual([{ author_id: bPlain.member.id, body: 'We did this too.' }]);
    });

    it.each([
      ['anonymous on a TLP_CLEAR practice', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a TLP_AMBER_STRICT practice', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a TLP_AMBER practice not naming it', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_AMBER, PracticeStatus.PUBLISHED],
      ["a member of another organisation on a DRAFT", () => bPlain.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ["a member of the same organisation on its own DRAFT (readable, not published)", () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
    ])('refuses %s and adds no comment', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      expectRefused(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: 'Hello' }, token()), code, 'addComment');
      expect(await commentsOn(practice.id)).toBe(0);
    });

    it('refuses a member whose token has only the read scope', async () => {
      const practice = await createPractice(t.app, aContributor);
      const { token } = await scopedToken(bPlain, [TokenScope.READ]);
      expectRefused(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: 'Hello' }, token), 'FORBIDDEN', 'addComment');
      expect(await commentsOn(practice.id)).toBe(0);
    });
  });

  // =====================================================================================================

  describe('editComment and deleteComment', () => {
    it('lets the author edit their comment', async () => {
      const practice = await createPractice(t.app, aContributor);
      const comment = await createComment(t.app, bPlain, practice, 'First version');
      expect(expectOk(await t.gql(EDIT_COMMENT, { id: comment.gid, body: 'Second version' }, bPlain.token), 'editComment').body).toBe('Second version');
      const row = await commentRow(comment.id);
      expect(row.body).toBe('Second version');
      expect(row.edited_at).not.toBeNull();
    });

    it('lets the author delete their comment (soft delete)', async () => {
      const practice = await createPractice(t.app, aContributor);
      const comment = await createComment(t.app, bPlain, practice, 'To be deleted');
      const deleted = expectOk(await t.gql(DELETE_COMMENT, { id: comment.gid }, bPlain.token), 'deleteComment');
      expect(deleted.body).toBeNull();
      expect((await commentRow(comment.id)).deleted_at).not.toBeNull();
    });

    describe.each([
      ['editComment', EDIT_COMMENT, { body: 'Rewritten by someone else' }],
      ['deleteComment', DELETE_COMMENT, {}],
    ])('%s', (field, mutation, extra) => {
      it.each([
        ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR],
        ['another member of the same organisation', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN],
        ['another member of another organisation', () => bContributor.token, 'FORBIDDEN', Visibility.TLP_GREEN],
        ["the practice organisation's ORG_ADMIN", () => aAdmin.token, 'FORBIDDEN', Visibility.TLP_GREEN],
        ['a MODERATOR', () => moderator.token, 'FORBIDDEN', Visibility.TLP_GREEN],
        ['a member who cannot read the TLP_AMBER_STRICT practice', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT],
      ])('refuses %s and leaves the comment unchanged', async (_who, token, code, visibility) => {
        const practice = await createPractice(t.app, aContributor, { visibility });
        const comment = await createComment(t.app, aContributor2, practice, 'Original words');
        const before = await commentRow(comment.id);
        expectRefused(await t.gql(mutation, { id: comment.gid, ...extra }, token()), code, field);
        expect(await commentRow(comment.id)).toEqual(before);
      });

      it("refuses the author's read-only token", async () => {
        const practice = await createPractice(t.app, aContributor);
        const comment = await createComment(t.app, aContributor2, practice, 'Original words');
        const before = await commentRow(comment.id);
        const { token } = await scopedToken(aContributor2, [TokenScope.READ]);
        expectRefused(await t.gql(mutation, { id: comment.gid, ...extra }, token), 'FORBIDDEN', field);
        expect(await commentRow(comment.id)).toEqual(before);
      });
    });
  });

  // =====================================================================================================

  describe('recordAdoption', () => {
    const adoptionsOf = (practiceId: string) => count('select count(*) as n from adoption where practice_id = $1', [practiceId]);

    it("lets a plain member record their organisation's adoption", async () => {
      const practice = await createPractice(t.app, aContributor);
      expect(expectOk(await t.gql(RECORD_ADOPTION, { practiceId: practice.gid }, bPlain.token), 'recordAdoption').organisation.slug).toBe(orgB.slug);
      expect(await t.dataSource.query('select organisation_id, member_id from adoption where practice_id = $1', [practice.id])).toEqual([
        { organisation_id: orgB.id, member_id: bPlain.member.id },
      ]);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a TLP_AMBER_STRICT practice', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a DRAFT', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a member of the same organisation on its own DRAFT (readable, not published)', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
    ])('refuses %s and records nothing', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      expectRefused(await t.gql(RECORD_ADOPTION, { practiceId: practice.gid }, token()), code, 'recordAdoption');
      expect(await adoptionsOf(practice.id)).toBe(0);
    });

    it('refuses a member whose token has only the read scope', async () => {
      const practice = await createPractice(t.app, aContributor);
      const { token } = await scopedToken(bPlain, [TokenScope.READ]);
      expectRefused(await t.gql(RECORD_ADOPTION, { practiceId: practice.gid }, token), 'FORBIDDEN', 'recordAdoption');
      expect(await adoptionsOf(practice.id)).toBe(0);
    });
  });

  // =====================================================================================================

  describe('flagContent', () => {
    const flagsOn = (practiceId: string) => count('select count(*) as n from flag where practice_id = $1', [practiceId]);

    it('lets a plain member flag a practice, and records CONTENT_FLAGGED', async () => {
      const practice = await createPractice(t.app, aContributor);
      const flag = expectOk(await t.gql(FLAG_CONTENT, { subjectId: practice.gid }, bPlain.token), 'flagContent');
      expect(flag.status).toBe('OPEN');
      const rows = (await t.dataSource.query('select id, reporter_id, comment_id from flag where practice_id = $1', [practice.id])) as { id: string }[];
      expect(rows).toEqual([{ id: expect.any(String), reporter_id: bPlain.member.id, comment_id: null }]);
      expect(await auditCount(AuditAction.CONTENT_FLAGGED, rows[0]!.id)).toBe(1);
    });

    it('lets a plain member flag a comment', async () => {
      const practice = await createPractice(t.app, aContributor);
      const comment = await createComment(t.app, aContributor2, practice);
      expectOk(await t.gql(FLAG_CONTENT, { subjectId: comment.gid }, bPlain.token), 'flagContent');
      expect(await count('select count(*) as n from flag where comment_id = $1', [comment.id])).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a TLP_AMBER_STRICT practice', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT, PracticeStatus.PUBLISHED],
      ['a member of another organisation on a DRAFT', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a member of the same organisation on its own DRAFT (readable, not published)', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
    ])('refuses %s on a practice, and writes no flag or audit event', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      const audits = await auditTotal(AuditAction.CONTENT_FLAGGED);
      expectRefused(await t.gql(FLAG_CONTENT, { subjectId: practice.gid }, token()), code, 'flagContent');
      expect(await flagsOn(practice.id)).toBe(0);
      expect(await auditTotal(AuditAction.CONTENT_FLAGGED)).toBe(audits);
    });

    it('refuses with NOT_FOUND a member who cannot read the comment\'s practice', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER_STRICT });
      const comment = await createComment(t.app, aContributor2, practice);
      const audits = await auditTotal(AuditAction.CONTENT_FLAGGED);
      expectRefused(await t.gql(FLAG_CONTENT, { subjectId: comment.gid }, bPlain.token), 'NOT_FOUND', 'flagContent');
      expect(await flagsOn(practice.id)).toBe(0);
      expect(await auditTotal(AuditAction.CONTENT_FLAGGED)).toBe(audits);
    });

    it('refuses a member whose token has only the read scope', async () => {
      const practice = await createPractice(t.app, aContributor);
      const { token } = await scopedToken(bPlain, [TokenScope.READ]);
      expectRefused(await t.gql(FLAG_CONTENT, { subjectId: practice.gid }, token), 'FORBIDDEN', 'flagContent');
      expect(await flagsOn(practice.id)).toBe(0);
    });
  });

  // =====================================================================================================

  describe('resolveFlag', () => {
    const resolvedAudits = (flagId: string) =>
      count("select count(*) as n from audit_event where action = $1 and details->>'flagId' = $2", [AuditAction.FLAG_RESOLVED, flagId]);

    it('lets a MODERATOR hide a practice they can read; the hide and FLAG_RESOLVED are recorded', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_GREEN });
      const flag = await createFlag(t.app, bPlain, practice.gid);
      expect(expectOk(await t.gql(RESOLVE_FLAG, { id: flag.gid, action: 'HIDE' }, moderator.token), 'resolveFlag').status).toBe('HIDDEN');
      expect(await flagRow(flag.id)).toMatchObject({ status: 'HIDDEN', resolved_by_id: moderator.member.id });
      expect((await practiceRow(practice.id)).hidden_at).not.toBeNull();
      expect(await resolvedAudits(flag.id)).toBe(1);
    });

    it("lets an ORG_ADMIN resolve a flag on their own organisation's TLP_AMBER_STRICT content", async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER_STRICT });
      const flag = await createFlag(t.app, aPlain, practice.gid);
      expect(expectOk(await t.gql(RESOLVE_FLAG, { id: flag.gid, action: 'DISMISS' }, aAdmin.token), 'resolveFlag').status).toBe('DISMISSED');
      expect(await flagRow(flag.id)).toMatchObject({ status: 'DISMISSED', resolved_by_id: aAdmin.member.id });
      expect((await practiceRow(practice.id)).hidden_at).toBeNull();
      expect(await resolvedAudits(flag.id)).toBe(1);
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_GREEN],
      ['a plain member', () => bPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      ["a CONTRIBUTOR of the content's organisation", () => aContributor2.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      ['a PLATFORM_ADMIN (not a moderator)', () => platformAdmin.token, 'FORBIDDEN', Visibility.TLP_GREEN],
      // Flags are read by moderators and the content organisation's admins only: another admin cannot see this flag.
      ["an ORG_ADMIN of another organisation, on readable TLP_GREEN content", () => bAdmin.token, 'NOT_FOUND', Visibility.TLP_GREEN],
      ['a MODERATOR who cannot read the TLP_AMBER_STRICT content', () => moderator.token, 'NOT_FOUND', Visibility.TLP_AMBER_STRICT],
    ])('refuses %s: the flag stays OPEN, the content visible, no audit event', async (_who, token, code, visibility) => {
      const practice = await createPractice(t.app, aContributor, { visibility });
      const flag = await createFlag(t.app, aPlain, practice.gid);
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(RESOLVE_FLAG, { id: flag.gid, action: 'HIDE' }, token()), code, 'resolveFlag');
      expect(await flagRow(flag.id)).toEqual({ status: 'OPEN', resolved_by_id: null, resolved_at: null });
      expect(await practiceRow(practice.id)).toEqual(before);
      expect(await resolvedAudits(flag.id)).toBe(0);
    });

    it('refuses a MODERATOR whose token lacks the moderate scope', async () => {
      const practice = await createPractice(t.app, aContributor);
      const flag = await createFlag(t.app, aPlain, practice.gid);
      const { token } = await scopedToken(moderator, [TokenScope.READ, TokenScope.WRITE]);
      expectRefused(await t.gql(RESOLVE_FLAG, { id: flag.gid, action: 'HIDE' }, token), 'FORBIDDEN', 'resolveFlag');
      expect((await flagRow(flag.id)).status).toBe('OPEN');
      expect((await practiceRow(practice.id)).hidden_at).toBeNull();
      expect(await resolvedAudits(flag.id)).toBe(0);
    });

    it('refuses a MODERATOR hiding a comment on content they cannot read', async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER_STRICT });
      const comment = await createComment(t.app, aContributor2, practice);
      const flag = await createFlag(t.app, aPlain, comment.gid);
      expectRefused(await t.gql(RESOLVE_FLAG, { id: flag.gid, action: 'HIDE' }, moderator.token), 'NOT_FOUND', 'resolveFlag');
      expect((await commentRow(comment.id)).hidden_at).toBeNull();
      expect((await flagRow(flag.id)).status).toBe('OPEN');
    });
  });

  // =====================================================================================================

  describe('createApiToken', () => {
    it('lets a member create a narrower token, shown once, recorded as TOKEN_CREATED, and usable', async () => {
      const member = await createMember(t.app, orgA, []);
      const before = await tokenCount(member.member.id);
      const payload = expectOk(await t.gql(CREATE_TOKEN, { input: { name: 'CI', scopes: ['READ'] } }, member.token), 'createApiToken');
      expect(payload.token).toMatch(/^pe_[0-9a-f]{32}_[0-9a-f]{64}$/);
      expect(payload.apiToken).toMatchObject({ name: 'CI', scopes: ['READ'] });
      expect(await tokenCount(member.member.id)).toBe(before + 1);
      const rows = (await t.dataSource.query('select id, scopes from api_token where member_id = $1 and name = $2', [member.member.id, 'CI'])) as { id: string; scopes: unknown }[];
      expect(rows).toHaveLength(1);
      expect(await auditCount(AuditAction.TOKEN_CREATED, rows[0]!.id)).toBe(1);
      expect((await t.gql(ME, {}, payload.token)).data?.me).toEqual({ id: member.id });
    });

    it('refuses anonymous callers and writes nothing', async () => {
      const total = await count('select count(*) as n from api_token');
      const audits = await auditTotal(AuditAction.TOKEN_CREATED);
      expectRefused(await t.gql(CREATE_TOKEN, { input: { name: 'anon', scopes: ['READ'] } }), 'UNAUTHENTICATED', 'createApiToken');
      expect(await count('select count(*) as n from api_token')).toBe(total);
      expect(await auditTotal(AuditAction.TOKEN_CREATED)).toBe(audits);
    });

    it('refuses a token without the admin scope', async () => {
      const member = await createMember(t.app, orgA, []);
      const { token } = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      const before = await tokenCount(member.member.id);
      expectRefused(await t.gql(CREATE_TOKEN, { input: { name: 'child', scopes: ['READ'] } }, token), 'FORBIDDEN', 'createApiToken');
      expect(await tokenCount(member.member.id)).toBe(before);
    });

    it('refuses a token minting a wider scope than its own, naming the scope; no row, no audit event', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ]);
      const before = await tokenCount(member.member.id);
      const audits = await auditTotal(AuditAction.TOKEN_CREATED);
      const response = await t.gql(CREATE_TOKEN, { input: { name: 'wider', scopes: ['READ', 'WRITE'] } }, token);
      expectRefused(response, 'FORBIDDEN', 'createApiToken');
      expect(response.errors![0]!.message).toMatch(/write/i);
      expect(await tokenCount(member.member.id)).toBe(before);
      expect(await auditTotal(AuditAction.TOKEN_CREATED)).toBe(audits);
    });

    it('refuses a token minting one that expires later than itself', async () => {
      const member = await createMember(t.app, orgA, []);
      const own = new Date(Date.now() + 10 * 86_400_000);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ], own);
      const before = await tokenCount(member.member.id);
      const later = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const response = await t.gql(CREATE_TOKEN, { input: { name: 'longer', scopes: ['READ'], expiresAt: later } }, token);
      expectRefused(response, 'FORBIDDEN', 'createApiToken');
      expect(response.errors![0]!.message).toContain('expiresAt');
      expect(await tokenCount(member.member.id)).toBe(before);
    });

    it('gives a token minted from a short-lived token no later expiry than its parent by default', async () => {
      const member = await createMember(t.app, orgA, []);
      const own = new Date(Date.now() + 10 * 86_400_000);
      const { token } = await scopedToken(member, [TokenScope.ADMIN, TokenScope.READ], own);
      const payload = expectOk(await t.gql(CREATE_TOKEN, { input: { name: 'child', scopes: ['READ'] } }, token), 'createApiToken');
      expect(new Date(payload.apiToken.expiresAt).getTime()).toBeLessThanOrEqual(own.getTime());
    });
  });

  // =====================================================================================================

  describe('revokeApiToken', () => {
    it('lets the owner revoke a token: TOKEN_REVOKED is recorded and the token stops working at once', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const victim = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      expect((await t.gql(ME, {}, victim.token)).data?.me).toEqual({ id: member.id });
      expect(expectOk(await t.gql(REVOKE_TOKEN, { id: victim.gid }, member.token), 'revokeApiToken').revokedAt).toEqual(expect.any(String));
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).not.toBeNull();
      expect(await auditCount(AuditAction.TOKEN_REVOKED, victim.rowId)).toBe(1);
      expectRefused(await t.gql(ME, {}, victim.token), 'UNAUTHENTICATED', 'me');
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED'],
      ['another member of the same organisation', () => aPlain.token, 'NOT_FOUND'],
      ["the owner's ORG_ADMIN", () => aAdmin.token, 'NOT_FOUND'],
      ['a PLATFORM_ADMIN', () => platformAdmin.token, 'NOT_FOUND'],
    ])('refuses %s; the token keeps working and no audit event is written', async (_who, token, code) => {
      const member = await createMember(t.app, orgA, []);
      const victim = await scopedToken(member, [TokenScope.READ]);
      expectRefused(await t.gql(REVOKE_TOKEN, { id: victim.gid }, token()), code, 'revokeApiToken');
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).toBeNull();
      expect(await auditCount(AuditAction.TOKEN_REVOKED, victim.rowId)).toBe(0);
      expect((await t.gql(ME, {}, victim.token)).data?.me).toEqual({ id: member.id });
    });

    it("refuses the owner's token without the admin scope", async () => {
      const member = await createMember(t.app, orgA, []);
      const victim = await scopedToken(member, [TokenScope.READ]);
      const { token } = await scopedToken(member, [TokenScope.READ, TokenScope.WRITE]);
      expectRefused(await t.gql(REVOKE_TOKEN, { id: victim.gid }, token), 'FORBIDDEN', 'revokeApiToken');
      const rows = (await t.dataSource.query('select revoked_at from api_token where id = $1', [victim.rowId])) as { revoked_at: Date | null }[];
      expect(rows[0]!.revoked_at).toBeNull();
    });
  });

  // =====================================================================================================

  describe('tokens that no longer authenticate', () => {
    async function expectDeadToken(token: string): Promise<void> {
      expectRefused(await t.gql(ME, {}, token), 'UNAUTHENTICATED', 'me');
      expectRefused(await t.gql('{ practices(first: 1) { edges { node { id } } } }', {}, token), 'UNAUTHENTICATED', 'practices');
      const before = await practiceCount();
      const input = practiceInput();
      expectRefused(await t.gql(CREATE_PRACTICE, { input }, token), 'UNAUTHENTICATED', 'createPractice');
      expect(await practiceCount()).toBe(before);
    }

    it('refuses a revoked token on any call', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query('update api_token set revoked_at = now() where member_id = $1', [member.member.id]);
      await expectDeadToken(member.token);
    });

    it('refuses an expired token on any call', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query("update api_token set expires_at = now() - interval '1 minute' where member_id = $1", [member.member.id]);
      await expectDeadToken(member.token);
    });

    it("refuses a deactivated member's token even when the token itself was not revoked", async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      await t.dataSource.query('update member set deactivated_at = now() where id = $1', [member.member.id]);
      await expectDeadToken(member.token);
    });

    it('refuses a token whose secret does not match', async () => {
      const member = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
      const forged = member.token.replace(/_[0-9a-f]{64}$/, `_${'0'.repeat(64)}`);
      await expectDeadToken(forged);
    });
  });

  // =====================================================================================================

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
    const organisationInput = (slug = `org-${unique()}`) => ({ slug, name: `Borough of ${slug}`, kind: 'UK_COUNCIL', country: 'GB', emailDomains: [`${slug}.gov.uk`] });
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
      const before = await t.dataSource.query('select o.name, array_agg(d.domain order by d.domain) as domains from organisation o join organisation_domain d on d.organisation_id = o.id where o.id = $1 group by o.name', [orgA.id]);
      const input = { ...organisationInput(orgA.slug), name: 'Taken over', emailDomains: ['gmail.com'] };
      expectRefused(await t.gql(UPSERT_ORGANISATION, { input }, aAdmin.token), 'FORBIDDEN', 'upsertOrganisation');
      expect(await t.dataSource.query('select o.name, array_agg(d.domain order by d.domain) as domains from organisation o join organisation_domain d on d.organisation_id = o.id where o.id = $1 group by o.name', [orgA.id])).toEqual(before);
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
