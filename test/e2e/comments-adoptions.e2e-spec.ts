import { toGlobalId } from '#identity';
import { PracticeStatus } from '#practices';
import { createAdoption, createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Comments (one level of replies, author edits, soft delete, keyset pages) and adoptions (one per organisation)
 * through GraphQL. Each test sets up with factories, makes one call and checks the response and the tables.
 */

const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) {
  id body createdAt editedAt deletedAt author { name } parent { id } practice { id } } }`;
const EDIT = `mutation($input: EditCommentInput!) { editComment(input: $input) { id body editedAt deletedAt } }`;
const DELETE = `mutation($input: DeleteCommentInput!) { deleteComment(input: $input) { id body editedAt deletedAt } }`;
const RECORD = `mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) {
  id note outcome organisation { slug } recordedBy { name } practice { id } } }`;
const THREAD = `query($id: ID!) { practice(id: $id) { commentCount comments { edges { node {
  id body deletedAt author { name } replyCount replies { edges { node { id body } } } } } } } }`;

describe('comments and adoptions through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  /** A published practice of one organisation and a member of another who reads it. */
  async function scene(): Promise<{ author: TestMember; reader: TestMember; practice: Awaited<ReturnType<typeof createPractice>> }> {
    const authorOrg = await createOrganisation(t.app);
    const readerOrg = await createOrganisation(t.app);
    const author = await createMember(t.app, authorOrg);
    const reader = await createMember(t.app, readerOrg);
    const practice = await createPractice(t.app, author);
    return { author, reader, practice };
  }

  async function commentRows(practiceId: string) {
    return t.dataSource.query(
      `SELECT id, parent_id, author_id, body, edited_at, deleted_at, hidden_at FROM comment WHERE practice_id = $1 ORDER BY created_at, id`,
      [practiceId],
    );
  }

  it('addComment on a published practice stores the comment and returns it with its author', async () => {
    const { reader, practice } = await scene();

    const response = await t.gql(ADD, { input: { practiceId: practice.gid, body: 'We tried this **too**.' } }, reader.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.addComment).toMatchObject({
      body: 'We tried this **too**.',
      editedAt: null,
      deletedAt: null,
      author: { name: reader.member.name },
      parent: null,
      practice: { id: practice.gid },
    });
    const rows = await commentRows(practice.id);
    expect(rows).toEqual([
      expect.objectContaining({ parent_id: null, author_id: reader.member.id, body: 'We tried this **too**.', edited_at: null, deleted_at: null }),
    ]);
    expect(response.data!.addComment.id).toBe(toGlobalId('Comment', rows[0].id));
  });

  it('addComment with parentId replies to a top-level comment', async () => {
    const { author, reader, practice } = await scene();
    const top = await createComment(t.app, reader, practice, 'How long did it take?');

    const response = await t.gql(ADD, { input: { practiceId: practice.gid, body: 'About a month.', parentId: top.gid } }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.addComment).toMatchObject({ body: 'About a month.', parent: { id: top.gid }, author: { name: author.member.name } });
    const rows = await commentRows(practice.id);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ parent_id: top.id, author_id: author.member.id, body: 'About a month.' });
  });

  it('a reply to a reply is BAD_USER_INPUT and stores nothing', async () => {
    const { author, reader, practice } = await scene();
    const top = await createComment(t.app, reader, practice, 'Question');
    const reply = await createComment(t.app, author, practice, 'Answer', top.id);

    const response = await t.gql(ADD, { input: { practiceId: practice.gid, body: 'Nested', parentId: reply.gid } }, reader.token);

    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(/parentId/);
    expect(response.data).toBeNull();
    expect(await commentRows(practice.id)).toHaveLength(2);
  });

  it('comments show the thread: top-level comments oldest first, each with its author, replyCount and replies', async () => {
    const { author, reader, practice } = await scene();
    const first = await createComment(t.app, reader, practice, 'First question');
    await createComment(t.app, author, practice, 'First answer', first.id);
    await createComment(t.app, reader, practice, 'Thanks!', first.id);
    await createComment(t.app, author, practice, 'A second thread');

    const rows = await commentRows(practice.id);
    const bodiesUnder = (parentId: string | null) => rows.filter((r: any) => r.parent_id === parentId).map((r: any) => r.body);
    expect(bodiesUnder(null)).toEqual(['First question', 'A second thread']);
    expect(bodiesUnder(first.id).sort()).toEqual(['First answer', 'Thanks!']);

    const response = await t.gql(THREAD, { id: practice.gid }, reader.token);

    expect(response.errors).toBeUndefined();
    const result = response.data!.practice;
    expect(result.commentCount).toBe(4);
    expect(result.comments.edges.map((e: any) => e.node)).toEqual([
      {
        id: first.gid,
        body: 'First question',
        deletedAt: null,
        author: { name: reader.member.name },
        replyCount: 2,
        replies: { edges: bodiesUnder(first.id).map((body: string) => ({ node: { id: expect.any(String), body } })) },
      },
      { id: expect.any(String), body: 'A second thread', deletedAt: null, author: { name: author.member.name }, replyCount: 0, replies: { edges: [] } },
    ]);
  });

  it('editComment by its author changes the body and sets editedAt', async () => {
    const { reader, practice } = await scene();
    const comment = await createComment(t.app, reader, practice, 'Typo in this coment');

    const response = await t.gql(EDIT, { input: { id: comment.gid, body: 'No typo in this comment' } }, reader.token);

    expect(response.errors).toBeUndefined();
    const edited = response.data!.editComment;
    expect(edited).toMatchObject({ id: comment.gid, body: 'No typo in this comment', deletedAt: null });
    expect(edited.editedAt).toEqual(expect.any(String));
    const [row] = await commentRows(practice.id);
    expect(row.body).toBe('No typo in this comment');
    expect(new Date(row.edited_at).toISOString()).toBe(edited.editedAt);
  });

  it('editComment by someone other than its author is FORBIDDEN and changes nothing', async () => {
    const { author, reader, practice } = await scene();
    const comment = await createComment(t.app, reader, practice, 'Mine');

    const response = await t.gql(EDIT, { input: { id: comment.gid, body: 'Not yours' } }, author.token);

    expect(errorCode(response)).toBe('FORBIDDEN');
    const [row] = await commentRows(practice.id);
    expect(row).toMatchObject({ body: 'Mine', edited_at: null });
  });

  it('deleteComment soft-deletes: the body goes, deletedAt is set, replies stay and commentCount drops', async () => {
    const { author, reader, practice } = await scene();
    const top = await createComment(t.app, reader, practice, 'I regret this');
    await createComment(t.app, author, practice, 'A reply that stays', top.id);

    const response = await t.gql(DELETE, { input: { id: top.gid } }, reader.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.deleteComment).toMatchObject({ id: top.gid, body: null, deletedAt: expect.any(String) });
    const thread = await t.gql(THREAD, { id: practice.gid }, author.token);
    expect(thread.errors).toBeUndefined();
    expect(thread.data!.practice.commentCount).toBe(1);
    expect(thread.data!.practice.comments.edges.map((e: any) => e.node)).toEqual([
      {
        id: top.gid,
        body: null,
        deletedAt: expect.any(String),
        author: { name: reader.member.name },
        replyCount: 1,
        replies: { edges: [{ node: { id: expect.any(String), body: 'A reply that stays' } }] },
      },
    ]);
    const rows = await commentRows(practice.id);
    expect(rows).toHaveLength(2);
    expect(rows[0].deleted_at).not.toBeNull();
    expect(rows[1]).toMatchObject({ parent_id: top.id, deleted_at: null });
  });

  it('commenting on a DRAFT of your own organisation is FORBIDDEN and stores nothing', async () => {
    const org = await createOrganisation(t.app);
    const author = await createMember(t.app, org);
    const colleague = await createMember(t.app, org);
    const draft = await createPractice(t.app, author, { status: PracticeStatus.DRAFT });

    const response = await t.gql(ADD, { input: { practiceId: draft.gid, body: 'Early feedback' } }, colleague.token);

    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(response.data).toBeNull();
    expect(await commentRows(draft.id)).toEqual([]);
  });

  it("recordAdoption records one adoption for the member's organisation", async () => {
    const { reader, practice } = await scene();
    const readerOrg = (await t.dataSource.query(`SELECT slug FROM organisation WHERE id = $1`, [reader.member.organisationId]))[0].slug;

    const response = await t.gql(RECORD, { input: { practiceId: practice.gid, note: 'Ran it for the May count.', outcome: 'Fewer clicks' } }, reader.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.recordAdoption).toMatchObject({
      note: 'Ran it for the May count.',
      outcome: 'Fewer clicks',
      organisation: { slug: readerOrg },
      recordedBy: { name: reader.member.name },
      practice: { id: practice.gid },
    });
    const rows = await t.dataSource.query(`SELECT organisation_id, member_id, note, outcome FROM adoption WHERE practice_id = $1`, [practice.id]);
    expect(rows).toEqual([
      { organisation_id: reader.member.organisationId, member_id: reader.member.id, note: 'Ran it for the May count.', outcome: 'Fewer clicks' },
    ]);
  });

  it('recording again from the same organisation updates the note and outcome instead of adding a row', async () => {
    const { reader, practice } = await scene();
    const readerOrg = (await t.dataSource.query(`SELECT * FROM organisation WHERE id = $1`, [reader.member.organisationId]))[0];
    const colleague = await createMember(t.app, readerOrg);
    const earlier = await createAdoption(t.app, reader, practice);

    const response = await t.gql(
      RECORD,
      { input: { practiceId: practice.gid, note: 'Now used county-wide.', outcome: 'Adopted everywhere' } },
      colleague.token,
    );

    expect(response.errors).toBeUndefined();
    expect(response.data!.recordAdoption).toMatchObject({
      id: earlier.gid,
      note: 'Now used county-wide.',
      outcome: 'Adopted everywhere',
      recordedBy: { name: colleague.member.name },
    });
    const rows = await t.dataSource.query(`SELECT id, member_id, note, outcome FROM adoption WHERE practice_id = $1`, [practice.id]);
    expect(rows).toEqual([{ id: earlier.id, member_id: colleague.member.id, note: 'Now used county-wide.', outcome: 'Adopted everywhere' }]);
    const read = await t.gql(
      `query($id: ID!) { practice(id: $id) { adoptionCount adoptions { edges { node { organisation { slug } note outcome recordedBy { name } } } } } }`,
      { id: practice.gid },
      reader.token,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.practice).toEqual({
      adoptionCount: 1,
      adoptions: {
        edges: [
          {
            node: {
              organisation: { slug: readerOrg.slug },
              note: 'Now used county-wide.',
              outcome: 'Adopted everywhere',
              recordedBy: { name: colleague.member.name },
            },
          },
        ],
      },
    });
  });

  it('adoptions from different organisations are separate rows, newest first', async () => {
    const { author, reader, practice } = await scene();
    await createAdoption(t.app, reader, practice);

    const response = await t.gql(RECORD, { input: { practiceId: practice.gid, note: 'Our own practice, used again.', outcome: 'Still works' } }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.recordAdoption).toMatchObject({ recordedBy: { name: author.member.name } });
    const rows = await t.dataSource.query(
      `SELECT a.organisation_id, m.name FROM adoption a JOIN member m ON m.id = a.member_id WHERE a.practice_id = $1 ORDER BY a.created_at DESC, a.id DESC`,
      [practice.id],
    );
    expect(rows.map((r: any) => r.organisation_id).sort()).toEqual([author.member.organisationId, reader.member.organisationId].sort());
    const read = await t.gql(
      `query($id: ID!) { practice(id: $id) { adoptionCount adoptions { edges { node { recordedBy { name } } } } } }`,
      { id: practice.gid },
      reader.token,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.practice.adoptionCount).toBe(2);
    expect(read.data!.practice.adoptions.edges.map((e: any) => e.node.recordedBy.name)).toEqual(rows.map((r: any) => r.name));
  });

  it('comments paged with first: 2 and after: endCursor visit every top-level comment exactly once, in order', async () => {
    const { author, reader, practice } = await scene();
    for (let i = 1; i <= 5; i += 1) {
      const comment = await createComment(t.app, i % 2 ? reader : author, practice, `Comment ${i}`);
      if (i === 2) await createComment(t.app, reader, practice, 'A reply, not a top-level comment', comment.id);
    }
    const expected = (
      await t.dataSource.query(`SELECT id FROM comment WHERE practice_id = $1 AND parent_id IS NULL ORDER BY created_at, id`, [practice.id])
    ).map((r: { id: string }) => toGlobalId('Comment', r.id));
    expect(expected).toHaveLength(5);

    const seen: string[] = [];
    const pages: { size: number; hasNextPage: boolean }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const response = await t.gql(
        `query($id: ID!, $after: String) { practice(id: $id) { comments(first: 2, after: $after) {
          edges { cursor node { id body } } pageInfo { hasNextPage endCursor } } } }`,
        { id: practice.gid, after },
        reader.token,
      );
      expect(response.errors).toBeUndefined();
      const connection: any = response.data!.practice.comments;
      seen.push(...connection.edges.map((e: any) => e.node.id));
      pages.push({ size: connection.edges.length, hasNextPage: connection.pageInfo.hasNextPage });
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }

    expect(seen).toEqual(expected);
    expect(pages).toEqual([
      { size: 2, hasNextPage: true },
      { size: 2, hasNextPage: true },
      { size: 1, hasNextPage: false },
    ]);
  });
});
