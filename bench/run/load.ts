import { createRequire } from 'node:module';
import { percentile, type LoadFigures } from './report.js';

const require = createRequire(import.meta.url);

/** The slice of autocannon 8 we use (it ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>, callback: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = require('autocannon') as Autocannon;

/** What a scenario sends: one request, or a chain (create then publish) repeated by each connection. */
export interface LoadTarget {
  url: string;
  requests: AutocannonRequest[];
}

export interface LoadOptions {
  connections: number;
  seconds: number;
}

interface RawRun {
  latencies: number[];
  seconds: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
}

/** One autocannon run; every answer's body is checked for GraphQL `errors` (a 200 that failed is a failure). */
export async function loadOnce(target: LoadTarget, { connections, seconds }: LoadOptions): Promise<RawRun> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  const requests = target.requests.map((request) => ({
    ...request,
    onResponse: (status: number, body: string, context: Record<string, unknown>) => {
      if (request.method === 'POST' && status < 300 && body.includes('"errors":[')) graphqlErrors += 1;
      request.onResponse?.(status, body, context);
    },
  }));
  const started = process.hrtime.bigint();
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon({ url: target.url, connections, duration: seconds, requests, timeout: 30 }, (error, r) => (error ? reject(error) : resolve(r)));
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { latencies, seconds: elapsed, errors: result.errors + result.timeouts, non2xx: result.non2xx, graphqlErrors };
}

/** Merges rounds of one server into its figures. */
export function figuresOf(runs: readonly RawRun[], connections: number): LoadFigures {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    connections,
    seconds,
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    graphqlErrors: runs.reduce((sum, r) => sum + r.graphqlErrors, 0),
  };
}
