import { buildSchema, parse } from 'graphql';
import { getComplexity } from 'graphql-query-complexity';
import { costEstimator, queryDepth } from '../../apps/api/src/graphql/query-limits.plugin.js';

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

describe('queryDepth', () => {
  it('counts the deepest selection', () => {
    expect(queryDepth(parse('{ item(id: "1") { a } }'))).toBe(2);
    expect(queryDepth(parse(`{ ${page(1)} }`))).toBe(4);
    expect(queryDepth(parse('{ items { edges { node { children { edges { node { a } } } } } } }'))).toBe(7);
  });

  it('ignores introspection (__schema, __type, __typename)', () => {
    expect(queryDepth(parse('{ __schema { types { fields { type { ofType { name } } } } } }'))).toBe(0);
    expect(queryDepth(parse('{ __type(name: "X") { fields { name } } }'))).toBe(0);
    expect(queryDepth(parse('{ __typename item(id: "1") { __typename a } }'))).toBe(2);
  });

  it('follows fragments and inline fragments', () => {
    expect(queryDepth(parse('{ ...Q } fragment Q on Query { items { edges { node { ...N } } } } fragment N on X { children { edges { node { a } } } }'))).toBe(7);
    expect(queryDepth(parse('{ item(id: "1") { ... on X { children { edges { node { a } } } } } }'))).toBe(5);
  });

  it('terminates on a fragment that spreads itself', () => {
    const depth = queryDepth(parse('{ item(id: "1") { ...A } } fragment A on X { children { edges { node { ...A } } } }'));
    expect(Number.isFinite(depth)).toBe(true);
    expect(depth).toBeGreaterThanOrEqual(4);
  });

  it('measures the named operation only', () => {
    const document = parse('query Shallow { item(id: "1") { a } } query Deep { items { edges { node { a } } } }');
    expect(queryDepth(document, 'Shallow')).toBe(2);
    expect(queryDepth(document, 'Deep')).toBe(4);
    expect(queryDepth(document)).toBe(4);
  });
});
