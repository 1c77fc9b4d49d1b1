import { SqlLogger } from '#database';
import { Role } from '#identity';
import { Visibility } from '#practices';
import { createAdoption, createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebClient } from '../support/web-client.js';

/** The pages load related rows through the API's DataLoaders: their SQL does not grow with what they show. */
describe('web pages load related rows in batches', () => {
  let t: TestApp;
  let browser: WebClient;
  let author: TestMember;
  const readers: TestMember[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const home = await createOrganisation(t.app);
    author = await createMember(t.app, home, [Role.CONTRIBUTOR]);
    for (let i = 0; i < 8; i += 1) readers.push(await createMember(t.app, await createOrganisation(t.app), [Role.CONTRIBUTOR]));
    browser = new WebClient(t.baseUrl);
    await browser.signIn(t.app, readers[0]!.member);
    for (let i = 0; i < 2; i += 1) await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, tags: ['Few', `Topic ${i}`] });
    for (let i = 0; i < 20; i += 1) {
      // Each from another organisation, with tags of its own, so no batch is served by the one before.
      const writer = readers[i % readers.length]!;
      await createPractice(t.app, writer, { visibility: i % 2 ? Visibility.TLP_GREEN : Visibility.TLP_CLEAR, tags: ['Many', `Subject ${i}`, 'Phishing'] });
    }
  });
  afterAll(() => t.close());

  async function statementsFor(path: string): Promise<number> {
    const before = SqlLogger.statementCount;
    const page = await browser.get(path);
    expect(page.status).toBe(200);
    return SqlLogger.statementCount - before;
  }

  it('sends as many statements for a list of 20 practices as for 2', async () => {
    await statementsFor('/practices'); // the session's first use of the run is touched once
    const few = await statementsFor('/practices?tags=few');
    const many = await statementsFor('/practices?tags=many');
    const page = await browser.get('/practices?tags=many');
    expect(page.html.match(/class="pe-result"/g)).toHaveLength(20);
    expect(many).toBe(few);
    // The session is one statement of these.
    expect(few).toBeLessThanOrEqual(6);
  });

  it('serves static files without a statement, even with a session cookie', async () => {
    const before = SqlLogger.statementCount;
    const cookie = `pe_session=${encodeURIComponent(browser.cookies.get('pe_session')!)}`;
    for (const file of ['govuk-frontend.min.css', 'govuk-frontend.min.js', 'app/app.css', 'app/init.mjs']) {
      expect((await fetch(`${t.baseUrl}/assets/${file}`, { headers: { cookie } })).status).toBe(200);
    }
    expect(SqlLogger.statementCount - before).toBe(0);
  });

  it('sends as many statements for a practice with many comments, replies and adoptions as for one with one of each', async () => {
    const small = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
    const smallComment = await createComment(t.app, readers[1]!, small);
    await createComment(t.app, author, small, 'A reply.', smallComment.id);
    await createAdoption(t.app, readers[1]!, small);

    const large = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });
    for (const [i, reader] of readers.entries()) {
      const comment = await createComment(t.app, reader, large, `Comment ${i}`);
      await createComment(t.app, readers[(i + 1) % readers.length]!, large, `Reply ${i}`, comment.id);
      await createComment(t.app, author, large, `Author reply ${i}`, comment.id);
      await createAdoption(t.app, reader, large);
    }

    const few = await statementsFor(`/practices/${small.gid}`);
    const many = await statementsFor(`/practices/${large.gid}`);
    const page = await browser.get(`/practices/${large.gid}`);
    expect(page.html.match(/class="pe-comment"/g)).toHaveLength(readers.length * 3);
    expect(page.html).toContain(`Adopted by ${readers.length} organisations`);
    expect(many).toBe(few);
    // The revision history and what the viewer may do (edit, comment, edit or reply to comments) add one each.
    expect(few).toBeLessThanOrEqual(18);
  });
});
