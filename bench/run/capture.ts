import { Logger } from '@nestjs/common';
import pg from 'pg';
import { loadConfig } from '#config';
import { createDataSource } from '#database';
import { createApi } from '../../apps/api/src/bootstrap/create-api.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import type { ScenarioRequest } from './scenarios.js';
import { encodeParams, type Statement } from './statements.js';

type QueryFn = (this: pg.Client, ...args: unknown[]) => unknown;

/** An API in this process whose every SQL statement, with its parameters, can be recorded for one request. */
export interface CaptureApi {
  baseUrl: string;
  /** Sends the request twice (the first warms what the API caches) and returns the second's statements and answer. */
  capture(request: ScenarioRequest): Promise<{ statements: Statement[]; status: number; body: string }>;
  /** Records the statements of whatever `run` sends. */
  record<T>(run: () => Promise<T>): Promise<{ statements: Statement[]; result: T }>;
  close(): Promise<void>;
}

/**
 * The real API (createApi, the same modules, guards and SQL as the server), started in this process on the benchmark's
 * database, with `pg.Client.prototype.query` wrapped so that each statement the pool sends is recorded: what the
 * baseline replays and EXPLAIN reads is exactly what the API sent.
 */
export async function startCaptureApi(env: Record<string, string>): Promise<CaptureApi> {
  const original = pg.Client.prototype.query as unknown as QueryFn;
  let recording: Statement[] | undefined;
  (pg.Client.prototype as unknown as { query: QueryFn }).query = function query(this: pg.Client, ...args: unknown[]) {
    if (recording) {
      const [config, values] = args;
      const text = typeof config === 'string' ? config : (config as { text: string }).text;
      const params = Array.isArray(values) ? values : ((config as { values?: unknown[] })?.values ?? []);
      recording.push({ text, params: encodeParams(params) });
    }
    return original.apply(this, args);
  };
  // The TypeORM logger writes through Nest's static logger: only problems, as the API at LOG_LEVEL=warn.
  Logger.overrideLogger(['warn', 'error']);
  const config = loadConfig(env);
  const dataSource = createDataSource({ url: env.DATABASE_URL!, entities: ENTITIES, migrations: MIGRATIONS });
  await dataSource.initialize();
  const app = await createApi(config, dataSource, false);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const send = async (request: ScenarioRequest) => {
    const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, body: request.body });
    return { status: response.status, body: await response.text() };
  };
  const record = async <T>(run: () => Promise<T>) => {
    recording = [];
    try {
      const result = await run();
      // Statements sent after the answer (a token's last use, say) still belong to the request.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { statements: recording, result };
    } finally {
      recording = undefined;
    }
  };
  return {
    baseUrl,
    record,
    async capture(request) {
      await send(request);
      const { statements, result } = await record(() => send(request));
      return { statements, ...result };
    },
    async close() {
      await app.close();
      await dataSource.destroy();
      (pg.Client.prototype as unknown as { query: QueryFn }).query = original;
    },
  };
}
