import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The compiled entry points, as the image runs them (`npm test` compiles first). */
export const API_MAIN = path.join(process.cwd(), 'dist/apps/api/src/main.js');
export const CLI_MAIN = path.join(process.cwd(), 'dist/apps/cli/src/main.js');

export interface ApiProcess {
  baseUrl: string;
  /** What it wrote on stdout and stderr. */
  output: string[];
  /** Sends SIGTERM, then SIGKILL after 20 seconds, and resolves once it has exited. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * `node dist/apps/api/src/main.js --no-worker` (the image's command) with only `env` (plus PATH and HOME), on a free
 * port of 127.0.0.1; resolves once it says it is running, and rejects with its output if it exits or takes too long.
 */
export async function startApiProcess(env: Record<string, string>, readyTimeoutMs = 120_000): Promise<ApiProcess> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: compile first (npm run build, or npm test)`);
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [API_MAIN, '--no-worker'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(killer);
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The API did not start in ${readyTimeoutMs} ms:\n${output.join('')}`)), readyTimeoutMs);
      const collect = (chunk: string) => {
        output.push(chunk);
        if (output.join('').includes('Practice Exchange is running')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.setEncoding('utf8').on('data', collect);
      child.stderr!.setEncoding('utf8').on('data', collect);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`The API exited (${code}) before it was ready:\n${output.join('')}`));
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl: `http://127.0.0.1:${port}`, output, stop };
}
