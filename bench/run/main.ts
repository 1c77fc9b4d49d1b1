// npm run bench [-- --duration 10 | --quick] [--only feed-anonymous,search] [--manifest path]
//
// Measures the API on the data of `npm run bench:seed` (its manifest), scenario by scenario, beside a baseline that
// runs the very same SQL through `node:http` + `pg`, and checks the query plans of the feed, search and detail. Writes
// bench/results/latest.{json,md}, a dated copy and the plans under bench/results/plans/. Exits 1 when a scenario
// answered errors or a guarded statement reads `practice` or `comment` by a sequential scan; budgets are reported,
// never asserted. See docs/benchmarks.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import selfsigned from 'selfsigned';
import { createDataSource, startEmbeddedPostgres, withDatabaseName, type EmbeddedDatabase } from '#database';
import { manifestPath, readManifest, type SeedManifest } from '../seed/manifest.js';
import { API_NODE_FLAGS } from './api-command.js';
import { startCaptureApi } from './capture.js';
import { figuresOf, loadOnce, type LoadTarget } from './load.js';
import { describeFinding, explainable, findSeqScans, GUARDED_TABLES, rootPlan, SEQ_SCAN_MIN_ROWS } from './plans.js';
import { answerFailures, evaluateBudgets, fmt, markdownReport, type BenchReport, type LoadFigures, type MachineInfo, type ScenarioResult } from './report.js';
import { createPracticeBody, publishPracticeBody, readScenarios, WRITE_TITLE_PREFIX, writeScenario, type Scenario } from './scenarios.js';
import type { Statement } from './statements.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** How long the cached run keeps an anonymous answer. */
const PUBLIC_CACHE_SECONDS = 10;
const API_MAIN = path.resolve(HERE, '../../apps/api/src/main.js');
const BASELINE_MAIN = path.resolve(HERE, 'baseline-server.js');
const RESULTS = path.resolve('bench/results');

interface Options {
  seconds: number;
  warmSeconds: number;
  only?: string[];
  manifest: string;
}

function parseOptions(argv: string[]): Options {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const seconds = Number(value('--duration') ?? (quick ? 3 : 10));
  if (!Number.isFinite(seconds) || seconds < 1) throw new Error('--duration takes a number of seconds, 1 or more');
  return { seconds, warmSeconds: quick ? 1 : 3, only: value('--only')?.split(','), manifest: value('--manifest') ?? manifestPath() };
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().unref().on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a child and resolves once a line of its stdout matches `ready`; its output is kept for a failure message. */
async function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  timeoutMs = 120_000,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within ${timeoutMs / 1000} s:\n${output.join('')}`)), timeoutMs);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output.push(chunk);
      const found = output.join('').match(ready);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  child.stdout!.resume();
  return { child, match };
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process in MB (VmRSS), or 0 once it is gone. */
function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return line ? Number(line[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function machineInfo(client: pg.Client): Promise<MachineInfo> {
  const cpus = os.cpus();
  const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    postgres: version,
    os: `${os.type()} ${os.release()}`,
  };
}

/**
 * Waits until the database runs no client statement: requests still running when autocannon stops go on in the
 * server (a slow search keeps its connection for seconds), and would otherwise weigh on the next run.
 */
async function drained(client: pg.Client, timeoutMs = 180_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  // Twice idle in a row: a request queued in a pool between two statements shows no statement for a moment.
  let idle = 0;
  while (Date.now() < until) {
    const active = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND state <> 'idle' AND pid <> pg_backend_pid()",
    );
    idle = active.rows[0]!.n === 0 ? idle + 1 : 0;
    if (idle >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  say(`  (the database was still busy after ${timeoutMs / 1000} s; going on)`);
}

function target(url: string, scenario: Scenario, baselinePath?: string): LoadTarget {
  const r = scenario.request;
  return { url, requests: [{ method: r.method, path: baselinePath ?? r.path, headers: r.headers, body: r.body }] };
}

/** Create then publish, chained per connection: the id the first answer names is what the second publishes. */
function writeTarget(url: string, scenario: Scenario): LoadTarget {
  let sequence = 0;
  const headers = scenario.request.headers;
  return {
    url,
    requests: [
      {
        method: 'POST',
        path: '/graphql',
        headers,
        setupRequest: (request) => ({ ...request, body: createPracticeBody((sequence += 1)) }),
        onResponse: (_status, body, context) => {
          context.id = (JSON.parse(body) as { data?: { createPractice?: { id: string } } }).data?.createPractice?.id ?? 'missing';
        },
      },
      { method: 'POST', path: '/graphql', headers, setupRequest: (request, context) => ({ ...request, body: publishPracticeBody(String(context.id)) }) },
    ],
  };
}

function redactedParams(statement: Statement): string {
  if (/api_token|session/i.test(statement.text)) return '(withheld: authentication)';
  return JSON.stringify(statement.params);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date().toISOString();
  const manifest: SeedManifest = readManifest(options.manifest);
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl: string;
  let source: string;
  if ('url' in manifest.database) {
    databaseUrl = manifest.database.url;
    source = `${new URL(databaseUrl).host}/${new URL(databaseUrl).pathname.slice(1)}`;
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: manifest.database.embeddedDataDir, persistent: true });
    databaseUrl = withDatabaseName(embedded.url, manifest.database.databaseName);
    source = `embedded PostgreSQL (${manifest.database.embeddedDataDir})`;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'pe-bench-'));
  let api: ChildProcess | undefined;
  let baseline: ChildProcess | undefined;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const machine = await machineInfo(client);
    // The baseline connects as the API does: the same pool size and session settings.
    const { max: poolSize = 10, options: sessionOptions } =
      (createDataSource({ url: databaseUrl, entities: [], migrations: [] }).options as { extra?: { max?: number; options?: string } }).extra ?? {};
    const pems = await selfsigned.generate([{ name: 'commonName', value: 'Practice Exchange benchmark SP' }], { keySize: 2048, algorithm: 'sha256' });
    writeFileSync(path.join(work, 'sp.key'), pems.private, { mode: 0o600 });
    writeFileSync(path.join(work, 'sp.crt'), pems.cert);
    const port = await freePort();
    const settings = { NODE_ENV: 'production', RATE_LIMITS: 'off', LOG_LEVEL: 'warn' };
    const apiEnv: Record<string, string> = {
      ...settings,
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? os.tmpdir(),
      DATABASE_URL: databaseUrl,
      APP_SECRET: randomBytes(32).toString('base64'),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SAML_SP_KEY_FILE: path.join(work, 'sp.key'),
      SAML_SP_CERT_FILE: path.join(work, 'sp.crt'),
      DATA_DIR: path.join(work, 'data'),
      HOST: '127.0.0.1',
      PORT: String(port),
    };

    let scenarios = [...readScenarios(manifest), writeScenario(manifest)];
    if (options.only) scenarios = scenarios.filter((s) => options.only!.includes(s.name));

    // 1. What SQL each request sends: captured from the real API in this process, one request at a time.
    say('Capturing the SQL of each scenario…');
    const captured = new Map<string, Statement[]>();
    const capture = await startCaptureApi({ ...apiEnv, DATA_DIR: path.join(work, 'capture') });
    try {
      for (const scenario of scenarios) {
        if (scenario.kind === 'write') {
          const { statements, result } = await capture.record(async () => {
            const post = (body: string) =>
              fetch(`${capture.baseUrl}/graphql`, { method: 'POST', headers: scenario.request.headers, body }).then(
                (r) => r.json() as Promise<{ data?: any; errors?: unknown[] }>,
              );
            const created = await post(createPracticeBody(0));
            const published = created.data ? await post(publishPracticeBody(created.data.createPractice.id)) : created;
            return published.errors ? JSON.stringify(published.errors) : created.errors ? JSON.stringify(created.errors) : undefined;
          });
          if (result) throw new Error(`${scenario.name} answered errors: ${result.slice(0, 500)}`);
          captured.set(scenario.name, statements);
        } else {
          const { statements, status, body } = await capture.capture(scenario.request);
          if (status >= 300 || (scenario.request.method === 'POST' && body.includes('"errors":['))) {
            throw new Error(`${scenario.name} answered ${status}: ${body.slice(0, 500)}`);
          }
          captured.set(scenario.name, statements);
        }
        say(`  ${scenario.name}: ${captured.get(scenario.name)!.length} statements`);
      }
    } finally {
      await capture.close();
    }

    // 2. Query plans of the captured reads, on this data.
    say('Explaining…');
    const planDir = path.join(RESULTS, 'plans');
    mkdirSync(planDir, { recursive: true });
    const sizes = await client.query<{ relname: string; reltuples: number }>(
      'SELECT relname, reltuples::float8 AS reltuples FROM pg_class WHERE relname = ANY($1) AND relkind = $2',
      [[...GUARDED_TABLES], 'r'],
    );
    const tableRows = Object.fromEntries(sizes.rows.map((r) => [r.relname, Math.max(0, Number(r.reltuples))]));
    const planFailures: string[] = [];
    const planNotes: string[] = [];
    const smallScans = new Set<string>();
    for (const scenario of scenarios.filter((s) => s.kind === 'read')) {
      const statements = captured.get(scenario.name)!;
      const text: string[] = [`# ${scenario.label}: ${statements.length} statements, explained on ${source}`, ''];
      for (const [index, statement] of statements.entries()) {
        text.push(`-- statement ${index + 1}`, statement.text, `-- parameters: ${redactedParams(statement)}`);
        if (!explainable(statement)) {
          text.push('-- (not a read: not explained)', '');
          continue;
        }
        const json = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, statement.params as unknown[]);
        const plan = rootPlan(json.rows[0]['QUERY PLAN']);
        const readable = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.text}`, statement.params as unknown[]);
        const auth = /api_token|session/i.test(statement.text);
        // An authentication plan names the token's or session's id in its conditions: left out of the committed file.
        text.push(...readable.rows.map((r: Record<string, string>) => (auth ? r['QUERY PLAN']!.replace(/'[^']*'::uuid/g, "'…'::uuid") : r['QUERY PLAN']!)), '');
        for (const finding of findSeqScans(plan, tableRows)) {
          const message = describeFinding(scenario.name, index, statement, finding);
          if (scenario.planChecked && finding.failing) planFailures.push(message);
          else if (finding.failing) planNotes.push(`${message.split('\n')[0]} (not a guarded scenario)`);
          else smallScans.add(`${scenario.name}/${finding.table}`);
        }
      }
      writeFileSync(path.join(planDir, `${scenario.name}.sql.txt`), `${text.join('\n')}\n`);
    }
    if (smallScans.size) {
      planNotes.push(
        `Sequential scans of tables under ${SEQ_SCAN_MIN_ROWS.toLocaleString('en-GB')} rows, allowed (PostgreSQL's right choice there): ${[...smallScans].join(', ')}.`,
      );
    }
    for (const failure of planFailures) say(`  SEQ SCAN: ${failure}`);

    // 3. The API as it runs in production, and the baseline, each its own process.
    say('Starting the API and the baseline…');
    ({ child: api } = await startChild([...API_NODE_FLAGS, API_MAIN, '--no-worker'], apiEnv, /Practice Exchange is running/));
    const apiUrl = `http://127.0.0.1:${port}`;
    const routesFile = path.join(work, 'routes.json');
    const routes = Object.fromEntries(scenarios.filter((s) => s.kind === 'read').map((s) => [`/${s.name}`, captured.get(s.name)!]));
    writeFileSync(routesFile, JSON.stringify({ databaseUrl, poolSize, sessionOptions, routes }), { mode: 0o600 });
    const started = await startChild([BASELINE_MAIN, routesFile], { PATH: process.env.PATH ?? '' }, /listening (\d+)/);
    baseline = started.child;
    const baselineUrl = `http://127.0.0.1:${started.match[1]}`;

    let peakRss = 0;
    let scenarioPeak = 0;
    const sampler = setInterval(() => {
      const mb = rssMb(api!.pid!);
      peakRss = Math.max(peakRss, mb);
      scenarioPeak = Math.max(scenarioPeak, mb);
    }, 200);

    // 4. Load: warm-up, then API and baseline in alternating halves, so the machine's noise hits both.
    const results: ScenarioResult[] = [];
    let publicCache: BenchReport['publicCache'];
    const half = options.seconds / 2;
    const load = async (t: LoadTarget, connections: number, seconds: number) => {
      const run = await loadOnce(t, { connections, seconds });
      await drained(client);
      return run;
    };
    try {
      for (const scenario of scenarios) {
        scenarioPeak = 0;
        const write = scenario.kind === 'write';
        const apiTarget = write ? writeTarget(apiUrl, scenario) : target(apiUrl, scenario);
        const baseTarget = write ? undefined : target(baselineUrl, scenario, `/${scenario.name}`);
        say(`${scenario.label}`);
        await load(apiTarget, 10, options.warmSeconds);
        if (baseTarget) await load(baseTarget, 10, options.warmSeconds);
        const apiRuns = [];
        const baseRuns = [];
        for (let round = 0; round < 2; round += 1) {
          apiRuns.push(await load(apiTarget, 10, half));
          if (baseTarget) baseRuns.push(await load(baseTarget, 10, half));
        }
        const c10 = figuresOf(apiRuns, 10);
        const b10 = baseTarget ? figuresOf(baseRuns, 10) : undefined;
        const c50 = figuresOf([await load(apiTarget, 50, options.seconds)], 50);
        let c1: LoadFigures | undefined;
        let b1: LoadFigures | undefined;
        if (scenario.alone) {
          const a = [];
          const b = [];
          for (let round = 0; round < 2; round += 1) {
            a.push(await load(apiTarget, 1, half));
            if (baseTarget) b.push(await load(baseTarget, 1, half));
          }
          c1 = figuresOf(a, 1);
          b1 = baseTarget ? figuresOf(b, 1) : undefined;
        }
        const result: ScenarioResult = {
          name: scenario.name,
          label: scenario.label,
          kind: scenario.kind,
          planChecked: scenario.planChecked,
          statements: captured.get(scenario.name)!.length,
          requestsPerIteration: write ? 2 : 1,
          api: { c10, c50, ...(c1 ? { c1 } : {}) },
          ...(b10 ? { baseline: { c10: b10, ...(b1 ? { c1: b1 } : {}) } } : {}),
          apiPeakRssMb: scenarioPeak,
        };
        results.push(result);
        say(
          `  API ${fmt(c10.requestsPerSecond, 0)} req/s p99 ${fmt(c10.p99, 1)} ms` +
            (b10
              ? ` | baseline ${fmt(b10.requestsPerSecond, 0)} req/s p99 ${fmt(b10.p99, 1)} ms | ratio ${fmt(c10.requestsPerSecond / b10.requestsPerSecond, 2)}`
              : '') +
            ` | c50 p99 ${fmt(c50.p99, 1)} ms | RSS ${fmt(scenarioPeak, 0)} MB`,
        );
      }
      // The anonymous feed again, from an API with the public response cache on: reported apart from the budgets.
      const anonymous = scenarios.find((s) => s.name === 'feed-anonymous');
      if (anonymous) {
        say(`${anonymous.label}, public response cache on (PUBLIC_CACHE_SECONDS=${PUBLIC_CACHE_SECONDS})`);
        const cachePort = await freePort();
        const { child } = await startChild(
          [...API_NODE_FLAGS, API_MAIN, '--no-worker'],
          {
            ...apiEnv,
            PORT: String(cachePort),
            PUBLIC_URL: `http://127.0.0.1:${cachePort}`,
            DATA_DIR: path.join(work, 'cache-data'),
            PUBLIC_CACHE_SECONDS: String(PUBLIC_CACHE_SECONDS),
          },
          /Practice Exchange is running/,
        );
        try {
          const cachedTarget = target(`http://127.0.0.1:${cachePort}`, anonymous);
          await load(cachedTarget, 10, options.warmSeconds);
          const c10 = figuresOf([await load(cachedTarget, 10, options.seconds)], 10);
          const c50 = figuresOf([await load(cachedTarget, 50, options.seconds)], 50);
          publicCache = { seconds: PUBLIC_CACHE_SECONDS, c10, c50, withoutCacheC10: results.find((r) => r.name === anonymous.name)?.api.c10 };
          say(`  API ${fmt(c10.requestsPerSecond, 0)} req/s p99 ${fmt(c10.p99, 1)} ms | c50 p99 ${fmt(c50.p99, 1)} ms`);
        } finally {
          await stopChild(child);
        }
      }
    } finally {
      clearInterval(sampler);
      if (scenarios.some((s) => s.kind === 'write')) {
        // The write scenario's practices would otherwise fill the next run's feed.
        const removed = await client.query('DELETE FROM practice WHERE title LIKE $1', [`${WRITE_TITLE_PREFIX} %`]);
        say(`Removed ${removed.rowCount} practices made by the write scenario.`);
      }
    }

    // 5. Report.
    const budgets = evaluateBudgets(results, peakRss);
    const failures = [...answerFailures(results), ...planFailures.map((f) => `sequential scan: ${f.split('\n')[0]}`)];
    const report: BenchReport = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine,
      data: { source, sizes: { ...manifest.sizes }, seed: manifest.seed, seededAt: manifest.seededAt },
      settings: {
        ...settings,
        poolSize,
        baselinePoolSize: poolSize,
        sessionOptions: sessionOptions ?? '',
        secondsPerRun: options.seconds,
        warmUpSeconds: options.warmSeconds,
        apiArgs: [...API_NODE_FLAGS, '--no-worker'].join(' '),
      },
      scenarios: results,
      budgets,
      apiPeakRssMb: peakRss,
      ...(publicCache ? { publicCache } : {}),
      planFailures,
      planNotes,
      failures,
    };
    mkdirSync(RESULTS, { recursive: true });
    const stamp = report.finishedAt.slice(0, 16).replace(/:/g, '');
    const markdown = markdownReport(report);
    for (const name of ['latest', stamp]) {
      writeFileSync(path.join(RESULTS, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(path.join(RESULTS, `${name}.md`), markdown);
    }
    say(`\n${markdown}`);
    say(`Written to ${path.relative(process.cwd(), RESULTS)}/latest.{json,md} and ${stamp}.{json,md}.`);
    if (failures.length) {
      say(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
      process.exitCode = 1;
    }
  } finally {
    await stopChild(api);
    await stopChild(baseline);
    await client.end();
    rmSync(work, { recursive: true, force: true });
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`npm run bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
