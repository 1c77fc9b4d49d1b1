import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, getIntrospectionQuery, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { INTROSPECTION_MAX_DEPTH, costEstimator, operationCost, operationShape } from '../../apps/api/src/graphql/query-limits.plugin.js';

/**
 * The cost and depth that bound every GraphQL operation: a connection costs its `first` times what it selects,
 * aliases each count, so nesting and aliasing cannot multiply work for free.
 */
const schema = buildSchema(`
  type Query {
    items(first: Int, after: String): XConnection!
    item(id: ID!): X
    tags: [Tag!]!
  }
  type XConnection { edges: [XEdge!]! pageInfo: PageInfo! }
  type XEdge { cursor: String! node: X! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type X { id: ID! a: String b: String children(first: Int): XConnection! }
  type Tag { slug: String! label: String! }
`);

const cost = (query: string, variables: Record<string, unknown> = {}) => getComplexity({ schema, query: parse(query), variables, estimators: [costEstimator] });
const page = (first: number | null) => `items${first === null ? '' : `(first: ${first})`} { edges { node { a b } } }`;

describe('costEstimator', () => {
  it('a connection of first: 10 selecting two fields costs more than first: 1, in proportion', () => {
    const ten = cost(`{ ${page(10)} }`);
    const one = cost(`{ ${page(1)} }`);
    expect(ten).toBeGreaterThan(one);
    expect(ten - 1).toBe(10 * (one - 1));
  });

  it('a connection costs first × (an edge and what its node selects): edges are not counted again as a list', () => {
    const node = cost('{ item(id: "1") { a b } }');
    expect(cost(`{ ${page(10)} }`)).toBe(1 + 10 * (1 + node));
  });

  it('selecting more fields per node costs more', () => {
    expect(cost('{ items(first: 10) { edges { node { a b id } } } }')).toBeGreaterThan(cost(`{ ${page(10)} }`));
  });

  it('aliases count separately: two aliased copies cost twice one', () => {
    const single = cost(`{ ${page(10)} }`);
    expect(cost(`{ x: ${page(10)} y: ${page(10)} }`)).toBe(2 * single);
    const many = Array.from({ length: 10 }, (_, i) => `a${i}: ${page(10)}`).join(' ');
    expect(cost(`{ ${many} }`)).toBe(10 * single);
  });

  it('nested connections multiply', () => {
    const nested = cost('{ items(first: 100) { edges { node { children(first: 100) { edges { node { a } } } } } } }');
    const flat = cost('{ items(first: 100) { edges { node { a } } } }');
    expect(nested).toBeGreaterThanOrEqual(100 * flat);
  });

  it('without first a connection counts its default page of 20; above the maximum it counts the maximum', () => {
    expect(cost(`{ ${page(null)} }`)).toBe(cost(`{ ${page(20)} }`));
    expect(cost(`{ ${page(100_000)} }`)).toBe(cost(`{ ${page(100)} }`));
    expect(cost(`{ ${page(-5)} }`)).toBe(cost(`{ ${page(1)} }`));
  });

  it('first from a variable counts like a literal', () => {
    expect(cost('query($n: Int) { items(first: $n) { edges { node { a b } } } }', { n: 50 })).toBe(cost(`{ ${page(50)} }`));
  });

  it('a plain list costs a fixed factor times what it selects', () => {
    expect(cost('{ tags { slug label } }')).toBeGreaterThan(cost('{ item(id: "1") { a b } }'));
  });
});

const depthOf = (document: ReturnType<typeof parse>, operationName?: string) => operationShape(document, operationName).depth;

describe('operationShape: depth', () => {
  it('counts the deepest selection', () => {
    expect(depthOf(parse('{ item(id: "1") { a } }'))).toBe(2);
    expect(depthOf(parse(`{ ${page(1)} }`))).toBe(4);
    expect(depthOf(parse('{ items { edges { node { children { edges { node { a } } } } } } }'))).toBe(7);
    expect(depthOf(parse('{ __typename item(id: "1") { __typename a } }'))).toBe(2);
  });

  it('counts introspection apart: __schema and __type and everything under them', () => {
    expect(operationShape(parse('{ __schema { types { fields { type { ofType { name } } } } } }'))).toMatchObject({ depth: 0, introspectionDepth: 6 });
    expect(operationShape(parse('{ __type(name: "X") { fields { name } } item(id: "1") { a } }'))).toMatchObject({ depth: 2, introspectionDepth: 3 });
    expect(
      operationShape(parse('{ ...I } fragment I on Query { __type(name: "X") { ...T } } fragment T on __Type { fields { type { name } } }')),
    ).toMatchObject({ introspectionDepth: 4 });
  });

  it('the standard introspection query (what GraphiQL and Apollo send) sets the introspection depth limit', () => {
    expect(INTROSPECTION_MAX_DEPTH).toBe(operationShape(parse(getIntrospectionQuery())).introspectionDepth);
    expect(INTROSPECTION_MAX_DEPTH).toBeGreaterThan(10);
    expect(INTROSPECTION_MAX_DEPTH).toBeLessThanOrEqual(20);
  });

  it('follows fragments and inline fragments', () => {
    expect(depthOf(parse('{ ...Q } fragment Q on Query { items { edges { node { ...N } } } } fragment N on X { children { edges { node { a } } } }'))).toBe(7);
    expect(depthOf(parse('{ item(id: "1") { ... on X { children { edges { node { a } } } } } }'))).toBe(5);
  });

  it('terminates on a fragment that spreads itself', () => {
    const depth = depthOf(parse('{ item(id: "1") { ...A } } fragment A on X { children { edges { node { ...A } } } }'));
    expect(Number.isFinite(depth)).toBe(true);
    expect(depth).toBeGreaterThanOrEqual(4);
  });

  it('measures the named operation only', () => {
    const document = parse('query Shallow { item(id: "1") { a } } query Deep { items { edges { node { a } } } }');
    expect(depthOf(document, 'Shallow')).toBe(2);
    expect(depthOf(document, 'Deep')).toBe(4);
    expect(depthOf(document)).toBe(4);
  });
});

describe('operationShape: size and repeated introspection', () => {
  it('counts each response key that reads __schema; the same key twice merges into one read', () => {
    const aliases = Array.from({ length: 50 }, (_, i) => `a${i}: __schema { types { name } }`).join(' ');
    expect(operationShape(parse(`{ ${aliases} }`)).schemaReads).toBe(50);
    expect(operationShape(parse('{ __schema { types { name } } __schema { types { name } } }')).schemaReads).toBe(1);
    expect(
      operationShape(parse('{ ...A ...B } fragment A on Query { x: __schema { types { name } } } fragment B on Query { y: __schema { types { name } } }'))
        .schemaReads,
    ).toBe(2);
    expect(operationShape(parse(getIntrospectionQuery())).schemaReads).toBe(1);
  });

  it('counts selections with fragments spread out, without walking each spread: 2^30 selections measured at once', () => {
    const levels = 30;
    const fragments = Array.from(
      { length: levels },
      (_, i) =>
        `fragment F${i} on X { ${i + 1 < levels ? `p: children { edges { node { ...F${i + 1} } } } q: children { edges { node { ...F${i + 1} } } }` : 'a'} }`,
    ).join('\n');
    const shape = operationShape(parse(`{ item(id: "1") { ...F0 } }\n${fragments}`));
    expect(shape.nodes).toBeGreaterThan(2 ** 30);
    expect(shape.depth).toBe(2 + 3 * (levels - 1));
  });
});

describe('introspection cost', () => {
  const app = buildSchema(readFileSync(path.join(process.cwd(), 'schema.graphql'), 'utf8'));
  const costOf = (query: string) => operationCost(app, parse(query));

  it('the full introspection query fits the default cost limit', () => {
    const full = costOf(
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    );
    expect(full).toBeGreaterThan(1000);
    expect(full).toBeLessThan(50_000);
  });

  it('walking every type costs about what the schema holds, and each alias counts again', () => {
    const types = Object.keys(app.getTypeMap()).length;
    const one = costOf('{ __schema { types { name } } }');
    expect(one).toBeGreaterThanOrEqual(types);
    expect(costOf('{ a: __schema { types { name } } b: __schema { types { name } } }')).toBe(2 * one);
    const typeAliases = Array.from({ length: 10 }, (_, i) => `t${i}: __type(name: "Query") { fields { name } }`).join(' ');
    // Averages make fractions; the total is rounded up once.
    expect(costOf(`{ ${typeAliases} }`)).toBeGreaterThan(9 * costOf('{ __type(name: "Query") { fields { name } } }'));
  });
});
