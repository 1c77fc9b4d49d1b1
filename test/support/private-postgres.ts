import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Debian's PostgreSQL 15 (`apt-get install postgresql-15 postgresql-client-15`): unlike the embedded server it has
 * pg_dump and pg_restore of its own version. PG15_BIN points elsewhere.
 */
export const PG15_BIN = process.env.PG15_BIN || '/usr/lib/postgresql/15/bin';
const PROGRAMS = ['initdb', 'pg_ctl', 'postgres', 'pg_dump', 'pg_restore'];

export interface PrivateCluster {
  /** A URL of the cluster's `postgres` database (user postgres, trusted on 127.0.0.1). */
  url: string;
  bin: string;
  /** Runs one of the cluster's own programs; throws with its output when it fails. */
  run(program: string, args: string[]): string;
  stop(): void;
}

/** The `postgres` OS user, which PostgreSQL needs when we are root (it refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Why a private PostgreSQL 15 cluster cannot run here, or undefined when it can. */
export function privatePostgresMissing(): string | undefined {
  const absent = PROGRAMS.filter((program) => !existsSync(path.join(PG15_BIN, program)));
  if (absent.length) return `no ${absent.join(', ')} in ${PG15_BIN} (apt-get install postgresql-15 postgresql-client-15, or set PG15_BIN)`;
  if (process.getuid?.() === 0 && !postgresUser()) return 'running as root without a postgres OS user to run the server as';
  return undefined;
}

async function freePort(): Promise<number> {
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
 * A PostgreSQL 15 cluster of its own in a temporary folder, on a free port of 127.0.0.1, run as the `postgres` OS
 * user when we are root (as libs/database does for the embedded server). `stop` stops it and deletes its files.
 */
export async function startPrivatePostgres(): Promise<PrivateCluster> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'pe-pg15-'));
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (user) chownSync(home, user.uid, user.gid);
  const data = path.join(home, 'data');
  const log = path.join(home, 'server.log');
  const asServer: SpawnSyncOptions = user ? { uid: user.uid, gid: user.gid } : {};
  const run = (program: string, args: string[], options: SpawnSyncOptions = {}): string => {
    const result = spawnSync(path.join(PG15_BIN, program), args, { encoding: 'utf8', timeout: 120_000, ...options });
    if (result.error || result.status !== 0) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      throw new Error(`${program} ${args.join(' ')} failed (${result.error?.message ?? result.status}):\n${result.stdout}${result.stderr}${serverLog}`);
    }
    return String(result.stdout);
  };
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop'], asServer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], asServer);
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${home} -c fsync=off`, 'start'], asServer);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, bin: PG15_BIN, run: (program, args) => run(program, args), stop };
}
