import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './demo-server.js';

/**
 * Debian's PostgreSQL server programs (package postgresql-15, which `.ci/run` installs): the embedded server has no
 * pg_basebackup, and a streaming replica needs one. PG_BIN_DIR points elsewhere.
 */
export const PG_BIN_DIR = process.env.PG_BIN_DIR || '/usr/lib/postgresql/15/bin';
const PROGRAMS = ['initdb', 'pg_ctl', 'postgres', 'pg_basebackup'];

/** Why a replica cannot be made on this machine, or undefined when it can. */
export function replicaUnavailable(): string | undefined {
  const missing = PROGRAMS.filter((p) => !existsSync(path.join(PG_BIN_DIR, p)));
  return missing.length ? `no ${missing.join(', ')} in ${PG_BIN_DIR} (apt-get install postgresql-15)` : undefined;
}

export interface ReplicaCluster {
  /** `postgres` database URLs of the primary and of its hot standby. */
  primaryUrl: string;
  standbyUrl: string;
  /** Resolves once the standby has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` OS user. */
function runAs(): Pick<SpawnSyncOptions, 'uid' | 'gid'> {
  if (process.getuid?.() !== 0) return {};
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!uid) throw new Error('Running as root, and there is no postgres OS user to run PostgreSQL as');
  return { uid, gid };
}

/**
 * A private primary (wal_level replica) and a hot standby made from it by `pg_basebackup -R`, streaming, each on a free
 * port of 127.0.0.1, in a temporary folder that `stop` removes.
 */
export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const user = runAs();
  const base = mkdtempSync(path.join(os.tmpdir(), 'pe-replica-'));
  chmodSync(base, 0o700);
  if (user.uid !== undefined) chownSync(base, user.uid, user.gid!);
  const primaryDir = path.join(base, 'primary');
  const standbyDir = path.join(base, 'standby');
  const run = (program: string, args: string[]) => {
    const result = spawnSync(path.join(PG_BIN_DIR, program), args, { ...user, cwd: base, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LC_ALL: 'C.UTF-8' }, timeout: 120_000 });
    if (result.status !== 0) {
      const logs = ['primary.log', 'standby.log'].map((f) => path.join(base, f)).filter(existsSync).map((f) => `${f}:\n${readFileSync(f, 'utf8').slice(-3_000)}`);
      throw new Error(`${program} ${args.join(' ')} failed (${result.status ?? result.error?.message}):\n${result.stdout}${result.stderr}\n${logs.join('\n')}`);
    }
  };
  const started: string[] = [];
  const stop = async () => {
    for (const dir of started.reverse()) spawnSync(path.join(PG_BIN_DIR, 'pg_ctl'), ['-D', dir, '-m', 'immediate', '-w', 'stop'], { ...user, cwd: base, timeout: 60_000 });
    started.length = 0;
    rmSync(base, { recursive: true, force: true });
  };
  try {
    const primaryPort = await freePort();
    const standbyPort = await freePort();
    // Trust on loopback only (initdb's pg_hba also lets 127.0.0.1 connect for replication); a test cluster.
    run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    const options = (port: number) => `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories='${base}' -c fsync=off -c max_connections=60`;
    run('pg_ctl', ['-D', primaryDir, '-l', path.join(base, 'primary.log'), '-o', `${options(primaryPort)} -c wal_level=replica -c max_wal_senders=4`, '-w', 'start']);
    started.push(primaryDir);
    run('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync']);
    run('pg_ctl', ['-D', standbyDir, '-l', path.join(base, 'standby.log'), '-o', `${options(standbyPort)} -c hot_standby=on`, '-w', 'start']);
    started.push(standbyDir);
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    const standbyUrl = `postgres://postgres@127.0.0.1:${standbyPort}/postgres`;
    const caughtUp = async (timeoutMs = 20_000) => {
      const primary = new pg.Client({ connectionString: primaryUrl });
      const standby = new pg.Client({ connectionString: standbyUrl });
      await primary.connect();
      await standby.connect();
      try {
        const target = (await primary.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn as string;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const { rows } = await standby.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [target]);
          if (rows[0].done) return;
          if (Date.now() > deadline) throw new Error(`The standby did not replay up to ${target} in ${timeoutMs} ms`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      } finally {
        await primary.end();
        await standby.end();
      }
    };
    return { primaryUrl, standbyUrl, caughtUp, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
