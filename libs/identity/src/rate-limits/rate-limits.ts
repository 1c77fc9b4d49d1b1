import { Injectable, Logger } from '@nestjs/common';
import { AppConfig, rateLimitRefusals } from '#config';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';

/** The limits, each counted per key over one minute. */
export enum RateLimit {
  /** API requests of one token, or of one member's browser session. */
  MEMBER = 'member',
  /** API requests of one IP address that is neither signed in nor using a token. */
  ANONYMOUS = 'anonymous',
  /** `/auth/saml/*` requests of one IP address: sign-in, assertion consumer, single logout. */
  SIGN_IN = 'sign-in',
  /** Refused sign-ins written to the audit log, per organisation. */
  REFUSED_SIGN_IN_AUDIT = 'refused-sign-in-audit',
}

/** Over the limit: how many a minute are allowed, and when the next one will be. */
export interface RateLimitRefusal {
  limit: RateLimit;
  perMinute: number;
  retryAfterSeconds: number;
  /** True for the first refusal of a window, so a caller can log one line rather than one per request. */
  firstInWindow: boolean;
}

const WINDOW_SECONDS = 60;
const TABLE = 'rate_limit';

/**
 * Counters shared by every API process through PostgreSQL (`rate-limiter-flexible`'s store on the `rate_limit` table,
 * which a migration creates). When the store cannot be reached the request is let through: an outage of the counter
 * must not become an outage of the API.
 */
@Injectable()
export class RateLimits {
  private readonly logger = new Logger(RateLimits.name);
  private limiters?: Map<RateLimit, { limiter: RateLimiterPostgres; perMinute: number }>;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  get enabled(): boolean {
    return this.config.rateLimits.enabled;
  }

  /**
   * Counts one event for `key` against `limit`.
   * @returns the refusal when the key is over the limit; null when within it, when limits are off, or when the store failed.
   */
  async consume(limit: RateLimit, key: string): Promise<RateLimitRefusal | null> {
    if (!this.enabled) return null;
    const { limiter, perMinute } = this.limiterFor(limit);
    try {
      await limiter.consume(key);
      return null;
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        rateLimitRefusals.inc({ limit });
        return {
          limit,
          perMinute,
          retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)),
          firstInWindow: outcome.consumedPoints === perMinute + 1,
        };
      }
      this.logger.warn({ msg: 'rate limit store failed; request let through', limit, error: outcome instanceof Error ? outcome.message : String(outcome) });
      return null;
    }
  }

  private limiterFor(limit: RateLimit): { limiter: RateLimiterPostgres; perMinute: number } {
    // Built on first use, so processes that never count (worker, CLI) hold no limiter.
    this.limiters ??= this.createLimiters();
    return this.limiters.get(limit)!;
  }

  private createLimiters(): Map<RateLimit, { limiter: RateLimiterPostgres; perMinute: number }> {
    const settings = this.config.rateLimits;
    const perMinute: Record<RateLimit, number> = {
      [RateLimit.MEMBER]: settings.memberPerMinute,
      [RateLimit.ANONYMOUS]: settings.anonymousPerMinute,
      [RateLimit.SIGN_IN]: settings.signInPerMinute,
      [RateLimit.REFUSED_SIGN_IN_AUDIT]: settings.refusedSignInAuditsPerMinute,
    };
    const limiters = new Map<RateLimit, { limiter: RateLimiterPostgres; perMinute: number }>();
    Object.values(RateLimit).forEach((limit, i) => {
      const points = perMinute[limit];
      const limiter = new RateLimiterPostgres({
        storeClient: this.dataSource,
        storeType: 'typeorm',
        tableName: TABLE,
        tableCreated: true,
        keyPrefix: limit,
        points,
        duration: WINDOW_SECONDS,
        // A key over its limit is refused from memory until its window ends, so a flood costs no queries.
        inMemoryBlockOnConsumed: points + 1,
        // All limits share the table: one of them sweeps expired rows.
        clearExpiredByTimeout: i === 0,
      });
      limiters.set(limit, { limiter, perMinute: points });
    });
    return limiters;
  }
}
