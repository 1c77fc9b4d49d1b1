import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './ports.js';

/** The compiled entry points, as the image runs them (`npm test` compiles first). */
export const API_MAIN = fileURLToPath(new URL('../../dist/apps/api/src/main.js', import.meta.url));
export const CLI_MAIN = fileURLToPath(new URL('../../dist/apps/cli/src/main.js', import.meta.url));

/** The APP_SECRET startTestApp configures: processes started beside a test app need the same one. */
export const TEST_APP_SECRET = 'test-secret-of-at-least-32-characters!!';

/** An API process, which a test may signal at any moment. */
export interface ApiProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly port: number;
  /** What it wrote on stdout and stderr, for assertions on its logs and for a failure message. */
  readonly output: string[];
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Resolves with how it exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after `timeoutMs`; removes its data folder. */
  stop(timeoutMs?: number): Promise<void>;
}

export interface SpawnApiOptions {
  /** How long it may take to print its banner (it migrates first when MIGRATE_ON_START is on). */
  readyTimeoutMs?: number;
  /**
   * Leaves out the test defaults: the environment is `env` alone (plus PATH, HOME, the port and a data folder), as an
   * image is configured in production.
   */
  production?: boolean;
}

const running = new Set<ApiProcess>();

/** Stops every API process not yet stopped (and removes its data folder): for afterAll, so none outlives its test file. */
export async function stopAllApis(timeoutMs = 10_000): Promise<void> {
  await Promise.all([...running].map((api) => api.stop(timeoutMs)));
}

/**
 * Starts the real API (`node dist/apps/api/src/main.js --no-worker`, the image's command) on a free port of 127.0.0.1,
 * and resolves once it prints its banner; if it exits or takes too long it is stopped and the error carries its
 * output. `env` adds to or replaces the test defaults (NODE_ENV=test, rate limits off, APP_SECRET of startTestApp,
 * a data folder of its own); with `production` there are none.
 */
export async function spawnApi(env: Record<string, string>, { readyTimeoutMs = 120_000, production = false }: SpawnApiOptions = {}): Promise<ApiProcess> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: compile first (npx tsc -p tsconfig.json, or npm test)`);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pe-api-'));
  const testDefaults = production ? {} : { NODE_ENV: 'test', APP_SECRET: TEST_APP_SECRET, RATE_LIMITS: 'off', LOG_LEVEL: 'warn', PUBLIC_URL: baseUrl };
  const child: ChildProcess = spawn(process.execPath, [API_MAIN, '--no-worker'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ...testDefaults,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  let exit: ApiProcess['exit'];
  const exited = new Promise<NonNullable<ApiProcess['exit']>>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const ready = new Promise<'ready'>((resolve) =>
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(chunk);
      if (output.join('').includes('Practice Exchange is running')) resolve('ready');
    }),
  );
  const handle: ApiProcess = {
    pid: child.pid ?? -1,
    baseUrl,
    port,
    output,
    get exit() {
      return exit;
    },
    exited,
    kill(signal) {
      if (!exit) child.kill(signal);
    },
    async stop(timeoutMs = 10_000) {
      if (!exit) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(killer);
      }
      // Also for one that has exited by itself: stopAllApis removes its data folder too.
      running.delete(handle);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  running.add(handle);
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready,
    exited.then(({ code, signal }) => `exited with ${signal ?? code}` as const),
    new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`not ready in ${readyTimeoutMs} ms`), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome !== 'ready') {
    await handle.stop(1_000);
    throw new Error(`The API process did not start (${outcome}):\n${output.join('')}`);
  }
  return handle;
}
