import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { currentRequestId, DomainError, escapeHtml } from '#config';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Request, Response } from 'express';
import { apiCodeOf, type ApiErrorCode } from './error-codes.js';
import { InputValidationError } from './validation.js';

function graphqlError(message: string, code: ApiErrorCode, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** The web pages' error pages, for a browser that navigated to an address no page answers (see WebErrorPages). */
export interface BrowserErrorPages {
  /** Answers with an error page when the request is a browser's navigation; false leaves it to the API. */
  renderForBrowser(exception: unknown, req: Request, res: Response): boolean;
}

/**
 * What a person is told when the framework refuses a request before our code runs (a malformed body or address, an
 * unknown route): its own wording names parser internals and echoes the input, so it stays in the log.
 */
const FRAMEWORK_REFUSALS: Record<number, string> = {
  400: 'The request could not be read: check the address, and that a body is valid JSON (or a form).',
  404: 'There is nothing at this address. Check it, or start from the home page.',
  405: 'This address does not accept that method.',
  413: 'The request body is too large: the limit is 1 MB.',
  415: 'The request body has a type this address does not accept: send JSON.',
};

const logger = new Logger('ApiExceptionFilter');

/**
 * The one mapping from what a resolver or route threw to what the caller is told: the filter's for operations and
 * routes, and Apollo's `formatError` for field resolvers (which run without Nest's enhancers, for speed). Unknown
 * errors become a generic INTERNAL_SERVER_ERROR; their details go to the log with the request id, never to the client.
 */
export function toGraphqlError(exception: unknown): GraphQLError {
  if (exception instanceof GraphQLError) return exception;
  if (exception instanceof DomainError) {
    const code = apiCodeOf(exception.code);
    if (code) return graphqlError(exception.message, code, { reason: exception.code, ...(exception.field ? { field: exception.field } : {}) });
  }
  if (exception instanceof InputValidationError) {
    return graphqlError(exception.message, 'BAD_USER_INPUT', { problems: exception.problems });
  }
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    logger.debug({ msg: 'request refused by the framework', status, error: exception.message });
    return graphqlError(
      FRAMEWORK_REFUSALS[status] ?? 'The request was not accepted. Check the address and what was sent.',
      status === 404 ? 'NOT_FOUND' : 'BAD_USER_INPUT',
    );
  }
  logger.error({
    msg: 'unexpected error',
    error: exception instanceof Error ? exception.message : String(exception),
    stack: exception instanceof Error ? exception.stack : undefined,
  });
  const requestId = currentRequestId();
  return graphqlError(`Something went wrong on our side${requestId ? ` (request ${requestId})` : ''}. Please try again later.`, 'INTERNAL_SERVER_ERROR');
}

/**
 * Apollo's `formatError` for what a field resolver threw, which reaches Apollo unmapped: {@link toGraphqlError}, as
 * the filter does for operations. Errors already in our words (and Apollo's own) pass as they are.
 */
export function mapFieldResolverError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original === error || original instanceof GraphQLError) return formatted;
  const mapped = toGraphqlError(original);
  return { ...formatted, message: mapped.message, extensions: mapped.extensions };
}

/** Runs {@link toGraphqlError} for every operation and route. */

@Catch()
export class ApiExceptionFilter implements GqlExceptionFilter {
  constructor(private readonly browserPages?: BrowserErrorPages) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (
      host.getType<string>() !== 'graphql' &&
      this.browserPages?.renderForBrowser(exception, host.switchToHttp().getRequest<Request>(), host.switchToHttp().getResponse<Response>())
    ) {
      return undefined;
    }
    const error = toGraphqlError(exception);
    if (host.getType<string>() !== 'graphql') {
      const request = host.switchToHttp().getRequest<Request>();
      const response = host.switchToHttp().getResponse<Response>();
      const status = exception instanceof HttpException ? exception.getStatus() : (STATUS[error.extensions.code as ApiErrorCode] ?? 500);
      response.status(status);
      // A browser (an unsubscribe or sign-in link) gets a page; anything else JSON. Either way only the mapped message.
      if (request.accepts(['json', 'html']) === 'html') {
        const title = status >= 500 ? 'Something went wrong' : 'This did not work';
        response
          .type('html')
          .send(
            `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} — Practice Exchange</title></head><body><h1>${title}</h1><p>${escapeHtml(error.message)}</p></body></html>`,
          );
      } else {
        response.json({ error: { code: error.extensions.code, message: error.message } });
      }
      return undefined;
    }
    return error;
  }
}

const STATUS: Record<ApiErrorCode, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL_SERVER_ERROR: 500,
};
