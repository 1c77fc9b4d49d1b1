import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { loadConfig } from '#config';
import type { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap/create-api.js';
import { dataSourceFor, freshDatabaseUrl } from './database.js';

export interface GraphqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors?: {
    message: string;
    path?: string[];
    extensions?: { code?: string; reason?: string; field?: string; problems?: string[] } & Record<string, unknown>;
  }[];
}

export interface TestApp {
  app: INestApplication;
  dataSource: DataSource;
  /** The database this app uses; another app started on it acts as a second API process. */
  databaseUrl: string;
  baseUrl: string;
  /** POSTs a GraphQL operation, with a Bearer token when given. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphqlResponse<T>>;
  close(): Promise<void>;
}

/**
 * The real API (guards, pipes, filters, GraphQL) on a fresh database, or on `options.databaseUrl` (another app's, as a
 * second API process; with `readDatabaseUrl`, reading through its replica as DATABASE_READ_URL does), listening on a
 * free loopback port. Rate limits are off unless `env` turns them on: tests send many requests from one address. It
 * logs nothing unless `options.logger` is given (see captureLogs in log-capture.ts).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { databaseUrl?: string; readDatabaseUrl?: string; logger?: LoggerService } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await freshDatabaseUrl());
  const dataSource = await dataSourceFor(databaseUrl, options.readDatabaseUrl);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pe-app-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      APP_SECRET: 'test-secret-of-at-least-32-characters!!',
      DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
      DATA_DIR: dataDir,
      RATE_LIMITS: 'off',
      ...env,
    },
    os.tmpdir(),
  );
  const app = await createApi(config, dataSource, options.logger ?? false);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    dataSource,
    databaseUrl,
    baseUrl,
    async gql(query, variables, token) {
      const response = await fetch(`${baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: GraphqlResponse['errors'] };
      return { status: response.status, data: body.data, errors: body.errors };
    },
    async close() {
      await app.close();
      await dataSource.destroy();
    },
  };
}

/** The `extensions.code` of the first error, or undefined when the call succeeded. */
export function errorCode(response: GraphqlResponse): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}

/** Asserts the call succeeded and returns its `field` object. */
export function expectOk(response: GraphqlResponse, field: string): Record<string, any> {
  expect(response.errors).toBeUndefined();
  expect(response.data?.[field]).toBeTruthy();
  return response.data![field];
}
