import { Logger } from '@nestjs/common';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '#identity';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  GraphQLError,
  getIntrospectionQuery,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  getNullableType,
  Kind,
  parse,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { NUL_REFUSED } from '../bootstrap/refuse-nul.js';

/** How many items a list that is not a connection is assumed to hold. */
const LIST_FACTOR = 5;

/** Selections an operation may hold once its fragments are spread out; the full introspection query holds a few hundred. */
export const MAX_QUERY_NODES = 10_000;

const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

/** The full introspection query that GraphiQL, Apollo's tools and code generators send (every option on). */
const STANDARD_INTROSPECTION = parse(
  getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  }),
);

/**
 * An operation's cost, as `GRAPHQL_MAX_COST` bounds it (README, "The API"): a field costs 1; a connection costs its
 * `first` (default 20, capped at the page maximum) times what it selects; other lists a fixed factor. Aliases are
 * separate fields, so each is counted.
 */
export const costEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const named = getNamedType(field.type);
  if (named.name.endsWith('Connection')) {
    const first = typeof args.first === 'number' ? Math.min(Math.max(args.first, 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
    return 1 + first * childComplexity;
  }
  // A connection's `edges` holds the `first` items its connection already counted.
  const list = isListType(getNullableType(field.type)) && !type.name.endsWith('Connection');
  return 1 + (list ? LIST_FACTOR : 1) * childComplexity;
};

/** How many items each introspection list holds on average in `schema`, so walking it costs what it really returns. */
function introspectionListSizes(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap());
  let fields = 0;
  let fieldArgs = 0;
  let interfaces = 0;
  let inputFields = 0;
  let enumValues = 0;
  let possibleTypes = 0;
  for (const type of types) {
    if (isObjectType(type) || isInterfaceType(type)) {
      const own = Object.values(type.getFields());
      fields += own.length;
      fieldArgs += own.reduce((n, f) => n + f.args.length, 0);
      interfaces += type.getInterfaces().length;
    }
    if (isInputObjectType(type)) inputFields += Object.keys(type.getFields()).length;
    if (isEnumType(type)) enumValues += type.getValues().length;
    if (isAbstractType(type)) possibleTypes += schema.getPossibleTypes(type).length;
  }
  const directives = schema.getDirectives();
  const perType = (n: number) => n / types.length;
  return new Map([
    ['__Schema.types', types.length],
    ['__Schema.directives', directives.length],
    ['__Type.fields', perType(fields)],
    ['__Type.interfaces', perType(interfaces)],
    ['__Type.possibleTypes', perType(possibleTypes)],
    ['__Type.enumValues', perType(enumValues)],
    ['__Type.inputFields', perType(inputFields)],
    ['__Field.args', fields ? fieldArgs / fields : 0],
    ['__Directive.args', directives.length ? directives.reduce((n, d) => n + d.args.length, 0) / directives.length : 0],
  ]);
}

const listSizesBySchema = new WeakMap<GraphQLSchema, Map<string, number>>();

/**
 * Introspection costs like any other field, its lists priced at what `schema` really holds (94 types, about 3
 * fields a type, ...), so each alias of `__schema` or `__type` adds the work it causes. Other fields go to the next estimator.
 */
export function introspectionCostEstimator(schema: GraphQLSchema): ComplexityEstimator {
  let sizes = listSizesBySchema.get(schema);
  if (!sizes) listSizesBySchema.set(schema, (sizes = introspectionListSizes(schema)));
  const known = sizes;
  return ({ type, field, childComplexity }) => {
    if (!type.name.startsWith('__') && !INTROSPECTION_ROOTS.has(field.name)) return undefined;
    if (!isListType(getNullableType(field.type))) return 1 + childComplexity;
    return 1 + (known.get(`${type.name}.${field.name}`) ?? LIST_FACTOR) * childComplexity;
  };
}

/** An operation's cost: data and introspection together, each alias counted. */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables: Record<string, unknown> = {}): number {
  return Math.ceil(
    getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables,
      estimators: [introspectionCostEstimator(schema), costEstimator],
      maxQueryNodes: 2 * MAX_QUERY_NODES,
    }),
  );
}

/** What the limits look at in an operation, its fragments spread out. */
export interface OperationShape {
  /** The deepest selection outside introspection. */
  depth: number;
  /** The deepest selection under `__schema` or `__type`, those fields included. */
  introspectionDepth: number;
  /** How many different response keys ask for `__schema` (aliases make more; the same key twice merges into one). */
  schemaReads: number;
  /** Selections once every fragment spread is expanded. */
  nodes: number;
}

/**
 * Measures the named operation (or every operation). Each fragment is measured once and reused, so fragments that
 * spread each other many times cannot make the measuring itself expensive; fragment cycles never reach here
 * (validation refuses them) but are cut anyway.
 */
export function operationShape(document: DocumentNode, operationName?: string | null): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  interface Summary {
    depth: number;
    introspectionDepth: number;
    nodes: number;
    schemaKeys: Set<string>;
  }
  const empty = (): Summary => ({ depth: 0, introspectionDepth: 0, nodes: 0, schemaKeys: new Set() });
  const memo = new Map<string, Summary>();
  const measuring = new Set<string>();
  const fragmentSummary = (name: string, atRoot: boolean): Summary => {
    const key = `${atRoot ? 'root' : 'inner'}:${name}`;
    const fragment = fragments.get(name);
    if (!fragment || measuring.has(key)) return empty();
    if (!memo.has(key)) {
      measuring.add(key);
      memo.set(key, summarise(fragment.selectionSet, atRoot));
      measuring.delete(key);
    }
    return memo.get(key)!;
  };
  // Introspection fields exist only on the root type, so only root selections are told apart.
  const summarise = (set: SelectionSetNode, atRoot: boolean): Summary => {
    const out = empty();
    const add = (inner: Summary) => {
      out.depth = Math.max(out.depth, inner.depth);
      out.introspectionDepth = Math.max(out.introspectionDepth, inner.introspectionDepth);
      out.nodes += inner.nodes;
      for (const key of inner.schemaKeys) out.schemaKeys.add(key);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const below = selection.selectionSet ? summarise(selection.selectionSet, false) : empty();
        const depth = Math.max(below.depth, below.introspectionDepth) + 1;
        const field: Summary = { depth: 0, introspectionDepth: 0, nodes: below.nodes + 1, schemaKeys: new Set() };
        if (atRoot && INTROSPECTION_ROOTS.has(selection.name.value)) {
          field.introspectionDepth = depth;
          if (selection.name.value === '__schema') field.schemaKeys.add(selection.alias?.value ?? selection.name.value);
        } else {
          field.depth = depth;
        }
        add(field);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(summarise(selection.selectionSet, atRoot));
      } else {
        add(fragmentSummary(selection.name.value, atRoot));
      }
    }
    return out;
  };
  const shape = empty();
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION || (operationName && def.name?.value !== operationName)) continue;
    const op = summarise(def.selectionSet, true);
    shape.depth = Math.max(shape.depth, op.depth);
    shape.introspectionDepth = Math.max(shape.introspectionDepth, op.introspectionDepth);
    shape.nodes = Math.max(shape.nodes, op.nodes);
    for (const key of op.schemaKeys) shape.schemaKeys.add(key);
  }
  return { depth: shape.depth, introspectionDepth: shape.introspectionDepth, schemaReads: shape.schemaKeys.size, nodes: shape.nodes };
}

/** The deepest an introspection path may go: as deep as the full introspection query (its `ofType` chain). */
export const INTROSPECTION_MAX_DEPTH = operationShape(STANDARD_INTROSPECTION).introspectionDepth;

function refusal(message: string, reason: string, extra: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason, ...extra, http: { status: 400 } } });
}

/** Variables vary per call (ids, cursors): a document keeps at most this many passed sets of them. */
const MAX_PASSED_PER_DOCUMENT = 64;

function passedChecks(passedByDocument: WeakMap<DocumentNode, Set<string>>, document: DocumentNode): Set<string> {
  let passed = passedByDocument.get(document);
  if (!passed) passedByDocument.set(document, (passed = new Set()));
  return passed;
}

function remember(passed: Set<string>, key: string): void {
  if (passed.size >= MAX_PASSED_PER_DOCUMENT) passed.delete(passed.values().next().value!);
  passed.add(key);
}

/**
 * Refuses too-large, too-deep or too-costly operations before any resolver runs, with a BAD_USER_INPUT error saying
 * why. Introspection counts: its depth may reach the full introspection query's own (deeper than data queries need),
 * its cost adds to the operation's, and one operation reads `__schema` at most once.
 */
export function queryLimitsPlugin(limits: { maxDepth: number; maxCost: number }): ApolloServerPlugin {
  const logger = new Logger('QueryLimits');
  const maxIntrospectionDepth = Math.max(limits.maxDepth, INTROSPECTION_MAX_DEPTH);
  // Per document, the operation names and variables that passed these limits; forgotten with Apollo's cache of it.
  const passedByDocument = new WeakMap<DocumentNode, Set<string>>();
  logger.debug({ msg: 'query limits', maxDepth: limits.maxDepth, maxIntrospectionDepth, maxCost: limits.maxCost, maxNodes: MAX_QUERY_NODES });
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ document, request, operation, operationName, schema }) {
          // graphql-js 16 validates a subscription against a schema without any and fails only when executing it.
          if (operation?.operation === 'subscription') {
            throw refusal('This API has no subscriptions: send a query, or subscribe to a digest (e-mail, webhook or feed).', 'SUBSCRIPTIONS_UNSUPPORTED', {});
          }
          // Apollo keeps parsed and validated documents by their text, so a repeated query is the same DocumentNode:
          // an operation that passed with these variables is not measured again (a refusal is, and is rare).
          const passed = passedChecks(passedByDocument, document);
          const key = `${operationName ?? ''}\u0000${JSON.stringify(request.variables ?? {})}`;
          if (passed.has(key)) return;
          // Variables were checked with the body; a string written in the document ("\u0000") is seen only here.
          let nul = false;
          visit(document, { StringValue: (node) => void (nul ||= node.value.includes('\u0000')) });
          if (nul) throw refusal(NUL_REFUSED, 'NUL_CHARACTER', {});
          const shape = operationShape(document, operationName);
          if (shape.nodes > MAX_QUERY_NODES) {
            throw refusal(
              `The query selects ${shape.nodes} fields once its fragments are spread out; the limit is ${MAX_QUERY_NODES}. Split it into smaller queries.`,
              'QUERY_TOO_LARGE',
              { nodes: shape.nodes, maxNodes: MAX_QUERY_NODES },
            );
          }
          if (shape.depth > limits.maxDepth) {
            throw refusal(`The query is ${shape.depth} levels deep; the limit is ${limits.maxDepth}. Split it into smaller queries.`, 'QUERY_TOO_DEEP', {
              depth: shape.depth,
              maxDepth: limits.maxDepth,
            });
          }
          if (shape.introspectionDepth > maxIntrospectionDepth) {
            throw refusal(
              `The introspection is ${shape.introspectionDepth} levels deep; the limit is ${maxIntrospectionDepth}, as deep as the standard introspection query.`,
              'QUERY_TOO_DEEP',
              {
                depth: shape.introspectionDepth,
                maxDepth: maxIntrospectionDepth,
              },
            );
          }
          if (shape.schemaReads > 1) {
            throw refusal(`The query reads __schema ${shape.schemaReads} times; one query may read it once.`, 'INTROSPECTION_REPEATED', {
              schemaReads: shape.schemaReads,
            });
          }
          let cost: number;
          try {
            cost = operationCost(schema, document, operationName, request.variables ?? {});
          } catch (error) {
            // The counter's own bound on selections (it counts fragment spreads too): refused like any too-large query.
            if (error instanceof Error && /maximum allowed number of nodes/.test(error.message)) {
              throw refusal(
                `The query is too large to measure; the limit is ${MAX_QUERY_NODES} selections. Split it into smaller queries.`,
                'QUERY_TOO_LARGE',
                { maxNodes: MAX_QUERY_NODES },
              );
            }
            return; // invalid variables: Apollo refuses them next, as BAD_USER_INPUT naming the variable
          }
          if (cost > limits.maxCost) {
            throw refusal(
              `The query would cost ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
              'QUERY_TOO_COSTLY',
              { cost, maxCost: limits.maxCost },
            );
          }
          remember(passed, key);
        },
      };
    },
  };
}
