import { AsyncLocalStorage } from 'node:async_hooks';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { pino, type DestinationStream, type Logger as Pino } from 'pino';
import type { AppConfig } from '../app-config.js';
import { REDACT_CENSOR, REDACT_PATHS, loggableUrl, scrubSecretPaths } from './redaction.js';

/** What a request's or a job's lines carry besides their message. */
export interface LogContext {
  requestId?: string;
  actorId?: string;
  organisationId?: string;
  jobId?: string;
  kind?: string;
  attempt?: number;
}

/** LOG_LEVEL keeps Nest's names; pino calls `log` `info`. */
const PINO_LEVEL: Record<AppConfig['logLevel'], pino.Level> = { debug: 'debug', log: 'info', warn: 'warn', error: 'error' };

/** Nest's own wiring messages at start-up: detail, not state changes. */
const WIRING = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication', 'NestApplicationContext', 'GraphQLModule']);

/** Whatever is logged as `req` or `res` (pino-http's lines too): a few fields, never headers, cookies or a secret URL. */
export const SERIALIZERS = {
  req: (req: { method?: string; originalUrl?: string; url?: string }) => ({ method: req.method, url: loggableUrl(req.originalUrl ?? req.url ?? '') }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/**
 * The process's one pino logger (nestjs-pino keeps one per process too). Lines go through `sink`, so the CLI (stderr)
 * and tests (a capture) can point it elsewhere; children made before that follow, as they write to the same stream.
 */
let sink: DestinationStream = process.stdout;
let root: Pino | undefined;
let context: PinoLogger | undefined;

export function processLogger(): Pino {
  root ??= pino(
    {
      level: 'info',
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACT_CENSOR },
      hooks: {
        logMethod(args, method) {
          method.apply(this, scrubSecretPaths(args) as Parameters<typeof method>);
        },
      },
      serializers: { err: pino.stdSerializers.err, ...SERIALIZERS },
    },
    { write: (line: string) => sink.write(line) },
  );
  return root;
}

/** The nestjs-pino handle on the logging context (the request's or job's logger in force). */
function contextLogger(): PinoLogger {
  context ??= new PinoLogger({ pinoHttp: { logger: processLogger(), serializers: SERIALIZERS } });
  return context;
}

/** Work whose `log` lines are routine (demo seeding at start-up): they go to `debug`. */
const routine = new AsyncLocalStorage<true>();

export function logRoutineAtDebug<T>(fn: () => T): T {
  return routine.run(true, fn);
}

/** nestjs-pino's Nest logger, with start-up wiring and routine work at `debug`. */
export class AppLogger extends NestPinoLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams[optionalParams.length - 1];
    if (routine.getStore() || (typeof context === 'string' && WIRING.has(context))) this.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}

/**
 * The process's Nest logger at `level` (LOG_LEVEL), JSON lines to `destination` (stdout unless given). One logger per
 * process: calling this again re-points and re-levels the same one.
 */
export function createLogger(level: AppConfig['logLevel'] = 'log', destination: DestinationStream = process.stdout): AppLogger {
  sink = destination;
  processLogger().level = PINO_LEVEL[level];
  return new AppLogger(contextLogger(), {});
}

/** Runs `fn` (a job's run, say) in a context of its own: `fields` on every line it logs, nothing inherited. */
export function runWithLogContext<T>(fields: LogContext, fn: () => T): T {
  return contextLogger().runInContext(fn, { bindings: withoutUndefined(fields) });
}

/** Adds fields (the actor, once known) to the lines of the request in force and to its completion line. */
export function addToLogContext(fields: LogContext): void {
  try {
    contextLogger().assign(withoutUndefined(fields));
  } catch {
    // Outside a request or job there is no context to add to.
  }
}

/** The request id in force: the request's own, or in a job, that of the request which enqueued it. */
export function currentRequestId(): string | undefined {
  const id = (contextLogger().logger.bindings() as LogContext).requestId;
  return typeof id === 'string' ? id : undefined;
}

function withoutUndefined(fields: LogContext): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
