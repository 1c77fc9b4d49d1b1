import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';
import { API_MAIN as MAIN } from './spawn-api.js';

/** Where the embedded PostgreSQL keeps its data when, as root, it has to move it (libs/database). */
const RELOCATION_HOME = '/var/tmp/practice-exchange';

export interface DemoServer {
  baseUrl: string;
  output: string[];
  /** Its DATA_DIR: demo mail lands in `mail/` here as .eml files. */
  dataDir: string;
  /** Where the embedded PostgreSQL keeps its cluster (its postmaster.pid names the port). */
  databaseDir: string;
  stop(): Promise<void>;
}

export interface DemoServerOptions {
  readyTimeoutMs?: number;
  /** Runs the job worker in the same process, as `npm start` does (left out unless set: the pages do not need it). */
  worker?: boolean;
  /** Changes to its environment; `undefined` removes a variable (`LOG_LEVEL: undefined`: the default level). */
  env?: Record<string, string | undefined>;
}

/**
 * The real server as `npm start` runs it with no configuration: demo mode, its own embedded PostgreSQL, demo data and
 * the demo identity provider, on a free port of 127.0.0.1 (the worker left out unless asked for). Its data
 * folder (and the one the embedded database moves to as root) is removed by `stop`.
 */
export async function startDemoServer({ readyTimeoutMs = 180_000, worker = false, env: changes = {} }: DemoServerOptions = {}): Promise<DemoServer> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: compile first (npm run build, or npm test)`);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pe-demo-'));
  // Lets PostgreSQL's own OS user (as root) keep its data here rather than move it.
  chmodSync(dataDir, 0o755);
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...changes,
  };
  const child: ChildProcess = spawn(process.execPath, worker ? [MAIN] : [MAIN, '--no-worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let databaseDir: string | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The demo server did not start in ${readyTimeoutMs} ms:\n${output.join('')}`)), readyTimeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(chunk);
      databaseDir ??= /Database: embedded PostgreSQL, data in (\S+)/.exec(output.join(''))?.[1];
      if (output.join('').includes('Practice Exchange is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The demo server exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dataDir, { recursive: true, force: true });
    const relocated = databaseDir && path.dirname(databaseDir);
    if (relocated?.startsWith(`${RELOCATION_HOME}/data-`)) rmSync(relocated, { recursive: true, force: true });
  };
  try {
    await ready;
  } catch (error) {
    await stop();
    throw error;
  }
  // Printed in the same write as "is running", so it is all there now.
  databaseDir = /Database: embedded PostgreSQL, data in (\S+)/.exec(output.join(''))?.[1];
  if (!databaseDir) {
    await stop();
    throw new Error(`The demo server did not say where its database is:\n${output.join('')}`);
  }
  return { baseUrl, output, dataDir, databaseDir, stop };
}
