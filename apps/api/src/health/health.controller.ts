import { Controller, Get, Logger, ServiceUnavailableException, Res } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import { migrationStatus } from '#database';
import { Public } from '#identity';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

class PendingMigrations extends Error {}

/** How long each readiness check may take before it counts as down. */
const CHECK_TIMEOUT = '3s';

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Liveness and readiness for load balancers and orchestrators, in terminus's shape (`status`, `info`, `error`,
 * `details`). Public, and outside the rate limits (see RateLimitMiddleware).
 */
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Readiness');
  /** The parts that failed the last readiness check, so the log says when that changes rather than at every probe. */
  private failing = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  /** The process lives and answers. Nothing else: a database outage must not get every replica restarted. */
  @Public()
  @Get()
  @HealthCheck()
  live(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    return this.answer(res, []);
  }

  /**
   * Ready for traffic: the database answers, every migration is applied, and the job queue's schema answers. The
   * caller gets our sentences; the driver's own errors (host names, users) go to the log.
   */
  @Public()
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult> {
    const causes: Record<string, string> = {};
    const result = await this.answer(res, [
      () =>
        this.indicators
          .check('database')
          .attempt(() => this.dataSource.query('SELECT 1'))
          .withTimeout(CHECK_TIMEOUT)
          .withSuccessData({})
          .withFailureData((error: unknown) => {
            causes.database = errorText(error);
            return { message: 'The database did not answer.' };
          }),
      () =>
        this.indicators
          .check('migrations')
          .attempt(() => this.pendingMigrations())
          .withTimeout(CHECK_TIMEOUT)
          .withSuccessData({})
          .withFailureData((error: unknown) => {
            causes.migrations = errorText(error);
            return { message: error instanceof PendingMigrations ? error.message : 'The migrations table could not be read.' };
          }),
      () =>
        this.indicators
          .check('queue')
          .attempt(() => this.dataSource.query('SELECT version FROM pgboss.version'))
          .withTimeout(CHECK_TIMEOUT)
          .withSuccessData({})
          .withFailureData((error: unknown) => {
            causes.queue = errorText(error);
            return { message: 'The job queue (the pgboss schema) did not answer; a worker creates it when it starts.' };
          }),
    ]);
    const failing = Object.keys(causes).sort().join(',');
    if (failing !== this.failing) {
      if (failing) this.logger.warn({ msg: 'not ready', failing: Object.keys(causes), causes });
      else this.logger.log({ msg: 'ready again' });
      this.failing = failing;
    }
    return result;
  }

  /** Throws naming the migrations this code has that the database has not applied (a deployment that skipped `migrate`). */
  private async pendingMigrations(): Promise<void> {
    const { pending } = await migrationStatus(this.dataSource);
    if (pending.length)
      throw new PendingMigrations(
        `${pending.length} migration${pending.length === 1 ? '' : 's'} not applied: ${pending.join(', ')}. Run the migrations before this version.`,
      );
  }

  /** Terminus's answer as it is, 503 included, rather than through the API's error mapping (which would hide which part failed). */
  private async answer(res: Response, checks: Parameters<HealthCheckService['check']>[0]): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
