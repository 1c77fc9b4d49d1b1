import { Role, parseGlobalId } from '#identity';
import { Visibility } from '#practices';
import { createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';
import {
  CREATE_PRACTICE,
  UPDATE_PRACTICE,
  ADD_COMMENT,
  EDIT_COMMENT,
  RECORD_ADOPTION,
  FLAG_CONTENT,
  CREATE_TOKEN,
  long,
  expectBadInput,
  badInputSteps,
} from '../support/bad-input.js';

/**
 * Bad input over HTTP: validation errors are BAD_USER_INPUT and name the field and rule; text is stored and returned
 * exactly as given (never as HTML, except the escaped search snippet); malformed requests are 400s, never 500s; query
 * depth and cost are limited (aliases included); and every refused mutation leaves the tables as they were.
 */
describe('bad input is refused with BAD_USER_INPUT naming the field, and nothing is written', () => {
  let t: TestApp;
  let org: OrganisationEntity;
  let contributor: TestMember;
  let reader: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganisation(t.app);
    const other = await createOrganisation(t.app);
    contributor = await createMember(t.app, org, [Role.CONTRIBUTOR]);
    reader = await createMember(t.app, other, []);
  });
  afterAll(() => t.close());

  const { count, practiceRow, expectCreateRefused } = badInputSteps(
    () => t,
    () => contributor,
  );

  describe('length limits on every text input', () => {
    it.each([
      ['title', 201],
      ['summary', 1_001],
      ['problem', 20_001],
      ['approach', 20_001],
      ['outcomes', 20_001],
    ])('refuses a practice %s of %i characters', async (field, length) => {
      await expectCreateRefused(practiceInput({ [field]: long(length) }), field);
    });

    it('accepts every practice field at its limit', async () => {
      const input = practiceInput({ title: long(200), summary: long(1_000), problem: long(20_000), approach: long(20_000), outcomes: long(20_000) });
      const practice = expectOk(await t.gql(CREATE_PRACTICE, { input }, contributor.token), 'createPractice');
      expect(practice.title).toHaveLength(200);
      expect(practice.outcomes).toHaveLength(20_000);
    });

    it('refuses a resource title over 200 characters and more than 20 resources', async () => {
      await expectCreateRefused(practiceInput({ resources: [{ title: long(201), url: 'https://example.org/' }] }), 'title');
      const many = Array.from({ length: 21 }, (_, i) => ({ title: `Link ${i}`, url: `https://example.org/${i}` }));
      await expectCreateRefused(practiceInput({ resources: many }), 'resources');
    });

    it('refuses an edit whose title is too long, leaving the practice unchanged', async () => {
      const practice = await createPractice(t.app, contributor);
      const before = await practiceRow(practice.id);
      const response = await t.gql(UPDATE_PRACTICE, { input: { id: practice.gid, expectedRevision: practice.revision, title: long(201) } }, contributor.token);
      expectBadInput(response, 'title');
      expect(await practiceRow(practice.id)).toEqual(before);
    });

    it('refuses a comment body over 5000 characters, on add and on edit', async () => {
      const practice = await createPractice(t.app, contributor);
      const comments = await count('comment');
      expectBadInput(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: long(5_001) }, reader.token), 'body');
      expect(await count('comment')).toBe(comments);

      const comment = await createComment(t.app, reader, practice, 'Short and sweet');
      expectBadInput(await t.gql(EDIT_COMMENT, { id: comment.gid, body: long(5_001) }, reader.token), 'body');
      expect(await t.dataSource.query('select body, edited_at from comment where id = $1', [comment.id])).toEqual([
        { body: 'Short and sweet', edited_at: null },
      ]);

      expectOk(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: long(5_000) }, reader.token), 'addComment');
    });

    it('refuses an adoption outcome over 500 characters', async () => {
      const practice = await createPractice(t.app, contributor);
      const before = await count('adoption');
      const response = await t.gql(RECORD_ADOPTION, { input: { practiceId: practice.gid, note: 'We used it.', outcome: long(501) } }, reader.token);
      expectBadInput(response, 'outcome');
      expect(await count('adoption')).toBe(before);
    });

    it('refuses a flag note over 1000 characters', async () => {
      const practice = await createPractice(t.app, contributor);
      const [flags, audits] = [await count('flag'), await count('audit_event')];
      const response = await t.gql(FLAG_CONTENT, { input: { subjectId: practice.gid, reason: 'OTHER', note: long(1_001) } }, reader.token);
      expectBadInput(response, 'note');
      expect([await count('flag'), await count('audit_event')]).toEqual([flags, audits]);
    });

    it('refuses a token name over 100 characters', async () => {
      const [tokens, audits] = [await count('api_token'), await count('audit_event')];
      const response = await t.gql(CREATE_TOKEN, { input: { name: long(101), scopes: ['READ'] } }, reader.token);
      expectBadInput(response, 'name');
      expect([await count('api_token'), await count('audit_event')]).toEqual([tokens, audits]);
    });
  });

  // =====================================================================================================

  describe('empty required strings', () => {
    it.each(['title', 'summary', 'problem', 'approach', 'outcomes'])('refuses an empty practice %s', async (field) => {
      await expectCreateRefused(practiceInput({ [field]: '' }), field);
    });

    it('refuses an empty resource title', async () => {
      await expectCreateRefused(practiceInput({ resources: [{ title: '', url: 'https://example.org/' }] }), 'title');
    });

    it('refuses an empty comment body, on add and on edit', async () => {
      const practice = await createPractice(t.app, contributor);
      const before = await count('comment');
      expectBadInput(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body: '' }, reader.token), 'body');
      expect(await count('comment')).toBe(before);
      const comment = await createComment(t.app, reader, practice, 'Keep me');
      expectBadInput(await t.gql(EDIT_COMMENT, { id: comment.gid, body: '' }, reader.token), 'body');
      expect(await t.dataSource.query('select body from comment where id = $1', [comment.id])).toEqual([{ body: 'Keep me' }]);
    });

    it.each([
      ['outcome', { note: 'We used it.', outcome: '' }],
      ['note', { note: '', outcome: 'It worked' }],
    ])('refuses an adoption with an empty %s', async (field, values) => {
      const practice = await createPractice(t.app, contributor);
      const before = await count('adoption');
      expectBadInput(await t.gql(RECORD_ADOPTION, { input: { practiceId: practice.gid, ...values } }, reader.token), field);
      expect(await count('adoption')).toBe(before);
    });

    it('refuses an empty token name and an empty scope list', async () => {
      const before = await count('api_token');
      expectBadInput(await t.gql(CREATE_TOKEN, { input: { name: '', scopes: ['READ'] } }, reader.token), 'name');
      expectBadInput(await t.gql(CREATE_TOKEN, { input: { name: 'ci', scopes: [] } }, reader.token), 'scopes');
      expect(await count('api_token')).toBe(before);
    });
  });

  // =====================================================================================================

  describe('resource URLs are http(s) only', () => {
    it.each([
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'ftp://files.example.org/guide.pdf',
      'data:text/html,<script>alert(1)</script>',
      'not a url',
    ])('refuses %s', async (url) => {
      await expectCreateRefused(practiceInput({ resources: [{ title: 'Guide', url }] }), 'url');
    });

    it('accepts and returns https and http addresses unchanged', async () => {
      const resources = [
        { title: 'NCSC guidance', url: 'https://www.ncsc.gov.uk/collection/elections' },
        { title: 'Local copy', url: 'http://intranet.example.org/guide?x=1&y=2' },
      ];
      const practice = expectOk(await t.gql(CREATE_PRACTICE, { input: practiceInput({ resources }) }, contributor.token), 'createPractice');
      expect(practice.resources).toEqual(resources);
    });

    it('refuses a javascript: URL in an edit, leaving the resources unchanged', async () => {
      const practice = await createPractice(t.app, contributor);
      const before = await practiceRow(practice.id);
      const response = await t.gql(
        UPDATE_PRACTICE,
        { input: { id: practice.gid, expectedRevision: practice.revision, resources: [{ title: 'x', url: 'javascript:alert(1)' }] } },
        contributor.token,
      );
      expectBadInput(response, 'url');
      expect(await practiceRow(practice.id)).toEqual(before);
    });
  });

  // =====================================================================================================

  describe('text is stored and returned as given, never as HTML', () => {
    const SCRIPT = '<script>alert(1)</script>';

    it('stores and returns a title and approach containing <script> exactly', async () => {
      const input = practiceInput({
        title: `${SCRIPT} & "quotes" 'too'`,
        approach: `**Bold** ${SCRIPT} <img src=x onerror=alert(1)>`,
        visibility: 'TLP_CLEAR',
      });
      const created = expectOk(await t.gql(CREATE_PRACTICE, { input }, contributor.token), 'createPractice');
      expect(created.title).toBe(input.title);
      expect(created.approach).toBe(input.approach);
      const row = await practiceRow(parseGlobalId(created.id)!.id);
      expect(row.title).toBe(input.title);
      expect(row.approach).toBe(input.approach);
      const read = await t.gql('query($id: ID!) { practice(id: $id) { title approach } }', { id: created.id }, contributor.token);
      expect(read.data?.practice).toEqual({ title: input.title, approach: input.approach });
    });

    it('stores and returns a comment body containing <script> exactly', async () => {
      const practice = await createPractice(t.app, contributor);
      const body = `${SCRIPT}\n\n<a href="javascript:alert(1)">click</a>`;
      const comment = expectOk(await t.gql(ADD_COMMENT, { practiceId: practice.gid, body }, reader.token), 'addComment');
      expect(comment.body).toBe(body);
      const read = await t.gql('query($id: ID!) { practice(id: $id) { comments { edges { node { body } } } } }', { id: practice.gid }, reader.token);
      expect(read.data?.practice.comments.edges).toEqual([{ node: { body } }]);
    });

    async function snippetFor(approach: string): Promise<{ snippet: string; node: { id: string; approach: string } }> {
      const practice = await createPractice(t.app, contributor, { visibility: Visibility.TLP_CLEAR, approach });
      const response = await t.gql('{ practices(first: 100, filter: { query: "phishing" }) { edges { snippet node { id approach } } } }');
      expect(response.errors).toBeUndefined();
      const edge = (response.data!.practices.edges as { snippet: string; node: { id: string; approach: string } }[]).find((e) => e.node.id === practice.gid);
      expect(edge).toBeDefined();
      expect(edge!.node.approach).toBe(approach);
      return edge!;
    }

    it('marks the match in the search snippet and never returns a raw <script> there', async () => {
      const edge = await snippetFor(`${SCRIPT} phishing`);
      expect(edge.snippet).toContain('<mark>phishing</mark>');
      expect(edge.snippet).not.toContain('<script>');
      expect(edge.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('escapes the text in the search snippet (it shows &lt;script&gt;) before marking matches', async () => {
      const edge = await snippetFor(`${SCRIPT} phishing`);
      expect(edge.snippet).toContain('&lt;script&gt;');
      expect(edge.snippet).toContain('<mark>phishing</mark>');
      expect(edge.snippet).not.toContain('<script>');
    });

    it('escapes ampersands and quotes in the search snippet', async () => {
      const edge = await snippetFor('Tom & Jerry said "phishing" isn\'t fun');
      expect(edge.snippet).toContain('&amp;');
      expect(edge.snippet).toContain('<mark>phishing</mark>');
      expect(edge.snippet).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);
    });
  });
});
