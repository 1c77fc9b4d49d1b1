import type { Statement } from './statements.js';

/** Tables that the feed, search and detail scenarios must never read by a sequential scan at scale. */
export const GUARDED_TABLES = ['practice', 'comment'] as const;

/**
 * Below this many rows (pg_class.reltuples) a sequential scan is PostgreSQL's right choice, not a missing index: the
 * demo data and small seeds have such tables.
 */
export const SEQ_SCAN_MIN_ROWS = 10_000;

/** One node of `EXPLAIN (FORMAT JSON)`: the keys we read. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Alias?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Filter?: string;
  Plans?: PlanNode[];
}

export interface SeqScanFinding {
  table: string;
  alias?: string;
  filter?: string;
  /** Rows the table holds by its statistics. */
  tableRows: number;
  /** False when the table is too small for a sequential scan to matter. */
  failing: boolean;
}

/** Every Seq Scan (parallel or not) of a guarded table in a plan tree, with whether it fails the rule. */
export function findSeqScans(
  plan: PlanNode,
  tableRows: Record<string, number>,
  { tables = GUARDED_TABLES as readonly string[], minRows = SEQ_SCAN_MIN_ROWS } = {},
): SeqScanFinding[] {
  const findings: SeqScanFinding[] = [];
  const visit = (node: PlanNode) => {
    const relation = node['Relation Name'];
    if (/^(Parallel )?Seq Scan$/.test(node['Node Type']) && relation && tables.includes(relation)) {
      const rows = tableRows[relation] ?? Number.POSITIVE_INFINITY;
      findings.push({ table: relation, alias: node.Alias, filter: node.Filter, tableRows: rows, failing: rows >= minRows });
    }
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(plan);
  return findings;
}

/** `EXPLAIN (FORMAT JSON)` answers an array of one object whose `Plan` is the root node. */
export function rootPlan(explainJson: unknown): PlanNode {
  const first = Array.isArray(explainJson) ? explainJson[0] : explainJson;
  const plan = (first as { Plan?: PlanNode } | undefined)?.Plan;
  if (!plan) throw new Error('Not an EXPLAIN (FORMAT JSON) result');
  return plan;
}

/** Only reads are explained: EXPLAIN ANALYZE runs the statement, and a write would change the data. */
export function explainable(statement: Statement): boolean {
  return /^\s*(\(\s*)*(SELECT|WITH)\b/i.test(statement.text) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(statement.text.replace(/'[^']*'/g, ''));
}

/** The failure message of a finding: the scenario, the statement and the plan node. */
export function describeFinding(scenario: string, index: number, statement: Statement, finding: SeqScanFinding): string {
  const sql = statement.text.replace(/\s+/g, ' ').slice(0, 160);
  return (
    `${scenario}: statement ${index + 1} reads "${finding.table}" (${Math.round(finding.tableRows).toLocaleString('en-GB')} rows) by a Seq Scan` +
    `${finding.alias && finding.alias !== finding.table ? ` as ${finding.alias}` : ''}${finding.filter ? `, Filter: ${shorten(finding.filter, 200)}` : ''}\n    SQL: ${sql}…`
  );
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
