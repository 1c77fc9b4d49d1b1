import { createLogger, type AppLogger } from '#config';

export type LogLine = Record<string, unknown>;

export interface LogCapture {
  /** The process's logger, writing here: pass it to createApi / startWorker / NestFactory. */
  logger: AppLogger;
  /** Every line written so far, parsed. */
  lines: LogLine[];
  /** Every line as written (JSON text), for "this string appears nowhere" checks. */
  text(): string;
}

/**
 * Points the process's logger (one per process, as in production) at memory, at `level`: what an operator's log
 * collector would receive.
 */
export function captureLogs(level: 'debug' | 'log' | 'warn' | 'error' = 'debug'): LogCapture {
  const raw: string[] = [];
  const lines: LogLine[] = [];
  const logger = createLogger(level, {
    write(chunk: string) {
      raw.push(chunk);
      lines.push(JSON.parse(chunk) as LogLine);
    },
  });
  return { logger, lines, text: () => raw.join('') };
}
