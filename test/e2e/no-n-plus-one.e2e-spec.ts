import { SqlLogger } from '#database';
import { Role } from '#identity';
import { Visibility } from '#practices';
import { createAdoption, createComment, createMember, createOrganisation, createPractice } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const PAGE = `query($first: Int!) { practices(first: $first) { edges { node {
  id title organisation { slug name kind } author { name } tags { slug label } commentCount adoptionCount } } } }`;

const WITH_THREADS = `query($first: Int!) { practices(first: $first) { edges { node {
  id comments(first: 3) { edges { node { body author { name } replyCount replies(first: 2) { edges { node { body } } } } } } } } } }`;

describe('related objects load through DataLoader', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    const org = await createOrganisation(t.app);
    const other = await createOrganisation(t.app);
    const author = await createMember(t.app, org, [Role.CONTRIBUTOR]);
    const reader = await createMember(t.app, other, [Role.CONTRIBUTOR]);
    token = reader.token;
    for (let i = 0; i < 55; i += 1) {
      const practice = await createPractice(t.app, author, {
        visibility: i % 2 ? Visibility.TLP_GREEN : Visibility.TLP_CLEAR,
        tags: [`Topic ${i % 7}`, 'Phishing'],
      });
      if (i % 3 === 0) {
        const comment = await createComment(t.app, reader, practice);
        await createComment(t.app, author, practice, 'A reply.', comment.id);
      }
      if (i % 4 === 0) await createAdoption(t.app, reader, practice);
    }
  });
  afterAll(() => t.close());

  async function statementsFor(first: number, query = PAGE): Promise<number> {
    const before = SqlLogger.statementCount;
    const response = await t.gql(query, { first }, token);
    expect(response.errors).toBeUndefined();
    expect(response.data!.practices.edges).toHaveLength(first);
    return SqlLogger.statementCount - before;
  }

  it('sends as many SQL statements for 50 practices as for 5', async () => {
    await statementsFor(1); // the token's first use is recorded once; leave it out of the comparison
    const small = await statementsFor(5);
    const large = await statementsFor(50);
    expect(large).toBe(small);
    // The token (one statement), the page, organisations, authors, tags, and both counts together.
    expect(small).toBe(6);
  });

  it('loads the first page of comments and replies of every practice in a page at once', async () => {
    await statementsFor(1, WITH_THREADS);
    const small = await statementsFor(5, WITH_THREADS);
    const large = await statementsFor(50, WITH_THREADS);
    expect(large).toBe(small);
    // The token, the page, the top-level comments of every practice (with their rows, in one statement), their
    // authors, their reply counts, and the first replies of every comment.
    expect(small).toBe(6);
    const response = await t.gql(WITH_THREADS, { first: 50 }, token);
    const threads = response.data!.practices.edges.flatMap((e: any) => e.node.comments.edges);
    expect(threads.length).toBeGreaterThan(10);
    expect(threads.every((c: any) => c.node.replies.edges.length === 1 && c.node.replyCount === 1)).toBe(true);
  });
});
