import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { boundedLabel, graphqlOperations } from '#config';

/**
 * Counts every GraphQL operation by its name and outcome: `ok`, or the first error's code (BAD_USER_INPUT,
 * NOT_FOUND, GRAPHQL_PARSE_FAILED, ...). Names are the clients' own, so at most a few hundred distinct ones are
 * kept; an unnamed operation is `anonymous`, one that could not be read `unparsed`.
 */
export function graphqlMetricsPlugin(): ApolloServerPlugin {
  const seenNames = new Set<string>();
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<object>> {
      return {
        async willSendResponse({ operationName, document, errors, response }) {
          const body = response.body;
          const first = errors?.[0] ?? (body.kind === 'single' ? body.singleResult.errors?.[0] : undefined);
          const code = first?.extensions?.code;
          const outcome = first ? (typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR') : 'ok';
          const operation = operationName ? boundedLabel(seenNames, operationName) : document ? 'anonymous' : 'unparsed';
          graphqlOperations.inc({ operation, outcome });
        },
      };
    },
  };
}
