import { Logger } from '@nestjs/common';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '#identity';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import {
  GraphQLError,
  getNamedType,
  isListType,
  getNullableType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/** How many items a list that is not a connection is assumed to hold. */
const LIST_FACTOR = 5;

/**
 * Cost as the design defines it: a field costs 1; a connection costs its `first` (default 20, capped at the page
 * maximum) times what it selects; other lists a fixed factor. Aliases are separate fields, so each is counted.
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

/** Depth of the deepest selection; introspection (`__schema`, `__type`) does not count. */
export function queryDepth(document: DocumentNode, operationName?: string | null): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const visit = (set: SelectionSetNode, seen: Set<string>): number => {
    let deepest = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        deepest = Math.max(deepest, 1 + (selection.selectionSet ? visit(selection.selectionSet, seen) : 0));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, visit(selection.selectionSet, seen));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !seen.has(fragment.name.value)) deepest = Math.max(deepest, visit(fragment.selectionSet, new Set([...seen, fragment.name.value])));
      }
    }
    return deepest;
  };
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) depth = Math.max(depth, visit(def.selectionSet, new Set()));
  }
  return depth;
}

/** Refuses too-deep or too-costly operations before any resolver runs, with a BAD_USER_INPUT error saying why. */
export function queryLimitsPlugin(limits: { maxDepth: number; maxCost: number }): ApolloServerPlugin {
  const logger = new Logger('QueryLimits');
  logger.log({ msg: 'query limits', maxDepth: limits.maxDepth, maxCost: limits.maxCost });
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async didResolveOperation({ document, request, operationName, schema }) {
          const depth = queryDepth(document, operationName);
          if (depth > limits.maxDepth) {
            throw new GraphQLError(`The query is ${depth} levels deep; the limit is ${limits.maxDepth}. Split it into smaller queries.`, {
              extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', depth, maxDepth: limits.maxDepth, http: { status: 400 } },
            });
          }
          let cost: number;
          try {
            cost = getComplexity({ schema, query: document, operationName: operationName ?? undefined, variables: request.variables ?? {}, estimators: [costEstimator] });
          } catch {
            return; // invalid variables: Apollo refuses them next, as BAD_USER_INPUT naming the variable
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(`The query would cost ${cost}; the limit is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`, {
              extensions: { code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COSTLY', cost, maxCost: limits.maxCost, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
