import { AsyncLocalStorage } from 'node:async_hooks';
import type { LoggerService, LogLevel } from '@nestjs/common';

/** What every log line of a request or job carries. */
export interface LogContext {
  requestId?: string;
  actorId?: string;
  organisationId?: string;
  jobId?: string;
  kind?: string;
  attempt?: number;
}

const storage = new AsyncLocalStorage<LogContext>();

const ORDER: LogLevel[] = ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'];

/** Nest's own wiring messages at start-up: detail, not state changes. */
const WIRING = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'GraphQLModule']);

/** Structured JSON lines on stdout, each carrying the request or job context in force. */
export class JsonLogger implements LoggerService {
  private minimum: number;

  constructor(level: LogLevel = 'log', private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
    this.minimum = ORDER.indexOf(level);
  }

  /** Runs `fn` with `context` attached to every line it logs. */
  static runWith<T>(context: LogContext, fn: () => T): T {
    return storage.run({ ...storage.getStore(), ...context }, fn);
  }

  /** Adds fields (for example the actor, once known) to the context in force. */
  static enrich(fields: LogContext): void {
    const store = storage.getStore();
    if (store) Object.assign(store, fields);
  }

  static current(): LogContext {
    return storage.getStore() ?? {};
  }

  setLogLevels(levels: LogLevel[]): void {
    this.minimum = Math.min(...levels.map((l) => ORDER.indexOf(l)));
  }

  log(message: unknown, ...rest: unknown[]): void { this.emit('log', message, rest); }
  error(message: unknown, ...rest: unknown[]): void { this.emit('error', message, rest); }
  warn(message: unknown, ...rest: unknown[]): void { this.emit('warn', message, rest); }
  debug(message: unknown, ...rest: unknown[]): void { this.emit('debug', message, rest); }
  verbose(message: unknown, ...rest: unknown[]): void { this.emit('verbose', message, rest); }
  fatal(message: unknown, ...rest: unknown[]): void { this.emit('fatal', message, rest); }

  private emit(requested: LogLevel, message: unknown, rest: unknown[]): void {
    // Nest passes the context (class name) last, and a stack before it for errors.
    const context = typeof rest[rest.length - 1] === 'string' ? (rest.pop() as string) : undefined;
    const level = requested === 'log' && context && WIRING.has(context) ? 'debug' : requested;
    if (ORDER.indexOf(level) < this.minimum) return;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, context, ...JsonLogger.current() };
    if (message instanceof Error) {
      line.msg = message.message;
      line.stack = message.stack;
    } else if (typeof message === 'object' && message !== null) {
      Object.assign(line, message);
    } else {
      line.msg = String(message);
    }
    if (typeof rest[0] === 'string' && level === 'error') line.stack = rest[0];
    this.write(JSON.stringify(line));
  }
}

/** One logger per process, at the configured level (`log` unless LOG_LEVEL says otherwise). */
export function createLogger(level: LogLevel = 'log'): JsonLogger {
  return new JsonLogger(level);
}
