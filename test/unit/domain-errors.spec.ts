import type { ArgumentsHost } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { codeLookup, DomainError } from '#config';
import { DigestError, DigestErrorCode } from '#digests';
import { IdentityError, IdentityErrorCode, MetadataError, MetadataErrorCode } from '#identity';
import { PracticeError, PracticeErrorCode } from '#practices';
import { GraphQLError } from 'graphql';
import { apiCodeOf } from '../../apps/api/src/graphql/error-codes.js';
import { ApiExceptionFilter, mapFieldResolverError } from '../../apps/api/src/graphql/graphql-exception.filter.js';
import { errorKindOf } from '../../apps/web/src/errors/web-error-pages.js';
import { WebError, WebErrorCode, WebInputError } from '../../apps/web/src/errors/web-errors.js';
import { captureLogs } from '../support/log-capture.js';

const graphqlHost = { getType: () => 'graphql' } as unknown as ArgumentsHost;

/** An HTTP request from a client that wants JSON, and what the filter answered it. */
function httpHost(): { host: ArgumentsHost; answer: { status?: number; body?: unknown } } {
  const answer: { status?: number; body?: unknown } = {};
  const response = {
    status(status: number) {
      answer.status = status;
      return response;
    },
    json(body: unknown) {
      answer.body = body;
      return response;
    },
  };
  const request = { accepts: () => 'json' };
  const host = { getType: () => 'http', switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, answer };
}

function graphqlAnswer(exception: unknown): { message: string; extensions: Record<string, unknown> } {
  const error = new ApiExceptionFilter().catch(exception, graphqlHost);
  expect(error).toBeInstanceOf(GraphQLError);
  return { message: (error as GraphQLError).message, extensions: { ...(error as GraphQLError).extensions } };
}

describe('domain errors', () => {
  it('share one base that keeps the code, the message and the field', () => {
    const error = new PracticeError(PracticeErrorCode.INVALID_INPUT, 'title: too long', 'title');
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect({ name: error.name, code: error.code, message: error.message, field: error.field }).toEqual({
      name: 'PracticeError',
      code: 'INVALID_INPUT',
      message: 'title: too long',
      field: 'title',
    });
    expect(new MetadataError(MetadataErrorCode.METADATA_EXPIRED, 'expired', 'https://idp.example/')).toMatchObject({
      name: 'MetadataError',
      entityId: 'https://idp.example/',
      field: undefined,
    });
  });

  it('each map to an API code, for every code of every library', () => {
    for (const code of [...Object.values(IdentityErrorCode), ...Object.values(PracticeErrorCode), ...Object.values(DigestErrorCode)]) {
      expect({ code, api: apiCodeOf(code) }).toEqual({ code, api: expect.any(String) });
    }
  });

  it('refuse two tables that map a shared code differently', () => {
    expect(() => codeLookup({ INVALID_INPUT: 'BAD_USER_INPUT' }, { INVALID_INPUT: 'CONFLICT' })).toThrow('INVALID_INPUT');
    expect(codeLookup({ INVALID_INPUT: 'BAD_USER_INPUT' }, { INVALID_INPUT: 'BAD_USER_INPUT' })('INVALID_INPUT')).toBe('BAD_USER_INPUT');
  });
});

describe('the API exception filter', () => {
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs('error');
    Logger.overrideLogger(logs.logger);
  });
  afterEach(() => Logger.overrideLogger(['error']));

  it('answers a domain error with its mapped code, its reason, its field and its own message', () => {
    expect(graphqlAnswer(new PracticeError(PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice with this id.', 'id'))).toEqual({
      message: 'No practice with this id.',
      extensions: { code: 'NOT_FOUND', reason: 'PRACTICE_NOT_FOUND', field: 'id' },
    });
    expect(graphqlAnswer(new IdentityError(IdentityErrorCode.TOKEN_INVALID, 'Sign in again.'))).toEqual({
      message: 'Sign in again.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_INVALID' },
    });
  });

  it('gives a domain error its HTTP status outside GraphQL', () => {
    const { host, answer } = httpHost();
    new ApiExceptionFilter().catch(new DigestError(DigestErrorCode.SUBSCRIPTION_LIMIT_REACHED, 'You have as many subscriptions as a member may.'), host);
    expect(answer).toEqual({ status: 409, body: { error: { code: 'CONFLICT', message: 'You have as many subscriptions as a member may.' } } });
  });

  it('answers any other error as a generic internal error, its message only in the log', () => {
    const secret = 'connect ECONNREFUSED db-primary.internal:5432 as practice_admin';
    const answer = graphqlAnswer(new Error(secret));
    expect(answer.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(answer.message).toBe('Something went wrong on our side. Please try again later.');
    expect(logs.text()).toContain(secret);

    const { host, answer: http } = httpHost();
    new ApiExceptionFilter().catch(new TypeError(secret), host);
    expect(http).toEqual({
      status: 500,
      body: { error: { code: 'INTERNAL_SERVER_ERROR', message: 'Something went wrong on our side. Please try again later.' } },
    });
  });

  it('answers a domain error whose code has no API mapping as an internal error too', () => {
    const answer = graphqlAnswer(new MetadataError(MetadataErrorCode.METADATA_MALFORMED, 'bad ID at line 3', 'https://idp.example/'));
    expect(answer).toEqual({ message: 'Something went wrong on our side. Please try again later.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(logs.text()).toContain('bad ID at line 3');
  });

  // Field resolvers run without the filter; Apollo's formatError maps what they throw, as graphql-js wraps it.
  describe("through formatError, for a field resolver's error", () => {
    const wrapped = (original: Error) => new GraphQLError(original.message, { path: ['practice', 'comments'], originalError: original });
    const formatted = (error: GraphQLError) => ({ message: error.message, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });

    it('maps a domain error as the filter does, keeping the path', () => {
      const error = wrapped(new IdentityError(IdentityErrorCode.INVALID_CURSOR, 'after: not a cursor from this list', 'after'));
      expect(mapFieldResolverError(formatted(error), error)).toEqual({
        message: 'after: not a cursor from this list',
        path: ['practice', 'comments'],
        extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR', field: 'after' },
      });
    });

    it('hides any other error behind the generic message, its text only in the log', () => {
      const secret = 'relation comment_archive does not exist at character 42';
      const error = wrapped(new Error(secret));
      const answer = mapFieldResolverError(formatted(error), error);
      expect(answer).toEqual({
        message: 'Something went wrong on our side. Please try again later.',
        path: ['practice', 'comments'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
      expect(JSON.stringify(answer)).not.toContain('relation');
      expect(logs.text()).toContain(secret);
    });

    it("leaves errors already in our words, and Apollo's own, as they are", () => {
      const mapped = wrapped(new GraphQLError('No practice with this id.', { extensions: { code: 'NOT_FOUND' } }));
      const own = { message: 'Cannot query field "nope" on type "Query".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
      expect(mapFieldResolverError(formatted(mapped), mapped)).toEqual(formatted(mapped));
      expect(mapFieldResolverError(own, new GraphQLError(own.message))).toBe(own);
    });
  });
});

describe("the pages' error kinds", () => {
  it('follow the domain code, hiding what may not be seen as "not found"', () => {
    expect(errorKindOf(new IdentityError(IdentityErrorCode.UNAUTHENTICATED, 'x'))).toBe('signInNeeded');
    expect(errorKindOf(new IdentityError(IdentityErrorCode.INVALID_ID, 'x'))).toBe('notFound');
    expect(errorKindOf(new PracticeError(PracticeErrorCode.PERMISSION_DENIED, 'x'))).toBe('notFound');
    expect(errorKindOf(new PracticeError(PracticeErrorCode.REVISION_CONFLICT, 'x'))).toBe('badRequest');
    expect(errorKindOf(new DigestError(DigestErrorCode.SUBSCRIPTION_NOT_FOUND, 'x'))).toBe('notFound');
    expect(errorKindOf(new WebError(WebErrorCode.FORM_EXPIRED, 'x'))).toBe('formExpired');
    expect(errorKindOf(new WebInputError('x'))).toBe('badRequest');
  });

  it('give any other error, and a domain error with no page, the server error page', () => {
    expect(errorKindOf(new Error('x'))).toBe('serverError');
    expect(errorKindOf(new MetadataError(MetadataErrorCode.METADATA_MALFORMED, 'x'))).toBe('serverError');
  });
});
