import { describeFinding, explainable, findSeqScans, rootPlan, type PlanNode } from '../../bench/run/plans.js';
import {
  answerFailures,
  evaluateBudgets,
  markdownReport,
  percentile,
  ratio,
  scenarioTable,
  type LoadFigures,
  type ScenarioResult,
} from '../../bench/run/report.js';

// EXPLAIN (FORMAT JSON) output trimmed to the keys the checker reads.
const seqScanPlan = [
  {
    Plan: {
      'Node Type': 'Limit',
      Plans: [
        {
          'Node Type': 'Sort',
          Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'practice', Alias: 'p', Filter: "(status = 'PUBLISHED'::practice_status)" }],
        },
      ],
    },
  },
];
const indexScanPlan = [
  {
    Plan: {
      'Node Type': 'Limit',
      Plans: [
        { 'Node Type': 'Index Scan', 'Relation Name': 'practice', 'Index Name': 'practice_published_idx', Alias: 'p' } as PlanNode,
        { 'Node Type': 'Seq Scan', 'Relation Name': 'tag', Alias: 't' },
      ],
    },
  },
];

describe('the query-plan check of npm run bench', () => {
  it('flags a sequential scan of practice on a large table, naming the scenario, statement and plan node', () => {
    const findings = findSeqScans(rootPlan(seqScanPlan), { practice: 100_000, comment: 500_000 });
    expect(findings).toEqual([expect.objectContaining({ table: 'practice', alias: 'p', failing: true })]);
    const message = describeFinding('feed-anonymous', 2, { text: 'SELECT * FROM practice p', params: [] }, findings[0]!);
    expect(message).toContain('feed-anonymous: statement 3 reads "practice"');
    expect(message).toContain('Seq Scan');
    expect(message).toContain('Filter: (status');
  });

  it('flags a parallel sequential scan of comment nested deep in the plan', () => {
    const plan: PlanNode = {
      'Node Type': 'Gather',
      Plans: [{ 'Node Type': 'Hash Join', Plans: [{ 'Node Type': 'Parallel Seq Scan', 'Relation Name': 'comment', Alias: 'c' }] }],
    };
    expect(findSeqScans(plan, { comment: 500_000 }).map((f) => f.failing)).toEqual([true]);
  });

  it('passes an index scan, and sequential scans of other tables', () => {
    expect(findSeqScans(rootPlan(indexScanPlan), { practice: 100_000, comment: 500_000 })).toEqual([]);
  });

  it('notes but does not fail a sequential scan of a table too small for an index to matter', () => {
    expect(findSeqScans(rootPlan(seqScanPlan), { practice: 50 })).toEqual([expect.objectContaining({ table: 'practice', failing: false })]);
  });

  it('explains reads only (EXPLAIN ANALYZE runs the statement)', () => {
    expect(explainable({ text: 'SELECT 1', params: [] })).toBe(true);
    expect(explainable({ text: 'WITH x AS (SELECT 1) SELECT * FROM x', params: [] })).toBe(true);
    expect(explainable({ text: 'UPDATE api_token SET last_used_at = now()', params: [] })).toBe(false);
    expect(explainable({ text: 'WITH x AS (INSERT INTO tag VALUES (1) RETURNING *) SELECT * FROM x', params: [] })).toBe(false);
    expect(explainable({ text: 'START TRANSACTION', params: [] })).toBe(false);
  });
});

function figures(requestsPerSecond: number, p99: number, failed: Partial<LoadFigures> = {}): LoadFigures {
  return {
    connections: 10,
    seconds: 10,
    requests: requestsPerSecond * 10,
    requestsPerSecond,
    p50: p99 / 3,
    p95: p99 / 2,
    p99,
    errors: 0,
    non2xx: 0,
    graphqlErrors: 0,
    ...failed,
  };
}

function scenario(name: string, api: LoadFigures, baseline: LoadFigures, extra: Partial<ScenarioResult> = {}): ScenarioResult {
  return {
    name,
    label: name,
    kind: 'read',
    planChecked: true,
    statements: 5,
    requestsPerIteration: 1,
    api: { c10: api, c50: figures(api.requestsPerSecond, api.p99 * 4) },
    baseline: { c10: baseline },
    apiPeakRssMb: 200,
    ...extra,
  };
}

describe('the budgets and table of npm run bench', () => {
  it('meets the ratio budgets at half the baseline throughput and twice its p99, and misses them beyond', () => {
    const met = evaluateBudgets([scenario('feed', figures(500, 20), figures(1000, 10))], 250);
    expect(met.every((b) => b.met)).toBe(true);
    const missed = evaluateBudgets([scenario('feed', figures(499, 20.1), figures(1000, 10))], 250);
    expect(missed.filter((b) => !b.met).map((b) => b.name)).toEqual(['feed: throughput ≥ 0.5 of baseline', 'feed: p99 ≤ 2× baseline']);
  });

  it('judges search alone, p99 at 50 connections and resident memory', () => {
    const search = scenario('search', figures(800, 10), figures(1000, 8), {});
    search.api.c1 = { ...figures(100, 60), connections: 1 };
    search.api.c50 = { ...figures(800, 501), connections: 50 };
    const budgets = evaluateBudgets([search], 300);
    const byName = Object.fromEntries(budgets.map((b) => [b.name, b]));
    expect(byName['one person searching alone (search): p99 < 50 ms']!.met).toBe(false);
    expect(byName["no scenario's p99 > 500 ms at 50 connections"]!.detail).toContain('search 501.0 ms');
    expect(byName["no scenario's p99 > 500 ms at 50 connections"]!.met).toBe(false);
    expect(byName['API resident memory < 300 MB under load']!.met).toBe(false);
  });

  it('counts a scenario that answered errors as a failure, not a fast result', () => {
    const failing = scenario('detail', figures(5000, 1, { graphqlErrors: 3, requests: 50_000 }), figures(1000, 10));
    expect(answerFailures([failing])).toEqual(['detail (API c10): 0 errors, 0 non-2xx, 3 GraphQL errors out of 50000 requests']);
    expect(scenarioTable([failing])).toMatch(/\| 3 \|$/m);
  });

  it('writes the ratios into the table and the report', () => {
    const table = scenarioTable([scenario('feed', figures(310, 30), figures(1000, 10))]);
    expect(table).toContain('| 0.31 | 3.00× |');
    const report = markdownReport({
      startedAt: '2026-12-07T20:00:00.000Z',
      finishedAt: '2026-12-07T20:05:00.000Z',
      machine: { cpuModel: 'CPU', cores: 2, memoryGb: 4, node: 'v20.19.0', postgres: '15.8', os: 'Linux' },
      data: { source: 'test', sizes: { practices: 100_000 }, seed: 1, seededAt: '2026-12-07' },
      settings: { NODE_ENV: 'production' },
      scenarios: [scenario('feed', figures(310, 30), figures(1000, 10))],
      budgets: evaluateBudgets([scenario('feed', figures(310, 30), figures(1000, 10))], 100),
      apiPeakRssMb: 100,
      publicCache: { seconds: 10, c10: figures(2000, 8), c50: figures(2100, 40), withoutCacheC10: figures(310, 30) },
      planFailures: [],
      planNotes: [],
      failures: [],
    });
    expect(report).toContain('100,000 practices');
    expect(report).toContain('## Anonymous feed with the public response cache (PUBLIC_CACHE_SECONDS=10), apart from the budgets');
    expect(report).toContain(
      'The API answered 2,000 req/s at 10 connections (p50 / p99 2.7 / 8.0 ms), 6.5× its rate without the cache in this run; at 50 connections p99 40.0 ms.',
    );
    expect(report).toContain('| feed: throughput ≥ 0.5 of baseline | **missed** | 0.31 (310 vs 1,000 req/s) |');
  });

  it('takes percentiles by nearest rank and ratios to the baseline', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('runs with too few answers', () => {
  it('are missed budgets, named as such, never a ratio of a handful of fast answers', () => {
    const slow = scenario('search', { ...figures(0.2, 900), requests: 2 }, { ...figures(1, 4800), requests: 10 });
    slow.api.c50 = { ...figures(0.4, 8000), requests: 4, connections: 50 };
    const budgets = evaluateBudgets([slow], 200);
    expect(budgets.find((b) => b.name === 'search: throughput ≥ 0.5 of baseline')).toEqual(
      expect.objectContaining({ met: false, detail: 'too few answers to measure: API 2 answers in 10 s, baseline 10 answers in 10 s' }),
    );
    expect(budgets.find((b) => b.name.startsWith("no scenario's p99"))).toEqual(
      expect.objectContaining({ met: false, detail: 'search: too few answers (4 in 10 s)' }),
    );
    expect(scenarioTable([slow])).toContain('0.2 (2 answers)');
  });
});
