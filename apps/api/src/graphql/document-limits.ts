import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { GraphQLFormattedError } from 'graphql';

/**
 * Tokens a document may hold (the full introspection query holds under 200): the parser and the checks after it do
 * work in proportion, so thousands of aliases cannot hold the server for seconds.
 */
export const MAX_DOCUMENT_TOKENS = 2_000;

/**
 * Apollo's `formatError`: the parser is recursive, so a document nested deeper than the stack allows (under the token
 * limit: some 2,000 `[` in an argument) overflows it; that is the sender's doing, said in our words rather than V8's.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.message.includes('Maximum call stack size exceeded')) return formatted;
  const code = formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED' ? 'GRAPHQL_PARSE_FAILED' : 'BAD_USER_INPUT';
  return { message: 'The query is nested too deeply to read. Nest fewer levels of braces and brackets.', extensions: { code } };
}

/** The Apollo options that bound what reading a document costs. */
export const documentLimits: Pick<ApolloDriverConfig, 'parseOptions'> = {
  parseOptions: { maxTokens: MAX_DOCUMENT_TOKENS },
};
