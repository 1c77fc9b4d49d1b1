/** Figures of one load run (or rounds merged) against one server. */
export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Answers other than 2xx. */
  non2xx: number;
  /** 2xx answers that carry GraphQL `errors`. */
  graphqlErrors: number;
}

export interface ScenarioResult {
  name: string;
  label: string;
  kind: 'read' | 'write';
  /** Whether the feed, search or detail rule on sequential scans applies. */
  planChecked: boolean;
  /** SQL statements the API sends for one request (one iteration of a write scenario), authentication included. */
  statements: number;
  requestsPerIteration: number;
  api: { c10: LoadFigures; c50?: LoadFigures; c1?: LoadFigures };
  baseline?: { c10: LoadFigures; c1?: LoadFigures };
  /** Peak resident memory of the API process while this scenario ran, in MB. */
  apiPeakRssMb: number;
}

export interface Budget {
  name: string;
  met: boolean;
  detail: string;
}

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  postgres: string;
  os: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  machine: MachineInfo;
  data: { source: string; sizes: Record<string, number>; seed: number; seededAt: string };
  settings: Record<string, string | number | boolean>;
  scenarios: ScenarioResult[];
  budgets: Budget[];
  apiPeakRssMb: number;
  /** The anonymous feed again with PUBLIC_CACHE_SECONDS set: reported apart, since the baseline caches nothing. */
  publicCache?: { seconds: number; c10: LoadFigures; c50: LoadFigures; withoutCacheC10?: LoadFigures };
  planFailures: string[];
  planNotes: string[];
  failures: string[];
}

export const BUDGETS = {
  throughputRatio: 0.5,
  p99Ratio: 2,
  searchAloneP99Ms: 50,
  p99At50Ms: 500,
  rssMb: 300,
} as const;

/**
 * Fewer answers than this in a run say little: a request that takes seconds mostly ends after autocannon stops, and
 * those are not counted, so the percentiles would be of the fast few. Such a run is reported as "too few answers".
 */
export const MIN_ANSWERS = 20;

export function measured(figures: LoadFigures): boolean {
  return figures.requests >= MIN_ANSWERS;
}

function tooFew(figures: LoadFigures, who: string): string {
  return `${who} ${figures.requests} answers in ${fmt(figures.seconds, 0)} s`;
}

export function ratio(api: number, baseline: number): number {
  return baseline > 0 ? api / baseline : Number.NaN;
}

/** Failed answers of a run: each makes its scenario a failure, never a fast result. */
export function failedAnswers(figures: LoadFigures): number {
  return figures.errors + figures.non2xx + figures.graphqlErrors;
}

/** The budgets of docs/benchmarks.md and the README's "Performance", each met or missed with its figures. */
export function evaluateBudgets(scenarios: readonly ScenarioResult[], apiPeakRssMb: number): Budget[] {
  const budgets: Budget[] = [];
  for (const s of scenarios) {
    if (!s.baseline) continue;
    const a = s.api.c10;
    const b = s.baseline.c10;
    if (!measured(a) || !measured(b)) {
      const detail = `too few answers to measure: ${tooFew(a, 'API')}, ${tooFew(b, 'baseline')}`;
      budgets.push({ name: `${s.name}: throughput ≥ ${BUDGETS.throughputRatio} of baseline`, met: false, detail });
      budgets.push({ name: `${s.name}: p99 ≤ ${BUDGETS.p99Ratio}× baseline`, met: false, detail });
      continue;
    }
    const throughput = ratio(a.requestsPerSecond, b.requestsPerSecond);
    budgets.push({
      name: `${s.name}: throughput ≥ ${BUDGETS.throughputRatio} of baseline`,
      met: throughput >= BUDGETS.throughputRatio,
      detail: `${fmt(throughput, 2)} (${fmt(a.requestsPerSecond, 0)} vs ${fmt(b.requestsPerSecond, 0)} req/s)`,
    });
    const p99 = ratio(a.p99, b.p99);
    budgets.push({
      name: `${s.name}: p99 ≤ ${BUDGETS.p99Ratio}× baseline`,
      met: p99 <= BUDGETS.p99Ratio,
      detail: `${fmt(p99, 2)}× (${fmt(a.p99, 1)} vs ${fmt(b.p99, 1)} ms)`,
    });
  }
  // Every scenario measured at one connection is a search: a common word's, and a rare word's.
  for (const s of scenarios) {
    const search = s.api.c1;
    if (!search) continue;
    const name = `one person searching alone (${s.name}): p99 < ${BUDGETS.searchAloneP99Ms} ms`;
    if (measured(search)) budgets.push({ name, met: search.p99 < BUDGETS.searchAloneP99Ms, detail: `${fmt(search.p99, 1)} ms` });
    else budgets.push({ name, met: false, detail: `too few answers to measure: ${tooFew(search, 'API')}` });
  }
  const at50 = scenarios.filter((s) => s.api.c50);
  if (at50.length) {
    const name = `no scenario's p99 > ${BUDGETS.p99At50Ms} ms at 50 connections`;
    const unmeasured = at50.filter((s) => !measured(s.api.c50!));
    const worst = at50
      .filter((s) => measured(s.api.c50!))
      .reduce<ScenarioResult | undefined>((a, b) => (!a || b.api.c50!.p99 > a.api.c50!.p99 ? b : a), undefined);
    const parts = [
      ...(worst ? [`worst measured: ${worst.name} ${fmt(worst.api.c50!.p99, 1)} ms`] : []),
      ...unmeasured.map((s) => `${s.name}: too few answers (${s.api.c50!.requests} in ${fmt(s.api.c50!.seconds, 0)} s)`),
    ];
    budgets.push({ name, met: unmeasured.length === 0 && !!worst && worst.api.c50!.p99 <= BUDGETS.p99At50Ms, detail: parts.join('; ') });
  }
  budgets.push({ name: `API resident memory < ${BUDGETS.rssMb} MB under load`, met: apiPeakRssMb < BUDGETS.rssMb, detail: `peak ${fmt(apiPeakRssMb, 0)} MB` });
  return budgets;
}

/** Scenarios that answered errors or non-2xx: the run fails for them. */
export function answerFailures(scenarios: readonly ScenarioResult[]): string[] {
  const failures: string[] = [];
  for (const s of scenarios) {
    const runs: [string, LoadFigures | undefined][] = [
      ['API c10', s.api.c10],
      ['API c50', s.api.c50],
      ['API c1', s.api.c1],
      ['baseline c10', s.baseline?.c10],
      ['baseline c1', s.baseline?.c1],
    ];
    for (const [which, figures] of runs) {
      if (figures && failedAnswers(figures) > 0) {
        failures.push(
          `${s.name} (${which}): ${figures.errors} errors, ${figures.non2xx} non-2xx, ${figures.graphqlErrors} GraphQL errors out of ${figures.requests} requests`,
        );
      }
    }
  }
  return failures;
}

export function fmt(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Requests a second, with the count of answers when too few to measure (their percentiles are of the fast few). */
function rate(f: LoadFigures): string {
  return measured(f) ? fmt(f.requestsPerSecond, f.requestsPerSecond < 10 ? 1 : 0) : `${fmt(f.requestsPerSecond, 1)} (${f.requests} answers)`;
}

function latencies(f: LoadFigures): string {
  return `${fmt(f.p50, 1)} / ${fmt(f.p95, 1)} / ${fmt(f.p99, 1)}`;
}

/** The main table: one row per scenario at 10 connections, API beside its baseline. */
export function scenarioTable(scenarios: readonly ScenarioResult[]): string {
  const lines = [
    row([
      'scenario',
      'SQL / req',
      'API req/s',
      'API p50 / p95 / p99 (ms)',
      'baseline req/s',
      'baseline p50 / p95 / p99 (ms)',
      'throughput ratio',
      'p99 ratio',
      'API p99 at 50 conn. (ms)',
      'failed answers',
    ]),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ];
  for (const s of scenarios) {
    const a = s.api.c10;
    const b = s.baseline?.c10;
    const failed = failedAnswers(a) + (s.api.c50 ? failedAnswers(s.api.c50) : 0) + (b ? failedAnswers(b) : 0);
    lines.push(
      row([
        s.label,
        s.requestsPerIteration > 1 ? `${s.statements} (${s.requestsPerIteration} requests)` : String(s.statements),
        rate(a),
        latencies(a),
        b ? rate(b) : '–',
        b ? latencies(b) : '–',
        b && measured(a) && measured(b) ? fmt(ratio(a.requestsPerSecond, b.requestsPerSecond), 2) : '–',
        b && measured(a) && measured(b) ? `${fmt(ratio(a.p99, b.p99), 2)}×` : '–',
        s.api.c50 ? (measured(s.api.c50) ? fmt(s.api.c50.p99, 1) : `${fmt(s.api.c50.p99, 1)} (${s.api.c50.requests} answers)`) : '–',
        String(failed),
      ]),
    );
  }
  return lines.join('\n');
}

export function budgetTable(budgets: readonly Budget[]): string {
  return [row(['budget', 'result', 'figures']), row(['---', '---', '---']), ...budgets.map((b) => row([b.name, b.met ? 'met' : '**missed**', b.detail]))].join(
    '\n',
  );
}

function publicCacheLines(cache: NonNullable<BenchReport['publicCache']>): string[] {
  const without = cache.withoutCacheC10;
  return [
    `## Anonymous feed with the public response cache (PUBLIC_CACHE_SECONDS=${cache.seconds}), apart from the budgets`,
    '',
    `The baseline caches nothing, so this is not compared with it. The API answered ${fmt(cache.c10.requestsPerSecond, 0)} req/s at 10 connections (p50 / p99 ${fmt(cache.c10.p50, 1)} / ${fmt(cache.c10.p99, 1)} ms)` +
      (without ? `, ${fmt(ratio(cache.c10.requestsPerSecond, without.requestsPerSecond), 1)}× its rate without the cache in this run` : '') +
      `; at 50 connections p99 ${fmt(cache.c50.p99, 1)} ms.`,
    '',
  ];
}

/** The whole markdown report (`bench/results/latest.md`). */
export function markdownReport(report: BenchReport): string {
  const m = report.machine;
  const sizes = Object.entries(report.data.sizes)
    .map(([k, v]) => `${v.toLocaleString('en-GB')} ${k}`)
    .join(', ');
  const singles = report.scenarios.filter((s) => s.api.c1);
  const lines = [
    `# npm run bench — ${report.finishedAt.slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${fmt(m.memoryGb, 1)} GB; ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres}.`,
    `Data: ${report.data.source}: ${sizes} (seed ${report.data.seed}, seeded ${report.data.seededAt}).`,
    `Settings: ${Object.entries(report.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}.`,
    '',
    '## At 10 connections, API beside its same-SQL baseline',
    '',
    scenarioTable(report.scenarios),
    '',
    `A run with fewer than ${MIN_ANSWERS} answers is shown with its count: requests still running when a run ends are not counted, so its figures are of the fast few.`,
    '',
    ...(singles.length
      ? [
          '## One connection',
          '',
          ...singles.map(
            (s) =>
              `- ${s.label}: API ${rate(s.api.c1!)} req/s, p50 ${fmt(s.api.c1!.p50, 1)} ms, p99 ${fmt(s.api.c1!.p99, 1)} ms${s.baseline?.c1 ? `; baseline ${rate(s.baseline.c1)} req/s, p50 ${fmt(s.baseline.c1.p50, 1)} ms, p99 ${fmt(s.baseline.c1.p99, 1)} ms` : ''}`,
          ),
          '',
        ]
      : []),
    '## Budgets',
    '',
    budgetTable(report.budgets),
    '',
    `API peak resident memory: ${fmt(report.apiPeakRssMb, 0)} MB.`,
    '',
    ...(report.publicCache ? publicCacheLines(report.publicCache) : []),
    '## Query plans',
    '',
    report.planFailures.length
      ? report.planFailures.map((f) => `- **FAIL** ${f.replace(/\n\s*/g, ' — ')}`).join('\n')
      : '- No sequential scan of `practice` or `comment` in the feed, search or detail statements.',
    ...report.planNotes.map((n) => `- ${n}`),
    '',
    ...(report.failures.length ? ['## Failures', '', ...report.failures.map((f) => `- ${f}`), ''] : []),
  ];
  return `${lines.join('\n')}\n`;
}

/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}
