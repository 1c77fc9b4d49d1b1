import { Role } from '#identity';
import { Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { ADD_COMMENT, errorText, expectBadInput, badInputSteps } from '../support/bad-input.js';

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

  const { count } = badInputSteps(
    () => t,
    () => contributor,
  );

  describe('malformed requests', () => {
    it('answers a GraphQL syntax error with GRAPHQL_PARSE_FAILED and HTTP 400', async () => {
      const response = await t.gql('{ practices(first: 1) { edges { node { id } }');
      expect(response.status).toBe(400);
      expect(errorCode(response)).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers a document of thousands of tokens, nested brackets or aliases with GRAPHQL_PARSE_FAILED in words, never a stack overflow', async () => {
      for (const query of [
        `${'{ a '.repeat(20_000)}${'}'.repeat(20_000)}`,
        `{ ${Array.from({ length: 1_000 }, (_, i) => `a${i}: practices(first: 1) { edges { cursor } }`).join(' ')} }`,
      ]) {
        const response = await t.gql(query);
        expect({ status: response.status, code: errorCode(response), message: response.errors?.[0]?.message }).toEqual({
          status: 400,
          code: 'GRAPHQL_PARSE_FAILED',
          message: expect.stringMatching(/more th(an|at) 2000 tokens/),
        });
      }
      const brackets = await t.gql(`{ practices(filter: { tags: ${'['.repeat(1_990)} }) { edges { cursor } } }`);
      expect({ status: brackets.status, code: errorCode(brackets), message: brackets.errors?.[0]?.message }).toEqual({
        status: 400,
        code: 'GRAPHQL_PARSE_FAILED',
        message: expect.stringContaining('nested too deeply'),
      });
    });

    it('answers a subscription operation with BAD_USER_INPUT and HTTP 400, not INTERNAL_SERVER_ERROR', async () => {
      const response = await t.gql('subscription { practices { edges { cursor } } }');
      expect({ status: response.status, code: errorCode(response), reason: response.errors?.[0]?.extensions?.reason }).toEqual({
        status: 400,
        code: 'BAD_USER_INPUT',
        reason: 'SUBSCRIPTIONS_UNSUPPORTED',
      });
    });

    it('answers an unknown field with GRAPHQL_VALIDATION_FAILED, never 500', async () => {
      const response = await t.gql('{ practices { edges { node { id secretColumn } } } }');
      expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(errorText(response)).toContain('secretColumn');
      expect(response.status).toBe(400);
    });

    it('answers a body that is not JSON with HTTP 400 and a JSON error, and keeps serving', async () => {
      const response = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query": "{ me { id } }"',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/json/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(JSON.stringify(body)).toMatch(/error/i);
      const after = await t.gql('{ organisations(first: 1) { edges { node { slug } } } }');
      expect(after.status).toBe(200);
      expect(after.errors).toBeUndefined();
    });

    it('answers a malformed ID to practice(id:) with BAD_USER_INPUT', async () => {
      // A row of its own, so that the table is seen to survive whatever ran before.
      await createPractice(t.app, contributor);
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
      const response = await t.gql('query($id: ID!, $first: Int) { practice(id: $id) { comments(first: $first) { edges { node { id } } } } }', {
        id: practice.gid,
        first,
      });
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
      [
        'practices, with a cursor of valid base64 but the wrong shape',
        `{ practices(after: "${Buffer.from('{"a":1}').toString('base64url')}") { edges { node { id } } } }`,
      ],
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

      const shallow = await t.gql('query($slug: String!) { organisation(slug: $slug) { practices(first: 1) { edges { node { organisation { slug } } } } } }', {
        slug: org.slug,
      });
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
      const deep = await t.gql(
        '{ organisations { edges { node { practices { edges { node { organisation { practices { edges { node { organisation { slug } } } } } } } } } } } }',
      );
      expect(deep.errors![0]!.extensions!.reason).toBe('QUERY_TOO_DEEP');
      const costly = await t.gql(
        '{ practices(first: 100) { edges { node { comments(first: 100) { edges { node { replies(first: 100) { edges { node { id } } } } } } } } } }',
      );
      expect(costly.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
      expect([deep.status, costly.status]).toEqual([400, 400]);
    });
  });
});
