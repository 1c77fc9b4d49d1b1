import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AppConfig } from '../app-config.js';
import { collectProcessMetrics, metricsRegistry } from './metrics.js';

/** Where `/metrics` is answered, and who may read it. */
export type MetricsAccess =
  /** Open to anyone who reaches it (outside production, on the main port). */
  | { kind: 'open' }
  /** Only with `Authorization: Bearer <METRICS_TOKEN>`. */
  | { kind: 'token'; token: string }
  /** Not here (served on METRICS_PORT, or in production without a token or a port). */
  | { kind: 'refused' };

/**
 * Who may read `/metrics` on the main port: nobody when METRICS_PORT serves them; with METRICS_TOKEN, its bearers; in
 * production without either, nobody (the metrics name routes, queues and refusals an outsider should not map);
 * otherwise anyone, for the demo.
 */
export function mainPortMetricsAccess(config: AppConfig): MetricsAccess {
  if (config.metricsPort !== undefined) return { kind: 'refused' };
  if (config.metricsToken) return { kind: 'token', token: config.metricsToken };
  return config.production ? { kind: 'refused' } : { kind: 'open' };
}

/** On METRICS_PORT: METRICS_TOKEN too when it is set, else whoever reaches the port (keep it on a private network). */
function metricsPortAccess(config: AppConfig): MetricsAccess {
  return config.metricsToken ? { kind: 'token', token: config.metricsToken } : { kind: 'open' };
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Constant-time: both sides hashed to the same length first. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(presented), digest(token));
}

/** Answers a GET for the metrics in the Prometheus text format, or refuses it (404 when not served, 401 without the token). */
export function metricsHandler(access: MetricsAccess): (req: IncomingMessage, res: ServerResponse) => void {
  if (access.kind !== 'refused') collectProcessMetrics();
  return (req, res) => {
    const refuse = (status: number, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers }).end(`${message}\n`);
    };
    if (access.kind === 'refused') return refuse(404, 'Not found.');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(405, 'Use GET.', { allow: 'GET, HEAD' });
    if (access.kind === 'token' && !bearerMatches(req.headers.authorization, access.token)) {
      return refuse(401, 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".', { 'www-authenticate': 'Bearer realm="metrics"' });
    }
    metricsRegistry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': metricsRegistry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text);
      },
      () => refuse(500, 'The metrics could not be collected.'),
    );
  };
}

/** The METRICS_PORT server, listening. */
export interface MetricsServer {
  readonly port: number;
  /** Stops listening and drops kept-alive scrapers' connections. */
  close(): Promise<void>;
}

/** The METRICS_PORT server: `/metrics` and nothing else, on HOST (every interface when unset). Resolves once listening. */
export function serveMetrics(config: AppConfig): Promise<MetricsServer> {
  const port = config.metricsPort;
  if (port === undefined) throw new Error('METRICS_PORT is not set');
  const handle = metricsHandler(metricsPortAccess(config));
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] === '/metrics') handle(req, res);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Only /metrics is served here.\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    const ready = () => {
      server.off('error', reject);
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Prometheus keeps its connection open between scrapes: closing must not wait for it.
            server.closeAllConnections();
          }),
      });
    };
    if (config.host) server.listen(port, config.host, ready);
    else server.listen(port, ready);
  });
}
