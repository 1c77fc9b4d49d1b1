import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * Sends TypeORM's output to the JSON logger (SQL text only at debug, never parameters, which may hold secrets)
 * and counts statements, so tests and benchmarks can show that a page's SQL does not grow with its size.
 */
export class SqlLogger implements TypeOrmLogger {
  private static statements = 0;
  private readonly logger = new NestLogger('Sql');

  /** Statements sent by this process since it started. */
  static get statementCount(): number {
    return SqlLogger.statements;
  }

  logQuery(query: string): void {
    SqlLogger.statements += 1;
    this.logger.verbose(query);
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.debug({ msg: 'SQL error', error: error instanceof Error ? error.message : error, query });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ msg: 'slow SQL', ms: time, query: query.slice(0, 500) });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.debug(message);
  }
}
