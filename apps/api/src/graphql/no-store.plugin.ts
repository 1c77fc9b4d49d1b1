import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/**
 * Every GraphQL answer is `Cache-Control: no-store`, as Apollo's cache-control plugin would say with no hints. That
 * plugin is turned off: to compute hints it wraps every field's resolver, which costs each answer a promise per
 * field, for hints we never set.
 */
export function noStorePlugins(): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart(): Promise<GraphQLRequestListener<object>> {
        return {
          async willSendResponse({ response }) {
            response.http.headers.set('cache-control', 'no-store');
          },
        };
      },
    },
  ];
}
