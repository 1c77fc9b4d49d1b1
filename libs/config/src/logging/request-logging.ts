import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { SERIALIZERS, processLogger } from './logger.js';
import { requestIdFrom } from './request-id.js';

type LoggedRequest = IncomingMessage & { originalUrl?: string; route?: { path?: unknown } };

/** Probes, metrics scrapes and static files: their completion lines are `debug`, or the log is mostly them. */
const ROUTINE = /^\/+(health(\/|$)|metrics(\/|$)|assets\/|favicon\.ico$)/i;

function pathOf(req: LoggedRequest): string {
  return (req.originalUrl ?? req.url ?? '/').split('?')[0] ?? '/';
}

/** The route that answered (its pattern, so never a secret path segment), when one did. */
function routeOf(req: LoggedRequest): string | undefined {
  const path = req.route?.path;
  // A wildcard is where middleware was mounted, not a route.
  return typeof path === 'string' && !path.includes('*') ? path : undefined;
}

/**
 * pino-http, first of all middleware: gives every request its id (the caller's X-Request-Id when sane, else a new
 * one), echoes it on the response, and with `completionLines` logs one line when the response is done (method, URL
 * without secrets, route, status, duration, request id, and the actor once known).
 */
export function requestLogger(options: { completionLines: boolean }): HttpLogger<LoggedRequest, ServerResponse> {
  return pinoHttp<LoggedRequest, ServerResponse>({
    logger: processLogger(),
    serializers: SERIALIZERS,
    // Lines logged while handling a request carry only its id; the completion line carries the request's fields.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId: (req, res) => {
      const id = requestIdFrom(req.headers['x-request-id']);
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: options.completionLines,
    customLogLevel: (req, res, error) => (ROUTINE.test(pathOf(req)) ? 'debug' : error || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, _res, value: object) => ({ ...value, route: routeOf(req) }),
    // The failure itself is logged where it was caught, with its stack; this line only says how the request ended.
    customErrorObject: (req, res, _error, value: { durationMs?: number }) => ({ res, durationMs: value.durationMs, route: routeOf(req) }),
  });
}

/**
 * nestjs-pino's request context, on top of {@link requestLogger}'s pino-http (`useExisting`): runs the rest of the
 * request with its logger, so every line carries the request id, and `addToLogContext` (the actor) reaches the
 * completion line too. Module middleware runs after body parsing, which would otherwise lose the async context.
 */
export function requestLogContextModule(): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: { logger: processLogger(), serializers: SERIALIZERS }, useExisting: true, assignResponse: true });
}
