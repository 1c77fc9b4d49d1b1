/**
 * Bad input over HTTP: validation errors are BAD_USER_INPUT and name the field and rule; text is stored and returned
 * exactly as given (never as HTML, except the escaped search snippet); malformed requests are 400s, never 500s; query
 * depth and cost are limited (aliases included); and every refused mutation leaves the tables as they were.
 */
import { Role, parseGlobalId } from '#identity';
import { Visibility } from '#practices';
import { createComment, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';

const CREATE_PRACTICE = `mutation($input: CreatePracticeInput!) {
  createPractice(input: $input) { id title summary problem approach outcomes resources { title url } tags { slug } visibility audience { slug } } }`;
const UPDATE_PRACTICE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { id title revision } }`;
const PUBLISH_PRACTICE = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id status } }`;
const ADD_COMMENT = `mutation($practiceId: ID!, $body: String!) { addComment(input: { practiceId: $practiceId, body: $body }) { id body } }`;
const EDIT_COMMENT = `mutation($id: ID!, $body: String!) { editComment(input: { id: $id, body: $body }) { id body } }`;
const RECORD_ADOPTION = `mutation($input: RecordAdoptionInput!) { recordAdoption(input: $input) { id note outcome } }`;
const FLAG_CONTENT = `mutation($input: FlagContentInput!) { flagContent(input: $input) { id note } }`;
const CREATE_TOKEN = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name } } }`;

const long = (n: number) => 'x'.repeat(n);

/** Everything an error says about the field at fault: message, `problems` and `field`. */
function errorText(response: GraphqlResponse): string {
  const error = response.errors?.[0];
  return [error?.message ?? '', ...(error?.extensions?.problems ?? []), error?.extensions?.field ?? ''].join(' | ');
}

/** Asserts a BAD_USER_INPUT error whose message or problems name `field` (and `rule`, when given). */
function expectBadInput(response: GraphqlResponse, field: string, rule?: RegExp): void {
  expect({ code: errorCode(response), text: errorText(response) }).toMatchObject({ code: 'BAD_USER_INPUT' });
  expect(errorText(response)).toContain(field);
  if (rule) expect(errorText(response)).toMatch(rule);
  expect(response.status).toBeLessThan(500);
}

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

  async function count(table: string): Promise<number> {
    const rows = (await t.dataSource.query(`select count(*)::int as n from ${table}`)) as { n: number }[];
    return rows[0]!.n;
  }

  /** Row counts of every table a practice write touches. */
  async function practiceTables(): Promise<Record<string, number>> {
    const tables = ['practice', 'practice_revision', 'practice_tag', 'practice_audience', 'tag', 'audit_event'];
    return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)] as const)));
  }

  async function practiceRow(id: string): Promise<Record<string, unknown>> {
    const rows = (await t.dataSource.query('select title, summary, problem, approach, outcomes, resources, visibility, revision, updated_at from practice where id = $1', [id])) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    return rows[0]!;
  }

  /** Runs a createPractice that must be refused as bad input naming `field`, and checks that nothing was written. */
  async function expectCreateRefused(input: Record<string, unknown>, field: string, rule?: RegExp): Promise<void> {
    const before = await practiceTables();
    const response = await t.gql(CREATE_PRACTICE, { input }, contributor.token);
    expectBadInput(response, field, rule);
    expect(response.data?.createPractice ?? null).toBeNull();
    expect(await practiceTables()).toEqual(before);
  }

  // =====================================================================================================

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
      expect(await t.dataSource.query('select body, edited_at from comment where id = $1', [comment.id])).toEqual([{ body: 'Short and sweet', edited_at: null }]);

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
    it.each(['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'ftp://files.example.org/guide.pdf', 'data:text/html,<script>alert(1)</script>', 'not a url'])(
      'refuses %s',
      async (url) => {
        await expectCreateRefused(practiceInput({ resources: [{ title: 'Guide', url }] }), 'url');
      },
    );

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
      const response = await t.gql(UPDATE_PRACTICE, { input: { id: practice.gid, expectedRevision: practice.revision, resources: [{ title: 'x', url: 'javascript:alert(1)' }] } }, contributor.token);
      expectBadInput(response, 'url');
      expect(await practiceRow(practice.id)).toEqual(before);
    });
  });

  // =====================================================================================================

  describe('text is stored and returned as given, never as HTML', () => {
    const SCRIPT = '<script>alert(1)</script>';

    it('stores and returns a title and approach containing <script> exactly', async () => {
      const input = practiceInput({ title: `${SCRIPT} & "quotes" 'too'`, approach: `**Bold** ${SCRIPT} <img src=x onerror=alert(1)>`, visibility: 'TLP_CLEAR' });
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

  // =====================================================================================================

  describe('malformed requests', () => {
    it('answers a GraphQL syntax error with GRAPHQL_PARSE_FAILED and HTTP 400', async () => {
      const response = await t.gql('{ practices(first: 1) { edges { node { id } }');
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers a document of thousands of tokens, nested brackets or aliases with GRAPHQL_PARSE_FAILED in words, never a stack overflow', async () => {
      for (const query of [`${'{ a '.repeat(20_000)}${'}'.repeat(20_000)}`, `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: practices(first: 1) { edges { cursor } }`).join(' ')} }`]) {
        const response = await t.gql(query);
        expect({ status: response.status, code: errorCode(response), message: response.errors?.[0]?.message }).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED', message: expect.stringMatching(/more th(an|at) 2000 tokens/) });
      }
      const brackets = await t.gql(`{ practices(filter: { tags: ${'['.repeat(1_990)} }) { edges { cursor } } }`);
      expect({ status: brackets.status, code: errorCode(brackets), message: brackets.errors?.[0]?.message }).toEqual({ status: 400, code: 'GRAPHQL_PARSE_FAILED', message: expect.stringContaining('nested too deeply') });
    });

    it('answers a subscription operation with BAD_USER_INPUT and HTTP 400, not INTERNAL_SERVER_ERROR', async () => {
      const response = await t.gql('subscription { practices { edges { cursor } } }');
      expect({ status: response.status, code: errorCode(response), reason: response.errors?.[0]?.extensions?.reason }).toEqual({ status: 400, code: 'BAD_USER_INPUT', reason: 'SUBSCRIPTIONS_UNSUPPORTED' });
    });

    it('answers an unknown field with GRAPHQL_VALIDATION_FAILED, never 500', async () => {
      const response = await t.gql('{ practices { edges { node { id secretColumn } } } }');
      expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(errorText(response)).toContain('secretColumn');
      expect(response.status).toBe(400);
    });

    it('answers a body that is not JSON with HTTP 400 and a JSON error, and keeps serving', async () => {
      const response = await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ me { id } }"' });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(JSON.stringify(body)).toMatch(/error/i);
      const after = await t.gql('{ organisations(first: 1) { edges { node { slug } } } }');
      expect(after.status).toBe(200);
      expect(after.errors).toBeUndefined();
    });

    it('answers a malformed ID to practice(id:) with BAD_USER_INPUT', async () => {
      expectBadInput(await t.gql('{ practice(id: "not-an-id") { id } }'), 'id');
      expectBadInput(await t.gql('{ practice(id: "\'; drop table practice; --") { id } }'), 'id');
      expect(await count('practice')).toBeGreaterThan(0);
    });

    it("answers another type's ID to practice(id:) with BAD_USER_INPUT", async () => {
      expectBadInput(await t.gql('query($id: ID!) { practice(id: $id) { id } }', { id: contributor.id }), 'id');
    });

    it('refuses a malformed ID in a mutation without writing', async () => {
      const before = await count('comment');
      expectBadInput(await t.gql(ADD_COMMENT, { practiceId: 'garbage', body: 'Hello' }, reader.token), 'practiceId');
      expect(await count('comment')).toBe(before);
    });
  });

  // =====================================================================================================

  describe('pagination arguments', () => {
    it.each([
      ['practices', '{ practices(first: FIRST) { edges { node { id } } } }'],
      ['organisations', '{ organisations(first: FIRST) { edges { node { slug } } } }'],
      ['tags', '{ tags(first: FIRST) { edges { node { slug } } } }'],
    ])('refuses first: 101 and first: 0 on %s, naming first', async (_name, query) => {
      for (const first of [101, 0, -1]) expectBadInput(await t.gql(query.replace('FIRST', String(first))), 'first');
      const ok = await t.gql(query.replace('FIRST', '100'));
      expect(ok.errors).toBeUndefined();
    });

    it.each([101, 0])('refuses first: %i on a nested connection (Practice.comments) with BAD_USER_INPUT naming first', async (first) => {
      const practice = await createPractice(t.app, contributor, { visibility: Visibility.TLP_CLEAR });
      const response = await t.gql('query($id: ID!, $first: Int) { practice(id: $id) { comments(first: $first) { edges { node { id } } } } }', { id: practice.gid, first });
      expectBadInput(response, 'first');
    });

    it('refuses a bogus cursor on a nested connection (Practice.comments) with BAD_USER_INPUT, not INTERNAL_SERVER_ERROR', async () => {
      const practice = await createPractice(t.app, contributor, { visibility: Visibility.TLP_CLEAR });
      const response = await t.gql('query($id: ID!) { practice(id: $id) { comments(after: "garbage") { edges { node { id } } } } }', { id: practice.gid });
      expectBadInput(response, 'after');
    });

    it.each([
      ['practices', '{ practices(after: "garbage") { edges { node { id } } } }'],
      ['organisations', '{ organisations(after: "garbage") { edges { node { slug } } } }'],
      ['tags', '{ tags(after: "garbage") { edges { node { slug } } } }'],
      ['practices, with a cursor of valid base64 but the wrong shape', `{ practices(after: "${Buffer.from('{"a":1}').toString('base64url')}") { edges { node { id } } } }`],
    ])('refuses a bogus cursor on %s with BAD_USER_INPUT', async (_name, query) => {
      expectBadInput(await t.gql(query), 'after');
    });
  });

  // =====================================================================================================

  describe('query depth and cost', () => {
    it('refuses a query nested beyond 10 levels with reason QUERY_TOO_DEEP', async () => {
      const nest = (levels: number): string => (levels === 0 ? 'id' : `organisation { practices(first: 1) { edges { node { ${nest(levels - 1)} } } } }`);
      const query = `query($slug: String!) { organisation(slug: $slug) { practices(first: 1) { edges { node { ${nest(3)} } } } } }`;
      const response = await t.gql(query, { slug: org.slug });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.extensions!.reason).toBe('QUERY_TOO_DEEP');
      expect(response.data ?? null).toBeNull();

      const shallow = await t.gql('query($slug: String!) { organisation(slug: $slug) { practices(first: 1) { edges { node { organisation { slug } } } } } }', { slug: org.slug });
      expect(shallow.errors).toBeUndefined();
    });

    it('refuses a too-costly query with reason QUERY_TOO_COSTLY', async () => {
      const response = await t.gql(
        '{ practices(first: 100) { edges { node { comments(first: 100) { edges { node { replies(first: 100) { edges { node { id } } } } } } } } } }',
      );
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
      expect(response.data ?? null).toBeNull();
    });

    it('counts aliases: one copy of a 100×50 query passes, the same under five aliases goes over', async () => {
      const copy = 'practices(first: 100) { edges { node { comments(first: 50) { edges { node { id } } } } } }';
      const one = await t.gql(`{ ${copy} }`);
      expect({ errors: one.errors }).toEqual({ errors: undefined });
      expect(one.data?.practices.edges).toEqual(expect.any(Array));
      const aliased = await t.gql(`{ a: ${copy} b: ${copy} c: ${copy} d: ${copy} e: ${copy} }`);
      expect(errorCode(aliased)).toBe('BAD_USER_INPUT');
      expect(aliased.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
      expect(aliased.data ?? null).toBeNull();
    });

    it('counts aliases: one copy of practices(first: 100) { … comments(first: 100) … } passes, several aliased copies go over', async () => {
      const copy = 'practices(first: 100) { edges { node { comments(first: 100) { edges { node { id } } } } } }';
      const one = await t.gql(`{ ${copy} }`);
      expect({ errors: one.errors }).toEqual({ errors: undefined });
      expect(one.data?.practices.edges).toEqual(expect.any(Array));
      const aliased = await t.gql(`{ a: ${copy} b: ${copy} c: ${copy} d: ${copy} }`);
      expect(errorCode(aliased)).toBe('BAD_USER_INPUT');
      expect(aliased.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
    });

    it('answers over-limit queries with HTTP 400 (a client error), never 500', async () => {
      const deep = await t.gql('{ organisations { edges { node { practices { edges { node { organisation { practices { edges { node { organisation { slug } } } } } } } } } } } }');
      expect(deep.errors![0]!.extensions!.reason).toBe('QUERY_TOO_DEEP');
      const costly = await t.gql('{ practices(first: 100) { edges { node { comments(first: 100) { edges { node { replies(first: 100) { edges { node { id } } } } } } } } } }');
      expect(costly.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
      expect([deep.status, costly.status]).toEqual([400, 400]);
    });
  });

  // =====================================================================================================

  describe('audience, tags and other domain rules', () => {
    it('refuses an audience slug that does not exist, naming audienceOrganisationSlugs', async () => {
      await expectCreateRefused(practiceInput({ visibility: 'TLP_AMBER', audienceOrganisationSlugs: ['no-such-council'] }), 'audienceOrganisationSlugs', /no-such-council/);
    });

    it('refuses an audience on a practice that is not TLP_AMBER', async () => {
      const other = await createOrganisation(t.app);
      for (const visibility of ['TLP_CLEAR', 'TLP_GREEN', 'TLP_AMBER_STRICT']) {
        await expectCreateRefused(practiceInput({ visibility, audienceOrganisationSlugs: [other.slug] }), 'audienceOrganisationSlugs');
      }
    });

    it('refuses an edit to TLP_GREEN that names an audience, leaving the practice unchanged', async () => {
      const other = await createOrganisation(t.app);
      const practice = await createPractice(t.app, contributor, { visibility: Visibility.TLP_AMBER, audience: [other] });
      const before = await practiceRow(practice.id);
      const audience = await count('practice_audience');
      const response = await t.gql(UPDATE_PRACTICE, { input: { id: practice.gid, expectedRevision: practice.revision, visibility: 'TLP_GREEN', audienceOrganisationSlugs: [other.slug] } }, contributor.token);
      expectBadInput(response, 'audienceOrganisationSlugs');
      expect(await practiceRow(practice.id)).toEqual(before);
      expect(await count('practice_audience')).toBe(audience);
    });

    it('accepts an audience on TLP_AMBER', async () => {
      const other = await createOrganisation(t.app);
      const practice = expectOk(await t.gql(CREATE_PRACTICE, { input: practiceInput({ visibility: 'TLP_AMBER', audienceOrganisationSlugs: [other.slug] }) }, contributor.token), 'createPractice');
      expect(practice.audience).toEqual([{ slug: other.slug }]);
    });

    it.each(['!!!', '   ', '---'])('refuses the tag %j, naming tags', async (tag) => {
      await expectCreateRefused(practiceInput({ tags: ['Phishing', tag] }), 'tags');
    });

    it('refuses a tag over 50 characters', async () => {
      await expectCreateRefused(practiceInput({ tags: [long(51)] }), 'tags');
    });

    it('makes "Cyber Security", "cyber-security" and " cyber  security " one tag, cyber-security', async () => {
      for (const tag of ['Cyber Security', 'cyber-security', ' cyber  security ']) {
        const practice = expectOk(await t.gql(CREATE_PRACTICE, { input: practiceInput({ tags: [tag], visibility: 'TLP_CLEAR' }) }, contributor.token), 'createPractice');
        expect(practice.tags).toEqual([{ slug: 'cyber-security' }]);
        expectOk(await t.gql(PUBLISH_PRACTICE, { id: practice.id }, contributor.token), 'publishPractice');
      }
      const response = await t.gql('{ tags(search: "cyber") { edges { node { slug practiceCount } } } }');
      expect(response.errors).toBeUndefined();
      const slugs = (response.data!.tags.edges as { node: { slug: string; practiceCount: number } }[]).map((e) => e.node);
      expect(slugs.filter((n) => n.slug.includes('security'))).toEqual([{ slug: 'cyber-security', practiceCount: 3 }]);
      expect(await t.dataSource.query("select slug from tag where slug like '%cyber%security%'")).toEqual([{ slug: 'cyber-security' }]);
    });
  });

  // =====================================================================================================

  describe('enum and scalar input', () => {
    it('refuses an unknown visibility written inline with GRAPHQL_VALIDATION_FAILED (400), writing nothing', async () => {
      const before = await practiceTables();
      const response = await t.gql(
        'mutation { createPractice(input: { title: "x", summary: "y", problem: "p", approach: "a", outcomes: "o", tags: [], visibility: TLP_RED }) { id } }',
        {},
        contributor.token,
      );
      expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.status).toBe(400);
      expect(await practiceTables()).toEqual(before);
    });

    it.each([
      ['an unknown enum value in a variable', CREATE_PRACTICE, () => ({ input: practiceInput({ visibility: 'TLP_RED' }) }), 'visibility'],
      ['a required input field missing from a variable', CREATE_PRACTICE, () => ({ input: { title: 'Only a title' } }), '$input'],
      ['a required variable not provided', 'query($id: ID!) { practice(id: $id) { id } }', () => ({}), '$id'],
      ['a variable of the wrong type', 'query($first: Int) { practices(first: $first) { edges { node { id } } } }', () => ({ first: 'many' }), '$first'],
    ])('refuses %s with BAD_USER_INPUT and HTTP 400, never 500', async (_what, query, variables, field) => {
      const before = await practiceTables();
      const response = await t.gql(query, variables(), contributor.token);
      expectBadInput(response, field);
      expect(response.status).toBe(400);
      expect(await practiceTables()).toEqual(before);
    });

    it('refuses a language that is not a BCP 47 tag', async () => {
      await expectCreateRefused(practiceInput({ language: '<script>' }), 'language');
    });

    it('refuses an organisation slug with upper case or spaces (upsertOrganisation validation runs)', async () => {
      const admin = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const before = await count('organisation');
      const response = await t.gql('mutation($input: UpsertOrganisationInput!) { upsertOrganisation(input: $input) { id } }', {
        input: { slug: 'Not A Slug', name: 'Somewhere', kind: 'UK_COUNCIL', country: 'GB' },
      }, admin.token);
      expectBadInput(response, 'slug');
      expect(await count('organisation')).toBe(before);
    });
  });
});
