// npm run bench:digests [-- --scenario daily|first --practices N --subscriptions N --concurrency 1,4 --time-limit S]
//
// Builds the daily digests of N ATOM subscriptions over M published practices with the worker's real services
// (DigestDispatchService.dueScheduled, then DigestDeliveryService.deliver for every due subscription) and reports the
// time, digests per second and SQL statements per digest, each also as a ratio to a baseline measured in the same run
// (N trivial round trips, `SELECT 1`). Aim (docs/benchmarks.md): 20,000 subscriptions over 100,000 practices within
// 60 s on a 2-core machine. The script exits 0 whether the aim is met or not; it reports, it does not judge.
//
// The server: DATABASE_URL's when set, else an embedded PostgreSQL in a temporary folder. It creates a scratch
// database, migrates and seeds it, and drops it (and stops the embedded server) at the end, also on errors and Ctrl-C.
// Nothing but that server (127.0.0.1 when embedded) is contacted. See docs/benchmarks.md.
//
// Scenarios (--scenario): `daily` (the default) is a live platform's morning run: the practices were published over
// the last year (about 270 a day), every subscription is older than that and had yesterday's digest, so today's holds
// what is new since. `first` is the worst case: every subscription was made two days ago and gets its first digest,
// over practices published in the last 30 days (about 6,700 new to each, 100 taken).
//
// --time-limit S stops each run's deliveries after S seconds and reports it as partial, projected to every due
// subscription at the rate measured; Ctrl-C (or SIGTERM) prints the figures measured so far the same way.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '#config';
import { SqlLogger, createDataSource, createDatabase, dropDatabase, migrate, startEmbeddedPostgres, type EmbeddedDatabase } from '#database';
import { DigestDeliveryService, DigestDispatchService, type DeliveryRequest } from '#digests';
import { DigestCompositionRepository } from '../../libs/digests/src/deliveries/digest-composition.repository.js';
import { DigestDeliveryRepository } from '../../libs/digests/src/deliveries/digest-delivery.repository.js';
import { DigestSubscriptionRepository } from '../../libs/digests/src/subscriptions/digest-subscription.repository.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { ENTITIES, MIGRATIONS } from '../../migrations/schema.js';
import { EXTRA_TAGS as SEED_EXTRA_TAGS } from '../seed/vocabulary.js';

const AIM_SECONDS = 60;
const AIM_PRACTICES = 100_000;
const AIM_SUBSCRIPTIONS = 20_000;
const ORGANISATIONS = 200;
const MEMBERS = 2_000;
const DUE_CAP = 1_000;
/** Requests a digest-deliver job carries, as the scheduler enqueues them. */
const DELIVER_BATCH = 50;

interface Scenario {
  label: string;
  publishedOver: string;
  subscriptionsMade: string;
  /** SQL expressions, put into statements as they are. */
  lastAttempted: string;
  composedThrough: string;
  yesterday: boolean;
}
type ScenarioName = 'daily' | 'first';

/** When practices were published and where subscriptions stand, per scenario (see the top of this file). */
const SCENARIOS: Record<ScenarioName, Scenario> = {
  daily: {
    label: "the morning run of a live platform (yesterday's digests sent)",
    publishedOver: '365 days',
    subscriptionsMade: '400 days',
    lastAttempted: "now() - interval '25 hours'",
    composedThrough: "now() - interval '24 hours'",
    yesterday: true,
  },
  first: {
    label: "every subscription's first digest (made two days ago)",
    publishedOver: '30 days',
    subscriptionsMade: '2 days',
    lastAttempted: 'NULL',
    composedThrough: 'NULL',
    yesterday: false,
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Flags

interface Sizes {
  scenario: ScenarioName;
  practices: number;
  subscriptions: number;
  concurrency: number[];
  /** Seconds; 0 for none. */
  timeLimit: number;
}

function usage(message: string): never {
  process.stderr.write(
    `${message}\nUsage: npm run bench:digests -- [--scenario daily|first] [--practices N] [--subscriptions N] [--concurrency 1,4] [--time-limit SECONDS]\n`,
  );
  process.exit(2);
}

function parseFlags(argv: string[]): Sizes {
  const flags: Sizes = { scenario: 'daily', practices: AIM_PRACTICES, subscriptions: AIM_SUBSCRIPTIONS, concurrency: [1, 4], timeLimit: 0 };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const value = argv[i + 1];
    if (name === '--help' || name === '-h') usage('Benchmark of the daily digest build.');
    if (!['--scenario', '--practices', '--subscriptions', '--concurrency', '--time-limit'].includes(name)) usage(`Unknown flag ${name}`);
    if (value === undefined) usage(`${name} needs a value`);
    i += 1;
    if (name === '--scenario') {
      if (!Object.hasOwn(SCENARIOS, value)) usage(`--scenario takes ${Object.keys(SCENARIOS).join(' or ')}, not "${value}"`);
      flags.scenario = value as ScenarioName;
    } else if (name === '--concurrency') {
      const levels = value.split(',').map((v) => Number(v.trim()));
      if (!levels.length || levels.some((n) => !Number.isInteger(n) || n < 1 || n > 8))
        usage('--concurrency takes whole numbers from 1 to 8, comma-separated (such as 1,4)');
      flags.concurrency = levels;
    } else {
      const n = Number(value.replace(/[_,]/g, ''));
      if (!Number.isInteger(n) || n < 1) usage(`${name} takes a positive whole number, not "${value}"`);
      if (name === '--time-limit') flags.timeLimit = n;
      else if (name === '--practices') flags.practices = n;
      else flags.subscriptions = n;
    }
  }
  return flags;
}

// ---------------------------------------------------------------------------------------------------------------
// Set-based seeding: one statement per table, rows from generate_series; ids and "random" choices are derived from
// the row number by hashing, so every run on the same sizes builds the same data.

/** A pseudo-random whole number in [0, 2^32) from a salt and an SQL expression. */
const h = (salt: string, expr: string) => `(hashtext('${salt}:' || (${expr})::text)::bigint + 2147483648)`;
const orgId = (expr: string) => `md5('org-' || (${expr})::text)::uuid`;
const memberId = (expr: string) => `md5('member-' || (${expr})::text)::uuid`;

/** Ten more tags beside the 20 curated ones of the first migration: about 30 in all (the seed's first ten). */
const EXTRA_TAGS = SEED_EXTRA_TAGS.slice(0, 10);

/** Tags numbered 0…n−1, curated first, so the skewed choice below makes curated topics the popular ones. */
const NUMBERED_TAGS = `SELECT id, slug, (row_number() OVER (ORDER BY curated DESC, slug) - 1)::int AS n FROM tag`;

async function seed(db: DataSource, sizes: Sizes) {
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const started = performance.now();
    await db.query(sql, params);
    progress(`seed: ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  };

  await step('tags', `INSERT INTO tag (slug, label, curated) SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[]) ON CONFLICT (slug) DO NOTHING`, [
    EXTRA_TAGS.map(([slug]) => slug),
    EXTRA_TAGS.map(([, label]) => label),
    EXTRA_TAGS.map(() => false),
  ]);

  // 200 organisations: 120 UK councils, 20 UK central government, 40 overseas authorities (10 countries), 20 other
  // public bodies (GB and IE).
  await step(
    'organisations',
    `INSERT INTO organisation (id, slug, name, kind, country, region)
     SELECT ${orgId('g')}, 'org-' || lpad(g::text, 3, '0'), k.name || ' ' || g, k.kind::organisation_kind, k.country, k.region
     FROM generate_series(1, ${ORGANISATIONS}) g,
     LATERAL (SELECT
       CASE WHEN g % 10 < 6 THEN 'UK_COUNCIL' WHEN g % 10 = 6 THEN 'UK_CENTRAL_GOVERNMENT' WHEN g % 10 IN (7, 8) THEN 'OVERSEAS_AUTHORITY' ELSE 'OTHER_PUBLIC_BODY' END AS kind,
       CASE WHEN g % 10 < 6 THEN 'Council' WHEN g % 10 = 6 THEN 'Department' WHEN g % 10 IN (7, 8) THEN 'Election Authority' ELSE 'Public Body' END AS name,
       CASE WHEN g % 10 IN (7, 8) THEN (ARRAY['FR','DE','NL','IE','EE','SE','US','CA','AU','NZ'])[1 + (g / 10) % 10]
            WHEN g % 10 = 9 AND g % 20 = 19 THEN 'IE' ELSE 'GB' END AS country,
       CASE WHEN g % 10 < 6 THEN (ARRAY['North East','North West','Yorkshire','Midlands','East','London','South East','South West','Wales','Scotland'])[1 + g % 10] END AS region
     ) k`,
  );

  // 2,000 members, ten an organisation: member j belongs to organisation 1 + (j − 1) mod 200.
  await step(
    'members',
    `INSERT INTO member (id, organisation_id, email, name, roles)
     SELECT ${memberId('g')}, ${orgId(`1 + (g - 1) % ${ORGANISATIONS}`)}, 'member' || g || '@bench.example', 'Member ' || g,
            CASE WHEN g % 4 = 0 THEN ARRAY['CONTRIBUTOR']::member_role[] ELSE '{}'::member_role[] END
     FROM generate_series(1, ${MEMBERS}) g`,
  );

  const scenario = SCENARIOS[sizes.scenario];
  // Published practices spread over the scenario's period: 45 % CLEAR, 35 % GREEN, 13 % AMBER, 7 % AMBER_STRICT; each by a
  // member of its organisation. The search vector is filled by the migration's trigger.
  await step(
    `${sizes.practices.toLocaleString('en-GB')} practices`,
    `INSERT INTO practice (id, organisation_id, author_id, title, summary, problem, approach, outcomes, status, visibility, published_at, created_at, updated_at)
     SELECT md5('practice-' || g)::uuid, ${orgId('s.o')}, ${memberId(`s.o + ${ORGANISATIONS} * (s.a % ${MEMBERS / ORGANISATIONS})`)},
            'Practice ' || g || ': ' || (ARRAY['protecting the count','countering false claims','securing polling stations','training staff','briefing candidates','monitoring social media'])[1 + g % 6],
            'How organisation ' || s.o || ' handled a recurring problem in the run-up to polling day, and what it would do again.',
            'The problem we faced before the election.', 'The approach we took, step by step.', 'What changed as a result.',
            'PUBLISHED', s.vis::visibility, s.at, s.at, s.at
     FROM generate_series(1, $1::int) g,
     LATERAL (SELECT 1 + ${h('po', 'g')} % ${ORGANISATIONS} AS o, ${h('pa', 'g')} AS a,
                     CASE WHEN ${h('pv', 'g')} % 100 < 45 THEN 'TLP_CLEAR' WHEN ${h('pv', 'g')} % 100 < 80 THEN 'TLP_GREEN'
                          WHEN ${h('pv', 'g')} % 100 < 93 THEN 'TLP_AMBER' ELSE 'TLP_AMBER_STRICT' END AS vis,
                     now() - interval '${scenario.publishedOver}' * (${h('pt', 'g')} / 4294967296.0) AS at) s`,
    [sizes.practices],
  );

  // Every AMBER practice names one or two other organisations in its audience.
  await step(
    'audiences',
    `INSERT INTO practice_audience (practice_id, organisation_id)
     SELECT p.id, ${orgId('x.o')}
     FROM practice p,
     LATERAL (VALUES (1 + ${h('aud1', 'p.id')} % ${ORGANISATIONS}),
                     (CASE WHEN ${h('aud2', 'p.id')} % 2 = 0 THEN 1 + ${h('aud3', 'p.id')} % ${ORGANISATIONS} END)) x(o)
     WHERE p.visibility = 'TLP_AMBER' AND x.o IS NOT NULL AND ${orgId('x.o')} <> p.organisation_id
     ON CONFLICT DO NOTHING`,
  );

  // One to three distinct tags a practice; the first one skewed towards the low numbers (the curated topics).
  await step(
    'practice tags',
    `WITH t AS (${NUMBERED_TAGS}), c AS (SELECT count(*)::int AS n FROM tag)
     INSERT INTO practice_tag (practice_id, tag_id)
     SELECT p.id, t.id
     FROM practice p CROSS JOIN c,
     LATERAL (SELECT floor(c.n * power((${h('t1', 'p.id')} % 1000) / 1000.0, 2))::int AS first, 1 + ${h('ts', 'p.id')} % 9 AS stride, 1 + ${h('tc', 'p.id')} % 3 AS count) s,
     generate_series(0, s.count - 1) k, t
     WHERE t.n = (s.first + k * s.stride) % c.n`,
  );

  // DAILY ATOM subscriptions, ten a member, due at 07:00 Europe/London, made and last run as the scenario says;
  // filters: 20 % none, 30 % tags, and the rest organisation kinds, countries, or a pair of them.
  await step(
    `${sizes.subscriptions.toLocaleString('en-GB')} subscriptions`,
    `WITH t AS (${NUMBERED_TAGS}), c AS (SELECT count(*)::int AS n FROM tag)
     INSERT INTO digest_subscription (id, member_id, name, filter, frequency, hour, time_zone, channel, last_attempted_at, composed_through, created_at, updated_at)
     SELECT md5('subscription-' || g)::uuid, ${memberId(`1 + (g - 1) % ${MEMBERS}`)}, 'Digest ' || g,
            CASE g % 10
              WHEN 0 THEN '{}'::jsonb WHEN 1 THEN '{}'::jsonb
              WHEN 2 THEN jsonb_build_object('tags', f.tags) WHEN 3 THEN jsonb_build_object('tags', f.tags) WHEN 4 THEN jsonb_build_object('tags', f.tags)
              WHEN 5 THEN jsonb_build_object('organisationKinds', f.kinds)
              WHEN 6 THEN jsonb_build_object('countries', f.countries)
              WHEN 7 THEN jsonb_build_object('tags', f.tags, 'countries', f.countries)
              WHEN 8 THEN jsonb_build_object('tags', f.tags, 'organisationKinds', f.kinds)
              ELSE jsonb_build_object('organisationKinds', f.kinds, 'countries', f.countries)
            END,
            'DAILY', 7, 'Europe/London', 'ATOM', ${scenario.lastAttempted}, ${scenario.composedThrough},
            now() - interval '${scenario.subscriptionsMade}', now() - interval '${scenario.subscriptionsMade}'
     FROM generate_series(1, $1::int) g CROSS JOIN c,
     LATERAL (SELECT
       (SELECT jsonb_agg(t.slug ORDER BY t.n) FROM t WHERE t.n IN (
          SELECT (floor(c.n * power((${h('st1', 'g')} % 1000) / 1000.0, 2))::int + k * (1 + ${h('sts', 'g')} % 9)) % c.n
          FROM generate_series(0, ${h('stc', 'g')} % 3) k)) AS tags,
       CASE WHEN ${h('sk', 'g')} % 3 = 0 THEN '["UK_COUNCIL","UK_CENTRAL_GOVERNMENT"]'::jsonb
            ELSE jsonb_build_array((ARRAY['UK_COUNCIL','UK_CENTRAL_GOVERNMENT','OVERSEAS_AUTHORITY','OTHER_PUBLIC_BODY'])[1 + ${h('sk2', 'g')} % 4]) END AS kinds,
       CASE ${h('sc', 'g')} % 4 WHEN 0 THEN '["GB"]'::jsonb WHEN 1 THEN '["GB"]'::jsonb WHEN 2 THEN '["GB","IE"]'::jsonb
            ELSE jsonb_build_array((ARRAY['FR','DE','NL','IE','EE','SE','US','CA','AU','NZ'])[1 + ${h('sc2', 'g')} % 10]) END AS countries
     ) f`,
    [sizes.subscriptions],
  );

  // What autovacuum would have done by morning: statistics and visibility maps in place before anything is timed.
  if (scenario.yesterday) {
    // Yesterday's digests, as a live platform's tables hold them: one SENT delivery a subscription, and about a quarter
    // of the practices published the day before as its entries, so digest_entry has its size and PostgreSQL its
    // statistics when today's run starts. Kept apart by period key, so a reset removes only what a run added.
    await step(
      "yesterday's deliveries",
      `INSERT INTO digest_delivery (subscription_id, period_key, message_id, status, attempts, sent_at, created_at)
       SELECT id, '${YESTERDAY}', 'msg_' || md5(id::text), 'SENT', 1, now() - interval '24 hours', now() - interval '24 hours' FROM digest_subscription`,
    );
    await step(
      "yesterday's entries",
      `INSERT INTO digest_entry (subscription_id, practice_id, delivery_id, created_at)
       SELECT d.subscription_id, p.id, d.id, d.created_at
       FROM digest_delivery d JOIN practice p
         ON p.published_at >= now() - interval '49 hours' AND p.published_at < now() - interval '25 hours'
        AND hashtext(p.id::text || d.id::text) & 3 = 0`,
    );
  }
  await step('vacuum analyze', 'VACUUM ANALYZE');
  await settle(db);
}

/** The period key of the deliveries seeded as yesterday's. */
const YESTERDAY = 'daily:yesterday';

/**
 * Writes out what the seeding (or a previous run) left in shared buffers, so a measured run does not pay for an
 * earlier step's checkpoint. CHECKPOINT needs a superuser (the embedded server's is one); elsewhere it is skipped.
 */
async function settle(db: DataSource) {
  try {
    await db.query('CHECKPOINT');
  } catch (error) {
    progress(`no CHECKPOINT before measuring (${error instanceof Error ? error.message : String(error)}): the first run may pay for the seeding's writes`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring

let lastProgress = 0;
function progress(line: string, force = true) {
  const now = performance.now();
  if (!force && now - lastProgress < 5000) return;
  lastProgress = now;
  process.stderr.write(`  … ${line}\n`);
}

/**
 * Adds up the time spent in named methods of the services' collaborators (wall time inside each call; with
 * concurrency the sums exceed the elapsed time). Instrumentation only: the methods run unchanged.
 */
type AsyncMethod = (...args: unknown[]) => Promise<unknown>;
interface StepTime {
  step: string;
  ms: number;
  calls: number;
}
interface Timings {
  reset(): void;
  snapshot(): StepTime[];
}

function instrument(targets: [label: string, instance: object, method: string][]): Timings {
  const totals = new Map<string, { ms: number; calls: number }>();
  for (const [label, instance, method] of targets) {
    const methods = instance as Record<string, AsyncMethod>;
    const original = methods[method];
    const entry = { ms: 0, calls: 0 };
    totals.set(label, entry);
    methods[method] = async function timed(this: unknown, ...args: unknown[]) {
      const started = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        entry.ms += performance.now() - started;
        entry.calls += 1;
      }
    };
  }
  return {
    reset() {
      for (const entry of totals.values()) Object.assign(entry, { ms: 0, calls: 0 });
    },
    snapshot() {
      return [...totals].map(([label, { ms, calls }]) => ({ step: label, ms, calls }));
    },
  };
}

interface Baseline {
  roundTrips: number;
  ms: number;
  statements: number;
}

async function measureBaseline(dataSource: DataSource, n: number): Promise<Baseline> {
  const statements = SqlLogger.statementCount;
  const started = performance.now();
  for (let i = 0; i < n; i += 1) await dataSource.query('SELECT 1');
  const ms = performance.now() - started;
  return { roundTrips: n, ms, statements: SqlLogger.statementCount - statements };
}

async function resetDeliveries(dataSource: DataSource, scenario: Scenario) {
  await dataSource.query(`DELETE FROM digest_entry e USING digest_delivery d WHERE d.id = e.delivery_id AND d.period_key <> '${YESTERDAY}'`);
  await dataSource.query(`DELETE FROM digest_delivery WHERE period_key <> '${YESTERDAY}'`);
  await dataSource.query(`UPDATE digest_subscription SET last_attempted_at = ${scenario.lastAttempted}, composed_through = ${scenario.composedThrough}`);
  await dataSource.query('VACUUM ANALYZE digest_subscription, digest_delivery, digest_entry');
  await settle(dataSource);
}

/**
 * One measured build: dueScheduled in caps of 1000 until nothing is due, then deliver() for every due subscription,
 * `concurrency` at a time. `run` is updated as it goes, so an interrupted run can still be reported; with a time
 * limit the lanes stop taking subscriptions once it has passed and the run is reported as partial, with a projection.
 */
interface Services {
  dataSource: DataSource;
  dispatch: DigestDispatchService;
  delivery: DigestDeliveryService;
  timings: Timings;
}

/** One run at one concurrency, filled in as it goes. */
interface Run {
  concurrency: number;
  delivered: number;
  outcomes: Record<string, number>;
  entriesCounted: number;
  timings?: Timings;
  started?: number;
  due?: number;
  dueMs?: number;
  dueStatements?: number;
  deliverStarted?: number;
  deliverStatementsStart?: number;
  deliverMs?: number;
  deliverStatements?: number;
  entries?: number;
  steps?: StepTime[];
  finished?: boolean;
}

async function measureDigests({ dataSource, dispatch, delivery, timings }: Services, run: Run, now: Date, timeLimitMs: number) {
  timings.reset();
  run.timings = timings;
  const startStatements = SqlLogger.statementCount;
  const started = performance.now();
  run.started = started;

  // The scheduler's step, as the digest-schedule job runs it, until no subscription is due any more.
  const due: DeliveryRequest[] = [];
  for (;;) {
    const batch = await dispatch.dueScheduled(now, DUE_CAP);
    if (!batch.length) break;
    due.push(...batch);
    progress(`concurrency ${run.concurrency}: ${fmt(due.length)} due so far`, false);
  }
  run.due = due.length;
  run.dueMs = performance.now() - started;
  run.dueStatements = SqlLogger.statementCount - startStatements;

  // One deliver() a due subscription, as the digest-deliver jobs run it.
  let next = 0;
  const deliverStarted = performance.now();
  run.deliverStarted = deliverStarted;
  run.deliverStatementsStart = SqlLogger.statementCount;
  const lane = async () => {
    while (next < due.length && !(timeLimitMs && performance.now() - deliverStarted > timeLimitMs)) {
      const batch = due.slice(next, next + DELIVER_BATCH);
      next += batch.length;
      for (const outcome of await delivery.deliverMany(batch, now)) {
        const key = typeof outcome === 'string' ? outcome : 'retry';
        run.outcomes[key] = (run.outcomes[key] ?? 0) + 1;
        run.delivered += 1;
      }
      const seconds = (performance.now() - deliverStarted) / 1000;
      progress(`concurrency ${run.concurrency}: ${fmt(run.delivered)}/${fmt(due.length)} delivered, ${(run.delivered / seconds).toFixed(1)}/s`, false);
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, lane));
  run.deliverMs = performance.now() - deliverStarted;
  run.deliverStatements = SqlLogger.statementCount - run.deliverStatementsStart;
  const [{ entries }]: { entries: number }[] = await dataSource.query(
    `SELECT count(*)::int AS entries FROM digest_entry e JOIN digest_delivery d ON d.id = e.delivery_id WHERE d.period_key <> '${YESTERDAY}'`,
  );
  run.entries = entries;
  run.steps = timings.snapshot();
  run.finished = true;
}

/** The figures of a run, finished or not (an interrupted or time-limited run is projected to all due subscriptions). */
function figures(run: Run) {
  const deliverMs = run.finished ? run.deliverMs! : performance.now() - (run.deliverStarted ?? performance.now());
  const deliverStatements = run.finished ? run.deliverStatements! : SqlLogger.statementCount - (run.deliverStatementsStart ?? SqlLogger.statementCount);
  const delivered = run.delivered;
  // Only runs with their due subscriptions counted are reported (see report()); NaN stands for what is not known.
  const due = run.due ?? Number.NaN;
  const dueStatements = run.dueStatements ?? Number.NaN;
  const complete = run.due !== undefined && delivered === run.due;
  const measuredMs = (run.dueMs ?? 0) + deliverMs;
  const projectedMs = complete ? measuredMs : delivered ? (run.dueMs ?? 0) + (deliverMs * due) / delivered : Number.NaN;
  const statementsPerDigest = delivered ? dueStatements / due + deliverStatements / delivered : Number.NaN;
  return {
    concurrency: run.concurrency,
    due: run.due ?? 0,
    delivered,
    complete,
    withEntries: run.outcomes.sent ?? 0,
    nothingNew: run.outcomes['nothing-new'] ?? 0,
    entries: run.entries ?? run.entriesCounted,
    measuredMs,
    dueMs: run.dueMs ?? Number.NaN,
    deliverMs,
    projectedMs,
    digestsPerSecond: due / (projectedMs / 1000),
    statementsPerDigest,
    dueStatementsPerDigest: dueStatements / due,
    deliverStatementsPerDigest: deliverStatements / delivered,
    steps: run.steps ?? run.timings?.snapshot() ?? [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reporting

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : '–');
const round = (n: number, digits: number) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

function table(rows: (string | number)[][]) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

interface State {
  sizes: Sizes;
  baseline: Baseline | undefined;
  runs: Run[];
  seedMs: number;
}
type Figures = ReturnType<typeof figures>;

function report({ sizes, baseline, runs, seedMs }: State & { baseline: Baseline }, interrupted = false) {
  const all = runs.filter((r) => r.due !== undefined && r.delivered > 0).map(figures);
  const perTrip = baseline.ms / baseline.roundTrips;
  const out = [''];
  out.push(
    `Digest benchmark: ${fmt(sizes.subscriptions)} DAILY ATOM subscriptions over ${fmt(sizes.practices)} published practices; ${os.cpus().length} cores, Node ${process.version}, PostgreSQL ${embedded ? 'embedded' : 'at DATABASE_URL'}`,
  );
  out.push(`Scenario "${sizes.scenario}": ${SCENARIOS[sizes.scenario].label}; practices published over the last ${SCENARIOS[sizes.scenario].publishedOver}.`);
  out.push(`Seeding took ${fmt(seedMs / 1000, 1)} s (not measured below).${interrupted ? ' INTERRUPTED: figures of the runs so far.' : ''}`);
  out.push('');
  out.push(
    `Baseline (same run): ${fmt(baseline.roundTrips)} sequential SELECT 1 round trips through the DataSource: ${fmt(baseline.ms / 1000, 2)} s, ${fmt(perTrip, 3)} ms each, ${fmt(baseline.statements)} statements.`,
  );
  if (!all.length) {
    out.push('No digest was built before the run stopped.');
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  out.push('');
  const partial = all.some((r) => !r.complete);
  const row = (label: string, f: (r: Figures) => string) => [label, ...all.map(f)];
  out.push(
    table([
      ['', ...all.map((r) => `concurrency ${r.concurrency}`)],
      row('due subscriptions', (r) => fmt(r.due)),
      row('digests built', (r) => (r.complete ? fmt(r.delivered) : `${fmt(r.delivered)} (partial)`)),
      row('  with entries / nothing new', (r) => `${fmt(r.withEntries)} / ${fmt(r.nothingNew)}`),
      row('entries recorded', (r) => fmt(r.entries)),
      row('  per digest with entries', (r) => fmt(r.entries / r.withEntries, 1)),
      row('time measured, s', (r) => fmt(r.measuredMs / 1000, 2)),
      row('  dueScheduled, s', (r) => fmt(r.dueMs / 1000, 2)),
      row('  deliver, s', (r) => fmt(r.deliverMs / 1000, 2)),
      ...(partial ? [row('time for all due, s (projected)', (r) => (r.complete ? fmt(r.projectedMs / 1000, 2) : `~${fmt(r.projectedMs / 1000, 0)}`))] : []),
      row('digests per second', (r) => fmt(r.digestsPerSecond, 1)),
      row('ms per digest', (r) => fmt(r.projectedMs / r.due, 2)),
      row('SQL statements per digest', (r) => fmt(r.statementsPerDigest, 2)),
      row('  in dueScheduled / in deliver', (r) => `${fmt(r.dueStatementsPerDigest, 2)} / ${fmt(r.deliverStatementsPerDigest, 2)}`),
      row('time ÷ baseline time', (r) => `${fmt(r.projectedMs / baseline.ms, 1)}×`),
      row('statements ÷ baseline statements', (r) => `${fmt((r.statementsPerDigest * r.due) / baseline.statements, 1)}×`),
      row(`aim: ${AIM_SECONDS} s`, (r) => (r.projectedMs / 1000 <= AIM_SECONDS ? 'met' : 'missed')),
    ]),
  );
  out.push('');
  out.push('Time inside each step, per call and as a share of the summed step time (with concurrency the sums exceed the elapsed time):');
  out.push(
    table([
      ['step', ...all.flatMap((r) => [`c${r.concurrency} ms/call`, `c${r.concurrency} share`])],
      ...all[0].steps.map(({ step }) => [
        step,
        ...all.flatMap((r) => {
          const s = r.steps.find((x) => x.step === step)!;
          const sum = r.steps.reduce((a, x) => a + x.ms, 0) || 1;
          return [s.calls ? fmt(s.ms / s.calls, 2) : '–', `${fmt((100 * s.ms) / sum, 0)} %`];
        }),
      ]),
    ]),
  );
  const atAimSize = sizes.practices === AIM_PRACTICES && sizes.subscriptions === AIM_SUBSCRIPTIONS;
  const best = all.reduce((a, b) => (b.projectedMs < a.projectedMs ? b : a));
  const met = best.projectedMs / 1000 <= AIM_SECONDS;
  out.push('');
  out.push(
    `aim: ${AIM_SECONDS} s — ${met ? 'met' : 'missed'} (best: ${best.complete ? '' : '~'}${fmt(best.projectedMs / 1000, 1)} s at concurrency ${best.concurrency}` +
      `${best.complete ? '' : ', projected from a partial run'}` +
      (atAimSize ? ')' : `; the aim is set for ${fmt(AIM_SUBSCRIPTIONS)} subscriptions over ${fmt(AIM_PRACTICES)} practices, and this run is smaller)`),
  );
  process.stdout.write(`${out.join('\n')}\n\n`);

  const summary = {
    bench: 'digests',
    scenario: sizes.scenario,
    practices: sizes.practices,
    subscriptions: sizes.subscriptions,
    cores: os.cpus().length,
    server: embedded ? 'embedded' : 'DATABASE_URL',
    interrupted,
    baseline: { roundTrips: baseline.roundTrips, seconds: round(baseline.ms / 1000, 3), msPerRoundTrip: round(perTrip, 4), statements: baseline.statements },
    runs: all.map((r) => ({
      concurrency: r.concurrency,
      due: r.due,
      digests: r.delivered,
      complete: r.complete,
      withEntries: r.withEntries,
      entries: r.entries,
      seconds: round(r.measuredMs / 1000, 3),
      dueSeconds: round(r.dueMs / 1000, 3),
      deliverSeconds: round(r.deliverMs / 1000, 3),
      ...(r.complete ? {} : { projectedSeconds: round(r.projectedMs / 1000, 1) }),
      digestsPerSecond: round(r.digestsPerSecond, 2),
      statementsPerDigest: round(r.statementsPerDigest, 2),
      timeRatioToBaseline: round(r.projectedMs / baseline.ms, 2),
      statementRatioToBaseline: round((r.statementsPerDigest * r.due) / baseline.statements, 2),
    })),
    aim: { seconds: AIM_SECONDS, met, projected: !best.complete, atAimSize },
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

// ---------------------------------------------------------------------------------------------------------------
// Main: set up, measure, and always clean up.

const sizes = parseFlags(process.argv.slice(2));
Logger.overrideLogger(['error']);

const scratch = mkdtempSync(path.join(os.tmpdir(), 'pe-bench-'));
// Readable by the postgres OS user, which runs the embedded server when we are root (else it is moved to /var/tmp).
chmodSync(scratch, 0o755);
const databaseName = `pe_bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
const state: State = { sizes, baseline: undefined, runs: [], seedMs: 0 };
let embedded: EmbeddedDatabase | undefined;
let serverUrl: string | undefined;
let dataSource: DataSource | undefined;
let context: INestApplicationContext | undefined;
let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Closes the context and the DataSource, drops the database and stops the embedded server; once. */
function cleanUp() {
  cleaning ??= (async () => {
    const quietly = (work: () => Promise<unknown>) =>
      work().catch((error) => {
        // Ctrl-C reaches the embedded server too, which then shuts itself down (and its files go with it).
        if (!(interrupted && embedded)) process.stderr.write(`cleanup: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    const [c, d, u, e] = [context, dataSource, serverUrl, embedded];
    if (c) await quietly(() => c.close());
    if (d?.isInitialized) await quietly(() => d.destroy());
    if (u) await quietly(() => dropDatabase(u, databaseName));
    if (e) await quietly(() => e.stop());
    rmSync(scratch, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\n${signal}: stopping; the figures so far, then the database is dropped\n`);
    if (state.baseline) report({ ...state, baseline: state.baseline }, true);
    void cleanUp().finally(() => process.exit(130));
  });
}

let status = 0;
try {
  if (process.env.DATABASE_URL) {
    serverUrl = process.env.DATABASE_URL;
  } else {
    progress('starting an embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({ dataDir: path.join(scratch, 'postgres'), persistent: false });
    serverUrl = embedded.url;
  }
  const url = await createDatabase(serverUrl, databaseName);
  const db = await createDataSource({ url, entities: ENTITIES, migrations: MIGRATIONS }).initialize();
  dataSource = db;
  await migrate(db);

  const seedStarted = performance.now();
  await seed(db, sizes);
  state.seedMs = performance.now() - seedStarted;

  const config = loadConfig(
    { NODE_ENV: 'test', DATABASE_URL: url, APP_SECRET: randomBytes(32).toString('base64url'), DATA_DIR: path.join(scratch, 'data'), LOG_LEVEL: 'error' },
    scratch,
  );
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, db), { logger: ['error'], abortOnError: false });
  context = app;
  const deliveries = app.get(DigestDeliveryRepository);
  const subscriptions = app.get(DigestSubscriptionRepository);
  const composition = app.get(DigestCompositionRepository);
  const timings = instrument([
    ['dueScheduled: lock a page of subscriptions', subscriptions, 'lockScheduledByWatermark'],
    ['dueScheduled: move the watermarks', subscriptions, 'markAttempted'],
    ["deliver: load a job's subscriptions and members", subscriptions, 'findManyWithMember'],
    ['deliver: claim delivery', deliveries, 'claim'],
    ['deliver: compose and record entries', composition, 'recordPending'],
    ['deliver: mark sent', deliveries, 'markSent'],
  ]);
  const services: Services = { dataSource: db, dispatch: app.get(DigestDispatchService), delivery: app.get(DigestDeliveryService), timings };
  // Entries as they are recorded, for a run that is stopped before it can count them in the database.
  const recordPending = composition.recordPending;
  composition.recordPending = async function counted(this: DigestCompositionRepository, ...args: Parameters<typeof recordPending>) {
    const recorded = await recordPending.apply(this, args);
    const run = state.runs.at(-1);
    if (run) run.entriesCounted += recorded.length;
    return recorded;
  };

  progress(`baseline: ${fmt(sizes.subscriptions)} round trips`);
  const baseline = await measureBaseline(db, sizes.subscriptions);
  state.baseline = baseline;

  const now = new Date();
  for (const [i, concurrency] of sizes.concurrency.entries()) {
    if (i > 0) await resetDeliveries(db, SCENARIOS[sizes.scenario]);
    progress(`digests at concurrency ${concurrency}${sizes.timeLimit ? `, deliveries for at most ${sizes.timeLimit} s` : ''}`);
    const run: Run = { concurrency, delivered: 0, outcomes: {}, entriesCounted: 0 };
    state.runs.push(run);
    await measureDigests(services, run, now, sizes.timeLimit * 1000);
  }
  report({ ...state, baseline });
} catch (error) {
  status = interrupted ? 130 : 1;
  if (!interrupted) process.stderr.write(`bench:digests failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await cleanUp();
}
process.exit(status);
