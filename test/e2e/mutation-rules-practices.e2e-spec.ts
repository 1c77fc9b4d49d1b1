import { AuditAction, TokenScope } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createPractice, type TestMember } from '../factories/index.js';
import { type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';
import { unique } from '../support/unique.js';
import { CREATE_PRACTICE, UPDATE_PRACTICE, PUBLISH_PRACTICE, ARCHIVE_PRACTICE, expectRefused, mutationRulesSuite } from '../support/mutation-rules.js';

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
  let aContributor2: TestMember;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let bContributor: TestMember;
  let bAdmin: TestMember;
  let moderator: TestMember;
  let platformAdmin: TestMember;

  const { count, practiceRow, auditCount, practiceCount, scopedToken } = mutationRulesSuite(
    (running) => ({ t, orgA, orgB, aContributor, aContributor2, aAdmin, aPlain, bContributor, bAdmin, moderator, platformAdmin } = running),
  );

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
    const edit = (id: string, revision: number, extra: Record<string, unknown> = {}) => ({
      input: { id, expectedRevision: revision, title: `Edited ${unique()}`, ...extra },
    });

    it('lets another CONTRIBUTOR of the same organisation edit, writing a new revision', async () => {
      const practice = await createPractice(t.app, aContributor);
      const variables = edit(practice.gid, practice.revision);
      const updated = expectOk(await t.gql(UPDATE_PRACTICE, variables, aContributor2.token), 'updatePractice');
      expect(updated).toMatchObject({ title: variables.input.title, revision: practice.revision + 1 });
      const row = await practiceRow(practice.id);
      expect(row).toMatchObject({ title: variables.input.title, revision: practice.revision + 1 });
      expect(await count('select count(*) as n from practice_revision where practice_id = $1 and editor_id = $2', [practice.id, aContributor2.member.id])).toBe(
        1,
      );
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
      [
        'a CONTRIBUTOR of another organisation on a TLP_GREEN practice they can read',
        () => bContributor.token,
        'FORBIDDEN',
        Visibility.TLP_GREEN,
        PracticeStatus.PUBLISHED,
      ],
      [
        'an ORG_ADMIN of another organisation on a TLP_CLEAR practice they can read',
        () => bAdmin.token,
        'FORBIDDEN',
        Visibility.TLP_CLEAR,
        PracticeStatus.PUBLISHED,
      ],
      [
        'a CONTRIBUTOR of another organisation on a TLP_AMBER_STRICT practice',
        () => bContributor.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER_STRICT,
        PracticeStatus.PUBLISHED,
      ],
      [
        'an ORG_ADMIN of another organisation on a TLP_AMBER_STRICT practice',
        () => bAdmin.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER_STRICT,
        PracticeStatus.PUBLISHED,
      ],
      ['a CONTRIBUTOR of another organisation on a TLP_GREEN DRAFT', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      [
        'a CONTRIBUTOR of another organisation on a TLP_AMBER practice not naming it',
        () => bContributor.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER,
        PracticeStatus.PUBLISHED,
      ],
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
      const response = await t.gql(
        UPDATE_PRACTICE,
        edit(practice.gid, practice.revision, { summary: 'A lost update', visibility: 'TLP_CLEAR' }),
        aContributor2.token,
      );
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

    it("lets an ORG_ADMIN publish their organisation's DRAFT", async () => {
      const practice = await createPractice(t.app, aContributor, { status: PracticeStatus.DRAFT });
      expectOk(await t.gql(PUBLISH_PRACTICE, { id: practice.gid }, aAdmin.token), 'publishPractice');
      expect((await practiceRow(practice.id)).status).toBe('PUBLISHED');
    });

    it.each([
      ['anonymous', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      ['a plain member of the same organisation', () => aPlain.token, 'FORBIDDEN', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      [
        'a CONTRIBUTOR of another organisation on an ARCHIVED TLP_GREEN practice it can read',
        () => bContributor.token,
        'FORBIDDEN',
        Visibility.TLP_GREEN,
        PracticeStatus.ARCHIVED,
      ],
      [
        'an ORG_ADMIN of another organisation on an ARCHIVED TLP_CLEAR practice it can read',
        () => bAdmin.token,
        'FORBIDDEN',
        Visibility.TLP_CLEAR,
        PracticeStatus.ARCHIVED,
      ],
      ['a CONTRIBUTOR of another organisation on a DRAFT', () => bContributor.token, 'NOT_FOUND', Visibility.TLP_CLEAR, PracticeStatus.DRAFT],
      [
        'a CONTRIBUTOR of another organisation on an ARCHIVED TLP_AMBER_STRICT practice',
        () => bContributor.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER_STRICT,
        PracticeStatus.ARCHIVED,
      ],
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

    it("refuses with FORBIDDEN an audience organisation's CONTRIBUTOR on a TLP_AMBER practice it can read", async () => {
      const practice = await createPractice(t.app, aContributor, { visibility: Visibility.TLP_AMBER, audience: [orgB] });
      const before = await practiceRow(practice.id);
      expectRefused(await t.gql(ARCHIVE_PRACTICE, { id: practice.gid }, bContributor.token), 'FORBIDDEN', 'archivePractice');
      expect(await practiceRow(practice.id)).toEqual(before);
    });
  });
});
