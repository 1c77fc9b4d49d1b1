import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Every metric of the process, in one registry that the libraries count into and the API and the worker serve
 * (see {@link metricsHandler}). Names carry the `practice_exchange_` prefix; label values are bounded sets.
 */
export const metricsRegistry = new Registry();

const PREFIX = 'practice_exchange_';
let defaultsOn = false;

/** Node's process metrics (CPU, memory, event loop, GC), prefixed like ours; once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: PREFIX });
}

export const httpRequestDuration = new Histogram({
  name: `${PREFIX}http_request_duration_seconds`,
  help: 'HTTP requests by route pattern (never the raw address), method and status class, and how long they took.',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

export const graphqlOperations = new Counter({
  name: `${PREFIX}graphql_operations_total`,
  help: 'GraphQL operations by operation name and outcome (ok, or the first error code).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const digestDeliveries = new Counter({
  name: `${PREFIX}digest_deliveries_total`,
  help: 'Digests delivered, by channel (EMAIL, WEBHOOK, ATOM).',
  labelNames: ['channel'] as const,
  registers: [metricsRegistry],
});

export const digestDeliveryFailures = new Counter({
  name: `${PREFIX}digest_delivery_failures_total`,
  help: 'Failed digest delivery attempts, by channel; outcome "retry" will be tried again, "gave_up" paused the subscription.',
  labelNames: ['channel', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const samlSignIns = new Counter({
  name: `${PREFIX}saml_sign_ins_total`,
  help: 'SAML sign-ins that started a session.',
  registers: [metricsRegistry],
});

export const samlSignInRefusals = new Counter({
  name: `${PREFIX}saml_sign_in_refusals_total`,
  help: 'Refused SAML steps (sign-in, assertion, single logout), by reason (EMAIL_IN_USE, REPLAYED, ..., ERROR when unexpected).',
  labelNames: ['reason'] as const,
  registers: [metricsRegistry],
});

export const rateLimitRefusals = new Counter({
  name: `${PREFIX}rate_limit_refusals_total`,
  help: 'Requests over a rate limit, by limit (member, anonymous, sign-in; refused-sign-in-audit counts audit lines not written).',
  labelNames: ['limit'] as const,
  registers: [metricsRegistry],
});

/**
 * A label value from a caller-chosen name (a GraphQL operation name): kept when it is short and name-shaped, while
 * fewer than `max` distinct values have been seen, else `other`, so no caller can grow the series without bound.
 */
export function boundedLabel(seen: Set<string>, value: string, max = 200): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(value)) return 'other';
  if (seen.has(value)) return value;
  if (seen.size >= max) return 'other';
  seen.add(value);
  return value;
}

/** A Gauge whose values are read when Prometheus scrapes, from `collect` (which must not throw). */
export function scrapeGauge<L extends string>(name: string, help: string, labelNames: readonly L[], collect: (gauge: Gauge<L>) => Promise<void>): Gauge<L> {
  return new Gauge<L>({
    name: `${PREFIX}${name}`,
    help,
    labelNames,
    registers: [metricsRegistry],
    async collect() {
      await collect(this);
    },
  });
}
