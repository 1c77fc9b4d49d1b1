import { Role, toGlobalId } from '#identity';
import { Visibility } from '#practices';
import { createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * Flags and their resolution through GraphQL: any member flags, moderators (platform-wide, on what they can read)
 * and organisation admins (on their own organisation's content) resolve; HIDE removes the content from every read
 * path for everyone. Each test sets up with factories, makes one call and checks the response and the tables.
 */

const FLAG = `mutation($input: FlagContentInput!) { flagContent(input: $input) { id subjectId reason note status resolvedAt } }`;
const RESOLVE = `mutation($id: ID!, $action: FlagAction!) { resolveFlag(input: { id: $id, action: $action }) { id subjectId status resolvedAt } }`;
const FLAGS = `query($status: FlagStatus) { flags(first: 100, status: $status) { edges { node { id subjectId reason note status reporter { name } } } } }`;

describe('moderation through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function member(roles: Role[] = [Role.CONTRIBUTOR]): Promise<TestMember> {
    return createMember(t.app, await createOrganisation(t.app), roles);
  }

  async function flagRows(practiceId: string) {
    return t.dataSource.query(
      `SELECT id, comment_id, reporter_id, reason, note, status, resolved_by_id, resolved_at FROM flag WHERE practice_id = $1 ORDER BY created_at, id`,
      [practiceId],
    );
  }

  async function auditRows(action: string, subjectId: string) {
    return t.dataSource.query(
      `SELECT action, actor_member_id, organisation_id, subject_type, subject_id, details FROM audit_event WHERE action = $1 AND subject_id = $2`,
      [action, subjectId],
    );
  }

  async function flagIds(token: string, status: string | null = 'OPEN'): Promise<string[]> {
    const response = await t.gql(FLAGS, { status }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.flags.edges.map((e: any) => e.node.id);
  }

  it('flagContent by a member opens a flag and writes a CONTENT_FLAGGED audit row', async () => {
    const author = await member();
    const reporter = await member();
    const practice = await createPractice(t.app, author);

    const response = await t.gql(FLAG, { input: { subjectId: practice.gid, reason: 'PARTY_POLITICAL', note: 'Campaigns for one party.' } }, reporter.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.flagContent).toMatchObject({
      subjectId: practice.gid,
      reason: 'PARTY_POLITICAL',
      note: 'Campaigns for one party.',
      status: 'OPEN',
      resolvedAt: null,
    });
    const rows = await flagRows(practice.id);
    expect(rows).toEqual([
      {
        id: expect.any(String),
        comment_id: null,
        reporter_id: reporter.member.id,
        reason: 'PARTY_POLITICAL',
        note: 'Campaigns for one party.',
        status: 'OPEN',
        resolved_by_id: null,
        resolved_at: null,
      },
    ]);
    expect(response.data!.flagContent.id).toBe(toGlobalId('Flag', rows[0].id));
    expect(await auditRows('CONTENT_FLAGGED', rows[0].id)).toEqual([
      {
        action: 'CONTENT_FLAGGED',
        actor_member_id: reporter.member.id,
        organisation_id: author.member.organisationId,
        subject_type: 'Flag',
        subject_id: rows[0].id,
        details: expect.objectContaining({ reason: 'PARTY_POLITICAL' }),
      },
    ]);
  });

  it('flagging the same practice twice by the same member returns the same flag and keeps one row', async () => {
    const author = await member();
    const reporter = await member();
    const practice = await createPractice(t.app, author);
    const earlier = await createFlag(t.app, reporter, practice.gid);

    const response = await t.gql(FLAG, { input: { subjectId: practice.gid, reason: 'OTHER', note: 'Again.' } }, reporter.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.flagContent).toMatchObject({ id: earlier.gid, status: 'OPEN' });
    expect(await flagRows(practice.id)).toHaveLength(1);
    expect(await auditRows('CONTENT_FLAGGED', earlier.id)).toHaveLength(1);
  });

  it('a MODERATOR of another organisation sees an open flag in flags', async () => {
    const author = await member();
    const reporter = await member();
    const moderator = await member([Role.MODERATOR]);
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);

    const response = await t.gql(FLAGS, { status: 'OPEN' }, moderator.token);

    expect(response.errors).toBeUndefined();
    const node = response.data!.flags.edges.map((e: any) => e.node).find((n: any) => n.id === flag.gid);
    expect(node).toEqual({
      id: flag.gid,
      subjectId: practice.gid,
      reason: 'ABUSIVE',
      note: 'Please look.',
      status: 'OPEN',
      reporter: { name: reporter.member.name },
    });
    expect((await flagRows(practice.id))[0].status).toBe('OPEN');
  });

  it('flags is FORBIDDEN to a member without a moderation role', async () => {
    const contributor = await member();

    const response = await t.gql(FLAGS, { status: 'OPEN' }, contributor.token);

    expect(errorCode(response)).toBe('FORBIDDEN');
  });

  describe('resolveFlag HIDE on a practice', () => {
    /** A TLP_CLEAR practice with a free tag and a searchable word, two open flags on it, and a moderator. */
    async function hiddenScene() {
      const org = await createOrganisation(t.app);
      const author = await createMember(t.app, org);
      const colleague = await createMember(t.app, org);
      const reader = await member();
      const secondReporter = await member();
      const moderator = await member([Role.MODERATOR]);
      const word = `quokka${unique().replace(/\d/g, 'x')}`;
      const tag = `Hide test ${unique()}`;
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `About ${word}`, tags: [tag] });
      const flag = await createFlag(t.app, reader, practice.gid);
      const other = await createFlag(t.app, secondReporter, practice.gid);
      return { org, author, colleague, reader, moderator, word, tag, practice, flag, other };
    }

    it('hides the practice, resolves every open flag on it and writes a FLAG_RESOLVED audit row', async () => {
      const { moderator, practice, flag, other } = await hiddenScene();

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);

      expect(response.errors).toBeUndefined();
      expect(response.data!.resolveFlag).toMatchObject({ id: flag.gid, subjectId: practice.gid, status: 'HIDDEN', resolvedAt: expect.any(String) });
      const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
      expect(row.hidden_at).not.toBeNull();
      const flags = await flagRows(practice.id);
      expect(flags.map((f: any) => [f.id, f.status, f.resolved_by_id])).toEqual(
        expect.arrayContaining([
          [flag.id, 'HIDDEN', moderator.member.id],
          [other.id, 'HIDDEN', moderator.member.id],
        ]),
      );
      expect(flags.every((f: any) => f.resolved_at !== null)).toBe(true);
      expect(await auditRows('FLAG_RESOLVED', practice.id)).toEqual([
        {
          action: 'FLAG_RESOLVED',
          actor_member_id: moderator.member.id,
          organisation_id: practice.organisationId,
          subject_type: 'Practice',
          subject_id: practice.id,
          details: expect.objectContaining({ flagId: flag.id, action: 'HIDE' }),
        },
      ]);
    });

    it("the practice disappears from practice, practices, search, node, its organisation's list and tag counts, for everyone", async () => {
      const { org, author, colleague, reader, moderator, word, tag, practice, flag } = await hiddenScene();

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);
      expect(response.errors).toBeUndefined();

      const READS = `query($id: ID!, $tags: [String!], $word: String!, $slug: String!, $tagSearch: String!) {
        practice(id: $id) { id }
        node(id: $id) { id }
        listed: practices(filter: { tags: $tags }) { edges { node { id } } }
        searched: practices(filter: { query: $word }) { edges { node { id } } }
        organisation(slug: $slug) { practices { edges { node { id } } } }
        tags(search: $tagSearch) { edges { node { slug practiceCount } } } }`;
      const variables = { id: practice.gid, tags: [tag], word, slug: org.slug, tagSearch: tag };
      const nothing = {
        practice: null,
        node: null,
        listed: { edges: [] },
        searched: { edges: [] },
        organisation: { practices: { edges: [] } },
        tags: { edges: [] },
      };
      for (const [who, token] of [
        ['author', author.token],
        ['colleague in the same organisation', colleague.token],
        ['reader of another organisation', reader.token],
        ['moderator', moderator.token],
        ['anonymous caller', undefined],
      ] as const) {
        const read = await t.gql(READS, variables, token);
        expect({ who, errors: read.errors, data: read.data }).toEqual({ who, errors: undefined, data: nothing });
      }
      const [row] = await t.dataSource.query(`SELECT hidden_at, status FROM practice WHERE id = $1`, [practice.id]);
      expect(row.hidden_at).not.toBeNull();
      expect(row.status).toBe('PUBLISHED');
    });

    it("also closes open flags on the practice's comments, which nobody could see or resolve once it is hidden", async () => {
      const { author, reader, moderator, practice, flag } = await hiddenScene();
      const comment = await createComment(t.app, author, practice, 'A comment under the practice');
      const commentFlag = await createFlag(t.app, reader, comment.gid);
      expect(await flagIds(moderator.token)).toContain(commentFlag.gid);

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);

      expect(response.errors).toBeUndefined();
      const [row] = await t.dataSource.query(`SELECT status, resolved_at FROM flag WHERE id = $1`, [commentFlag.id]);
      expect(row.status).not.toBe('OPEN');
      expect(row.resolved_at).not.toBeNull();
    });

    it('resolving the flag again after HIDE is a CONFLICT', async () => {
      const { moderator, practice, flag } = await hiddenScene();
      const first = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);
      expect(first.errors).toBeUndefined();
      const before = await flagRows(practice.id);

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'DISMISS' }, moderator.token);

      expect(errorCode(response)).toBe('CONFLICT');
      expect(await flagRows(practice.id)).toEqual(before);
    });
  });

  it('resolving an already dismissed flag is a CONFLICT and changes nothing', async () => {
    const author = await member();
    const reporter = await member();
    const moderator = await member([Role.MODERATOR]);
    const practice = await createPractice(t.app, author);
    const flag = await createFlag(t.app, reporter, practice.gid);
    const first = await t.gql(RESOLVE, { id: flag.gid, action: 'DISMISS' }, moderator.token);
    expect(first.errors).toBeUndefined();
    const before = await flagRows(practice.id);

    const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);

    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.errors![0]!.message).toMatch(/already resolved/);
    expect(await flagRows(practice.id)).toEqual(before);
    const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
    expect(row.hidden_at).toBeNull();
  });

  it('DISMISS closes the flag and leaves the practice visible', async () => {
    const author = await member();
    const reporter = await member();
    const moderator = await member([Role.MODERATOR]);
    const practice = await createPractice(t.app, author);
    const flag = await createFlag(t.app, reporter, practice.gid);

    const response = await t.gql(RESOLVE, { id: flag.gid, action: 'DISMISS' }, moderator.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.resolveFlag).toMatchObject({ id: flag.gid, status: 'DISMISSED', resolvedAt: expect.any(String) });
    const read = await t.gql(`query($id: ID!) { practice(id: $id) { id } node(id: $id) { id } }`, { id: practice.gid }, reporter.token);
    expect(read.data).toEqual({ practice: { id: practice.gid }, node: { id: practice.gid } });
    const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
    expect(row.hidden_at).toBeNull();
    expect(await flagRows(practice.id)).toEqual([expect.objectContaining({ status: 'DISMISSED', resolved_by_id: moderator.member.id })]);
    expect(await auditRows('FLAG_RESOLVED', practice.id)).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ flagId: flag.id, action: 'DISMISS' }) }),
    ]);
  });

  it('hiding a comment removes it and its replies from comments, commentCount and node, and leaves the practice', async () => {
    const author = await member();
    const reader = await member();
    const moderator = await member([Role.MODERATOR]);
    const practice = await createPractice(t.app, author);
    const abusive = await createComment(t.app, reader, practice, 'Something abusive');
    const reply = await createComment(t.app, author, practice, 'A reply to it', abusive.id);
    const kept = await createComment(t.app, author, practice, 'A fine comment');
    const flag = await createFlag(t.app, author, abusive.gid);

    const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.resolveFlag).toMatchObject({ subjectId: abusive.gid, status: 'HIDDEN' });
    for (const token of [author.token, reader.token, moderator.token]) {
      const read = await t.gql(
        `query($id: ID!, $c: ID!, $r: ID!) { practice(id: $id) { id commentCount comments { edges { node { id replies { edges { node { id } } } } } } }
          hiddenComment: node(id: $c) { id } hiddenReply: node(id: $r) { id } }`,
        { id: practice.gid, c: abusive.gid, r: reply.gid },
        token,
      );
      expect(read.errors).toBeUndefined();
      expect(read.data).toEqual({
        practice: { id: practice.gid, commentCount: 1, comments: { edges: [{ node: { id: kept.gid, replies: { edges: [] } } }] } },
        hiddenComment: null,
        hiddenReply: null,
      });
    }
    const rows = await t.dataSource.query(`SELECT id, hidden_at FROM comment WHERE practice_id = $1`, [practice.id]);
    expect(rows.find((r: any) => r.id === abusive.id).hidden_at).not.toBeNull();
    expect(rows.find((r: any) => r.id === kept.id).hidden_at).toBeNull();
    const [practiceRow] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
    expect(practiceRow.hidden_at).toBeNull();
    expect(await auditRows('FLAG_RESOLVED', abusive.id)).toEqual([expect.objectContaining({ subject_type: 'Comment' })]);
  });

  describe('a flag on a TLP_AMBER_STRICT practice', () => {
    async function strictScene() {
      const org = await createOrganisation(t.app);
      const author = await createMember(t.app, org);
      const reporter = await createMember(t.app, org);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      const moderator = await member([Role.MODERATOR]);
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER_STRICT });
      const flag = await createFlag(t.app, reporter, practice.gid);
      return { admin, moderator, practice, flag };
    }

    it("is not in the platform moderator's flags, and their resolveFlag is NOT_FOUND", async () => {
      const { moderator, practice, flag } = await strictScene();
      expect(await flagIds(moderator.token, null)).not.toContain(flag.gid);

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, moderator.token);

      expect(errorCode(response)).toBe('NOT_FOUND');
      expect(response.data).toBeNull();
      expect(await flagRows(practice.id)).toEqual([expect.objectContaining({ status: 'OPEN', resolved_by_id: null })]);
      const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
      expect(row.hidden_at).toBeNull();
    });

    it("is in the flags of the organisation's admin, who resolves it", async () => {
      const { admin, practice, flag } = await strictScene();
      expect(await flagIds(admin.token)).toContain(flag.gid);

      const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, admin.token);

      expect(response.errors).toBeUndefined();
      expect(response.data!.resolveFlag).toMatchObject({ id: flag.gid, status: 'HIDDEN' });
      expect(await flagRows(practice.id)).toEqual([expect.objectContaining({ status: 'HIDDEN', resolved_by_id: admin.member.id })]);
      const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
      expect(row.hidden_at).not.toBeNull();
    });
  });

  it("an organisation admin does not see flags on another organisation's practice", async () => {
    const author = await member();
    const reporter = await member();
    const otherAdmin = await member([Role.ORG_ADMIN]);
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
    const flag = await createFlag(t.app, reporter, practice.gid);

    const response = await t.gql(RESOLVE, { id: flag.gid, action: 'HIDE' }, otherAdmin.token);

    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(await flagIds(otherAdmin.token)).not.toContain(flag.gid);
    expect(await flagRows(practice.id)).toEqual([expect.objectContaining({ status: 'OPEN' })]);
  });
});
