import { AuditAction, TokenScope } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createComment, createFlag, createPractice, type TestMember } from '../factories/index.js';
import { type TestApp, expectOk } from '../support/test-app.js';
import { FLAG_CONTENT, RESOLVE_FLAG, expectRefused, mutationRulesSuite } from '../support/mutation-rules.js';

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
  let aContributor: TestMember;
  let aContributor2: TestMember;
  let aAdmin: TestMember;
  let aPlain: TestMember;
  let bAdmin: TestMember;
  let bPlain: TestMember;
  let moderator: TestMember;
  let platformAdmin: TestMember;

  const { count, practiceRow, commentRow, flagRow, auditCount, auditTotal, scopedToken } = mutationRulesSuite(
    (running) => ({ t, aContributor, aContributor2, aAdmin, aPlain, bAdmin, bPlain, moderator, platformAdmin } = running),
  );

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
    ])('refuses %s on a practice, and writes no flag or audit event', async (_who, token, code, visibility, status) => {
      const practice = await createPractice(t.app, aContributor, { visibility, status });
      const audits = await auditTotal(AuditAction.CONTENT_FLAGGED);
      expectRefused(await t.gql(FLAG_CONTENT, { subjectId: practice.gid }, token()), code, 'flagContent');
      expect(await flagsOn(practice.id)).toBe(0);
      expect(await auditTotal(AuditAction.CONTENT_FLAGGED)).toBe(audits);
    });

    it("refuses with NOT_FOUND a member who cannot read the comment's practice", async () => {
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
      ['an ORG_ADMIN of another organisation, on readable TLP_GREEN content', () => bAdmin.token, 'NOT_FOUND', Visibility.TLP_GREEN],
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
});
