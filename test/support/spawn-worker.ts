import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JobQueueOptions } from '../../apps/worker/src/queue.js';

/** The compiled worker entry point (`npm test` compiles everything into dist/ before jest runs). */
const SCRIPT = fileURLToPath(new URL('../../dist/test/support/worker-process.js', import.meta.url));

/** A worker running in a child process (test/support/worker-process.ts), which a test may kill at any moment. */
export interface WorkerProcess {
  readonly pid: number;
  /** What it wrote on stdout (JSON log lines) and stderr, for the failure message when something goes wrong. */
  readonly output: string[];
  /** Whether it has exited, and how. */
  readonly exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Sends the signal (SIGKILL: dead on the spot, no clean-up, its connections dropped by the kernel). */
  kill(signal: NodeJS.Signals): void;
  /** Resolves once the process has exited, or after `timeoutMs` (then it is SIGKILLed). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<void>;
}

export interface SpawnWorkerOptions {
  /** The environment the worker's configuration is read from (DATABASE_URL, APP_SECRET, SMTP_URL, MAIL_FROM, …). */
  env: Record<string, string>;
  queue?: JobQueueOptions;
  /** How long to wait for it to start taking jobs. */
  readyTimeoutMs?: number;
}

/** Every worker process started and not yet exited, whether or not it got as far as taking jobs. */
const running = new Set<WorkerProcess>();

/**
 * Stops every worker process still running (SIGTERM, then SIGKILL after `timeoutMs`): for afterAll, so none outlives
 * its test file, even one still starting when the test failed (jest would otherwise wait on it forever).
 */
export async function stopAllWorkers(timeoutMs = 5_000): Promise<void> {
  await Promise.all([...running].map((worker) => worker.stop('SIGTERM', timeoutMs)));
}

/** Starts a worker process and resolves once it takes jobs; rejects (having killed it) if it does not start in time. */
export async function spawnWorker({ env, queue = {}, readyTimeoutMs = 90_000 }: SpawnWorkerOptions): Promise<WorkerProcess> {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: compile first (npx tsc -p tsconfig.json, or npm test)`);
  const child: ChildProcess = spawn(process.execPath, [SCRIPT], {
    // Only what the worker needs: not the test runner's own settings.
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PE_TEST_WORKER_OPTIONS: JSON.stringify(queue), ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const output: string[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  let exit: WorkerProcess['exit'];
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      running.delete(handle);
      resolve();
    });
    // Could not be started at all: no 'exit' follows.
    child.once('error', (error) => {
      output.push(`${error.stack ?? error.message}\n`);
      if (child.pid === undefined) {
        exit = { code: null, signal: null };
        running.delete(handle);
        resolve();
      }
    });
  });
  const handle: WorkerProcess = {
    pid: child.pid ?? -1,
    output,
    get exit() {
      return exit;
    },
    kill(signal) {
      if (!exit) child.kill(signal);
    },
    async stop(signal = 'SIGTERM', timeoutMs = 15_000) {
      if (exit) return;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeoutMs)));
      if ((await Promise.race([exited, late])) === 'late') {
        child.kill('SIGKILL');
        await exited;
      }
      clearTimeout(timer);
    },
  };
  running.add(handle);
  let timer: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    new Promise<'ready'>((resolve) => child.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve('ready'))),
    exited.then(() => 'exited' as const),
    new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), readyTimeoutMs))),
  ]);
  clearTimeout(timer);
  if (ready !== 'ready') {
    await handle.stop('SIGKILL', 5_000);
    throw new Error(`The worker process did not start (${ready}):\n${output.join('')}`);
  }
  return handle;
}
