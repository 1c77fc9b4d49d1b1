import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { createSigningKey } from '../support/saml-idp.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Introspection counts towards the query limits (its depth, its cost, each alias), an operation too large to measure
 * is refused rather than let through, and production answers no introspection unless GRAPHQL_INTROSPECTION=true.
 */
describe('introspection and the query limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('the full introspection query that GraphiQL and Apollo send is answered under the default limits', async () => {
    const response = await t.gql<{ __schema: { types: { name: string }[] } }>(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.__schema.types.map((type) => type.name)).toEqual(expect.arrayContaining(['Practice', 'Query', 'Mutation']));
  });

  it('50 aliases of __schema are refused', async () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `s${i}: __schema { types { fields { name } } }`).join('\n');
    const response = await t.gql(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.message).toMatch(/reads __schema 50 times; one query may read it once/);
    expect(response.data).toBeUndefined();
  });

  it('introspection deeper than the standard query is refused: its depth counts', async () => {
    // Apollo already refuses nesting fields in fields past three levels; a long ofType chain is deep all the same.
    const chain = (levels: number) => `{ __schema { types { ${'ofType { '.repeat(levels)}name${' }'.repeat(levels)} } } }`;
    expect((await t.gql(chain(12))).errors).toBeUndefined();
    const response = await t.gql(chain(20));
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.reason).toBe('QUERY_TOO_DEEP');
    expect(response.errors![0]!.message).toMatch(/introspection is 23 levels deep; the limit is 15/);
  });

  it('an operation too large to measure is refused, not let through (by the token limit, before it is measured)', async () => {
    const aliases = Array.from({ length: 10_001 }, (_, i) => `t${i}: __typename`).join(' ');
    const response = await t.gql(`{ ${aliases} }`);
    expect(errorCode(response)).toBe('GRAPHQL_PARSE_FAILED');
    expect(response.status).toBe(400);
  });

  it('fragments that spread each other twice over are measured spread out (2^20 selections) and refused', async () => {
    const levels = 20;
    const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ${i + 1 < levels ? `...F${i + 1} ...F${i + 1}` : '__typename'} }`);
    // Spreading one fragment twice in a selection is valid GraphQL: the copies merge when executed.
    const response = await t.gql(`{ ...F0 }\n${fragments.join('\n')}`);
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.errors![0]!.extensions!.reason).toBe('QUERY_TOO_LARGE');
  });
});

describe('introspection cost', () => {
  it('counts at what the schema holds, each __type alias again, against GRAPHQL_MAX_COST', async () => {
    const t = await startTestApp({ GRAPHQL_MAX_COST: '200' });
    try {
      expect((await t.gql('{ __type(name: "Practice") { fields { name } } }')).errors).toBeUndefined();
      // Every type and each of its fields: some 360 objects.
      const everyField = await t.gql('{ __schema { types { fields { name } } } }');
      expect(errorCode(everyField)).toBe('BAD_USER_INPUT');
      expect(everyField.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
      const aliases = Array.from({ length: 60 }, (_, i) => `t${i}: __type(name: "Practice") { fields { name } }`).join(' ');
      const manyTypes = await t.gql(`{ ${aliases} }`);
      expect(errorCode(manyTypes)).toBe('BAD_USER_INPUT');
      expect(manyTypes.errors![0]!.extensions!.reason).toBe('QUERY_TOO_COSTLY');
    } finally {
      await t.close();
    }
  });
});

describe('introspection in production', () => {
  let files: Record<string, string>;
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pe-sp-'));
    const key = await createSigningKey('sp.example.gov.uk');
    writeFileSync(path.join(dir, 'sp.key'), key.privateKey);
    writeFileSync(path.join(dir, 'sp.crt'), key.certificate);
    files = { SAML_SP_KEY_FILE: path.join(dir, 'sp.key'), SAML_SP_CERT_FILE: path.join(dir, 'sp.crt') };
  });

  const production = () => ({ NODE_ENV: 'production', PUBLIC_URL: 'https://exchange.example.gov.uk', ...files });

  it('is refused by default; ordinary queries and __typename still work', async () => {
    const t = await startTestApp(production());
    try {
      const refused = await t.gql('{ __schema { queryType { name } } }');
      expect(refused.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
      expect(refused.data?.__schema).toBeUndefined();
      expect((await t.gql('{ __type(name: "Practice") { name } }')).errors).toBeDefined();
      const ordinary = await t.gql('{ __typename organisations(first: 1) { edges { cursor } } }');
      expect(ordinary.errors).toBeUndefined();
      expect(ordinary.data!.__typename).toBe('Query');
    } finally {
      await t.close();
    }
  });

  it('is answered with GRAPHQL_INTROSPECTION=true', async () => {
    const t = await startTestApp({ ...production(), GRAPHQL_INTROSPECTION: 'true' });
    try {
      const answered = await t.gql('{ __schema { queryType { name } } }');
      expect(answered.errors).toBeUndefined();
      expect(answered.data!.__schema.queryType.name).toBe('Query');
    } finally {
      await t.close();
    }
  });
});
