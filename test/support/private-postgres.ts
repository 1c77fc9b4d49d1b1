import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { toolMissing } from './needs-tool.js';
import { freePort } from './ports.js';

/**
 * Debian's PostgreSQL 15 programs (`apt-get install postgresql-15 postgresql-client-15`, which `.ci/run` installs):
 * unlike the embedded server they include pg_dump and pg_restore of the server's own version, and pg_basebackup.
 * PG_BIN_DIR points elsewhere.
 */
export const PG_BIN_DIR = process.env.PG_BIN_DIR || '/usr/lib/postgresql/15/bin';
const SERVER_PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];

export interface PrivateCluster {
  /** A URL of the cluster's `postgres` database (user postgres, trusted on 127.0.0.1). */
  url: string;
  /** Runs one of the cluster's own programs as the current user; throws with its output when it fails. */
  run(program: string, args: string[]): string;
  /** Stops it and deletes its files. */
  stop(): void;
}

export interface ReplicaCluster {
  /** `postgres` database URLs of the primary and of its hot standby. */
  primaryUrl: string;
  standbyUrl: string;
  /** Resolves once the standby has replayed everything the primary had written when called. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Stops both and deletes their files. */
  stop(): void;
}

/** The `postgres` OS user, which PostgreSQL needs when we are root (it refuses to run as root). */
function postgresUser(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Why a private PostgreSQL 15 cluster cannot run here with `programs` (beside initdb, pg_ctl and postgres), or
 * undefined when it can: for describeWithTool.
 */
export function privatePostgresMissing(programs: string[] = []): string | undefined {
  const hint = `apt-get install postgresql-15 postgresql-client-15, or set PG_BIN_DIR; .ci/run installs them`;
  for (const program of [...SERVER_PROGRAMS, ...programs]) {
    const missing = toolMissing(path.join(PG_BIN_DIR, program), ['--version'], hint);
    if (missing) return missing;
  }
  if (process.getuid?.() === 0 && !postgresUser()) return 'running as root without a postgres OS user to run PostgreSQL as';
  return undefined;
}

/** A started cluster, with what the replica pair needs to build on it. */
interface Started {
  cluster: PrivateCluster;
  home: string;
  /** Runs a program as the server's OS user, in `home`. */
  asServer(program: string, args: string[]): string;
  serverOptions(port: number): string;
}

async function start(settings: Record<string, string>): Promise<Started> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'pe-pg15-'));
  chmodSync(home, 0o700);
  const user = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (process.getuid?.() === 0 && !user) throw new Error('Running as root, and there is no postgres OS user to run PostgreSQL as');
  if (user) chownSync(home, user.uid, user.gid);
  const runAs =
    (options: SpawnSyncOptions) =>
    (program: string, args: string[]): string => {
      const result = spawnSync(path.join(PG_BIN_DIR, program), args, {
        encoding: 'utf8',
        timeout: 120_000,
        env: { PATH: process.env.PATH ?? '', LC_ALL: 'C.UTF-8' },
        ...options,
      });
      if (result.error || result.status !== 0) {
        const logs = existsSync(home)
          ? readdirSync(home)
              .filter((f) => f.endsWith('.log'))
              .map((f) => `${f}:\n${readFileSync(path.join(home, f), 'utf8').slice(-3_000)}`)
          : [];
        throw new Error(
          `${program} ${args.join(' ')} failed (${result.error?.message ?? result.status}):\n${result.stdout}${result.stderr}\n${logs.join('\n')}`,
        );
      }
      return String(result.stdout);
    };
  const asServer = runAs(user ? { uid: user.uid, gid: user.gid, cwd: home } : { cwd: home });
  const data = path.join(home, 'data');
  const extra = Object.entries(settings)
    .map(([name, value]) => ` -c ${name}=${value}`)
    .join('');
  // Trust on loopback only (initdb's pg_hba also lets 127.0.0.1 connect for replication): a test cluster.
  const serverOptions = (port: number) => `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories='${home}' -c fsync=off${extra}`;
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      spawnSync(path.join(PG_BIN_DIR, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], { ...(user ?? {}), cwd: home, timeout: 60_000 });
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const port = await freePort();
    asServer('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions']);
    asServer('pg_ctl', ['-D', data, '-l', path.join(home, 'server.log'), '-o', serverOptions(port), '-w', 'start']);
    started = true;
    return { cluster: { url: `postgres://postgres@127.0.0.1:${port}/postgres`, run: runAs({}), stop }, home, asServer, serverOptions };
  } catch (error) {
    stop();
    throw error;
  }
}

/**
 * A PostgreSQL 15 cluster of its own in a temporary folder, on a free port of 127.0.0.1, run as the `postgres` OS
 * user when we are root (as libs/database does for the embedded server).
 */
export async function startPrivatePostgres(): Promise<PrivateCluster> {
  return (await start({})).cluster;
}

/**
 * A private primary and a hot standby made from it by `pg_basebackup -R`, streaming, each on a free port of
 * 127.0.0.1 (needs privatePostgresMissing(['pg_basebackup']) to be undefined).
 */
export async function startReplicaCluster(): Promise<ReplicaCluster> {
  const primary = await start({ wal_level: 'replica', max_wal_senders: '4', max_connections: '60' });
  const standbyDir = path.join(primary.home, 'standby');
  let standbyStarted = false;
  const stop = () => {
    if (standbyStarted) {
      standbyStarted = false;
      try {
        primary.asServer('pg_ctl', ['-D', standbyDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // Its files go with the primary's folder; a standby that would not stop has nothing left to serve.
      }
    }
    primary.cluster.stop();
  };
  let standbyUrl: string;
  try {
    const primaryPort = new URL(primary.cluster.url).port;
    const standbyPort = await freePort();
    primary.asServer('pg_basebackup', ['-h', '127.0.0.1', '-p', primaryPort, '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync']);
    primary.asServer('pg_ctl', [
      '-D',
      standbyDir,
      '-l',
      path.join(primary.home, 'standby.log'),
      '-o',
      `${primary.serverOptions(standbyPort)} -c hot_standby=on`,
      '-w',
      'start',
    ]);
    standbyStarted = true;
    standbyUrl = `postgres://postgres@127.0.0.1:${standbyPort}/postgres`;
  } catch (error) {
    stop();
    throw error;
  }
  const primaryUrl = primary.cluster.url;
  const caughtUp = async (timeoutMs = 20_000) => {
    const primaryClient = new pg.Client({ connectionString: primaryUrl });
    const standbyClient = new pg.Client({ connectionString: standbyUrl });
    await primaryClient.connect();
    await standbyClient.connect();
    try {
      const target = (await primaryClient.query('SELECT pg_current_wal_lsn() AS lsn')).rows[0].lsn as string;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await standbyClient.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done', [target]);
        if (rows[0].done) return;
        if (Date.now() > deadline) throw new Error(`The standby did not replay up to ${target} in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await primaryClient.end();
      await standbyClient.end();
    }
  };
  return { primaryUrl, standbyUrl, caughtUp, stop };
}
