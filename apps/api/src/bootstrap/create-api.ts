import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { mainPortMetricsAccess, metricsHandler, requestLogger, type AppConfig } from '#config';
import type { LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { answerClientErrors } from './client-errors.js';
import { AppModule } from '../app.module.js';
import { httpMetrics } from '../metrics/http-metrics.middleware.js';
import { closeConnectionsWhileDraining } from './graceful-shutdown.js';
import { securityHeaders } from './security-headers.js';

/** Builds the API application (not yet listening); shared by the server, the schema printer and the tests. */
export async function createApi(config: AppConfig, dataSource: DataSource, logger: LoggerService | false): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, dataSource), { logger, abortOnError: false });
  app.disable('x-powered-by');
  // First of all: every answer, even a refusal before routing, carries its X-Request-Id (and, logging, its line).
  app.use(requestLogger({ completionLines: logger !== false }));
  // Before everything else, so refusals, 404s and errors carry the headers too.
  app.use(securityHeaders(config));
  app.use(closeConnectionsWhileDraining);
  app.use(httpMetrics());
  // Before authentication and rate limits: a scraper's METRICS_TOKEN is not an API token, and scrapes are not limited.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/metrics', metricsHandler(mainPortMetricsAccess(config)));
  // Behind that many reverse proxies, req.ip is the caller's address from X-Forwarded-For (per-address rate limits).
  if (config.trustProxyHops > 0) app.set('trust proxy', config.trustProxyHops);
  app.useBodyParser('json', { limit: '1mb' });
  answerClientErrors(app.getHttpServer());
  // Forms, and the IdPs' posts to /auth/saml/*/acs and /slo: bounded before any SAML parsing starts (413 above it).
  app.useBodyParser('urlencoded', { extended: true, limit: '100kb' });
  // No enableShutdownHooks: Nest's own signal handler would re-raise the signal before the drain ends (exit 143); the
  // entry points handle SIGTERM and SIGINT themselves and call app.close(), which runs the same shutdown hooks.
  return app;
}
