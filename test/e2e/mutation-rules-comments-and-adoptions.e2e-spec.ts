import { TokenScope } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createComment, createPractice, type TestMember } from '../factories/index.js';
import { type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { ADD_COMMENT, EDIT_COMMENT, DELETE_COMMENT, RECORD_ADOPTION, expectRefused, mutationRulesSuite } from '../support/mutation-rules.js';

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
  let orgB: OrganisationEntity;
  let aContributor: TestMember;
  let aContributor2: TestMember;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let bContributor: TestMember;
  let bPlain: TestMember;
  let moderator: TestMember;

  const { count, commentRow, scopedToken } = mutationRulesSuite(
    (running) => ({ t, orgB, aContributor, aContributor2, aAdmin, aPlain, bContributor, bPlain, moderator } = running),
  );

  describe('addComment', () => {
    const commentsOn = (practiceId: string) => count('select count(*) as n from comment where practice_id = $1', [practiceId]);

    it('lets a plain member of another organisation comment on a TLP_GREEN practice', async () => {
      const practice = await createPractice(t.app, aContributor);
      const comment = expectOk(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: 'We did this too.' }, bPlain.token), 'addComment');
      expect(comment.body).toBe('We did this too.');
      expect(await t.dataSource.query('select author_id, body from comment where practice_id = $1', [practice.id])).toEqual([
        { author_id: bPlain.member.id, body: 'We did this too.' },
      ]);
    });

    it.each([
      ['anonymous on a TLP_CLEAR practice', () => undefined, 'UNAUTHENTICATED', Visibility.TLP_CLEAR, PracticeStatus.PUBLISHED],
      [
        'a member of another organisation on a TLP_AMBER_STRICT practice',
        () => bPlain.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER_STRICT,
        PracticeStatus.PUBLISHED,
      ],
      [
        'a member of another organisation on a TLP_AMBER practice not naming it',
        () => bPlain.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER,
        PracticeStatus.PUBLISHED,
      ],
      ['a member of another organisation on a DRAFT', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      [
        'a member of the same organisation on its own DRAFT (readable, not published)',
        () => aPlain.token,
        'FORBIDDEN',
        Visibility.TLP_GREEN,
        PracticeStatus.DRAFT,
      ],
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
      [
        'a member of another organisation on a TLP_AMBER_STRICT practice',
        () => bPlain.token,
        'NOT_FOUND',
        Visibility.TLP_AMBER_STRICT,
        PracticeStatus.PUBLISHED,
      ],
      ['a member of another organisation on a DRAFT', () => bPlain.token, 'NOT_FOUND', Visibility.TLP_GREEN, PracticeStatus.DRAFT],
      [
        'a member of the same organisation on its own DRAFT (readable, not published)',
        () => aPlain.token,
        'FORBIDDEN',
        Visibility.TLP_GREEN,
        PracticeStatus.DRAFT,
      ],
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
});
