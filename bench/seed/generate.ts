import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { toGlobalId } from '#identity';
import type { SeedSizes } from './manifest.js';
import { Progress } from './progress.js';
import {
  CENTRAL_BODIES,
  COMMON_TERM,
  COUNCIL_KINDS,
  EXTRA_TAGS,
  FIRST_NAMES,
  LAST_NAMES,
  OTHER_BODIES,
  OVERSEAS,
  PLACES,
  RARE_TERM,
  REGIONS,
  TITLE_CONTEXTS,
  TITLE_OBJECTS,
  TITLE_VERBS,
  FUNCTION_WORDS,
  GENERAL_WORDS,
  RARE_WORDS,
  TOPIC_WORDS,
} from './vocabulary.js';

/** The sizes at full scale: a national platform after five years (docs/benchmarks.md). */
export const FULL_SIZES: SeedSizes = {
  organisations: 400,
  members: 20_000,
  practices: 100_000,
  comments: 500_000,
  adoptions: 50_000,
  subscriptions: 20_000,
};

export const DEFAULT_SEED = 20261207;

export interface SeedOptions {
  seed: number;
  sizes: SeedSizes;
  /** The moment the data is "now": five years of content end here. Fixed per run, so a seed's data is reproducible. */
  anchor: Date;
  /** Connections working at once on the big steps. */
  jobs: number;
  progress?: Progress;
}

export interface SeedResult {
  sizes: SeedSizes;
  tokens: { contributor: string; overseas: string };
  practices: { withFiftyComments: string; clear: string };
  search: { common: string; rare: string };
  steps: { step: string; rows: number; seconds: number }[];
}

/** Sizes multiplied by `scale`, each at least what the generator needs to make every kind of row. */
export function scaledSizes(scale: number, overrides: Partial<SeedSizes> = {}): SeedSizes {
  const at = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  return {
    organisations: overrides.organisations ?? at(FULL_SIZES.organisations, 4),
    members: overrides.members ?? at(FULL_SIZES.members, 40),
    practices: overrides.practices ?? at(FULL_SIZES.practices, 50),
    comments: overrides.comments ?? at(FULL_SIZES.comments, 100),
    adoptions: overrides.adoptions ?? at(FULL_SIZES.adoptions, 10),
    subscriptions: overrides.subscriptions ?? at(FULL_SIZES.subscriptions, 10),
  };
}

/** Comments the benchmark's detail page reads, replies included; the practice is kept apart from the others. */
const FIFTY = 50;
const FIFTY_REPLIES = 15;
/** Distinct sentences the text is built from (each a seeded run of words). */
const SENTENCES = 4096;
/** Sentence n is of topic n mod TOPICS. */
const TOPICS = TOPIC_WORDS.length;
const TOPIC_SIZE = TOPIC_WORDS[0]!.length;
/** Scratch tables live here while seeding and are dropped at the end. */
const SCRATCH = 'bench_seed_scratch';

/**
 * Fills a migrated, empty database set-based: one `INSERT … SELECT generate_series(…)` per table (the big ones in
 * ranges, `jobs` at a time). Every choice is a hash of the seed, a salt and the row number, so the same seed, sizes and
 * anchor give the same rows whatever the order the ranges run in. The app's own triggers (the practices' search vector)
 * and constraints stay on: the result is what the app would hold had it written every row itself.
 */
export async function seedDatabase(url: string, options: SeedOptions): Promise<SeedResult> {
  const { seed, anchor } = options;
  const progress = options.progress ?? new Progress(false);
  const O = options.sizes.organisations;
  const perOrg = Math.max(1, Math.floor(options.sizes.members / O));
  const M = perOrg * O;
  const P = Math.max(options.sizes.practices, 10);
  const C = Math.max(options.sizes.comments, FIFTY);
  const A = options.sizes.adoptions;
  const S = options.sizes.subscriptions;
  const sizes: SeedSizes = { organisations: O, members: M, practices: P, comments: C, adoptions: A, subscriptions: S };
  const pool = new pg.Pool({ connectionString: url, max: Math.max(1, options.jobs) });
  const steps: SeedResult['steps'] = [];
  const NOW = `'${anchor.toISOString()}'::timestamptz`;

  // ---- SQL helpers: deterministic "random" numbers from the seed, a salt and row expressions.
  /** A whole number in [0, 2^32). */
  const h = (salt: string, ...exprs: string[]) => `(hashtext('${seed}:${salt}' ${exprs.map((e) => `|| ':' || (${e})::text`).join(' ')})::bigint + 2147483648)`;
  /** A number in [0, 1). */
  const u = (salt: string, ...exprs: string[]) => `(${h(salt, ...exprs)} / 4294967296.0)`;
  /** Zipf-like index in [0, n): P(i) ∝ 1 / (i + 1), by a log-uniform draw. */
  const zipf = (n: string | number, salt: string, ...exprs: string[]) => `(LEAST(floor(exp(${u(salt, ...exprs)} * ln((${n}) + 1)))::int - 1, (${n}) - 1))`;
  const uuidOf = (kind: string, expr: string) => `md5('${seed}:${kind}:' || (${expr})::text)::uuid`;
  const orgId = (expr: string) => uuidOf('org', expr);
  const memberId = (expr: string) => uuidOf('member', expr);
  const practiceId = (expr: string) => uuidOf('practice', expr);
  const commentId = (expr: string) => uuidOf('comment', expr);
  /** Member j of organisation o (1-based) is member o + O·k, k in [0, perOrg). */
  const memberOf = (o: string, k: string) => memberId(`(${o}) + ${O} * (${k})`);
  /** The c-th contributor slot of an organisation: roles are laid out by k (see the members step). */
  const contributorSlots = 4 * Math.floor(perOrg / 10) + Math.min(perOrg % 10, 4);
  const contributorK = (c: string) => `(10 * ((${c}) / 4) + (${c}) % 4)`;
  /** Sentences of topic `topic` (an SQL expression that may use the sentence's number k; any topic by default). */
  const pick = (salt: string, row: string, topic?: string) =>
    `${topic ?? `${h(salt + 't', row, 'k')} % ${TOPICS}`} + ${TOPICS} * (${h(salt, row, 'k')} % ${SENTENCES / TOPICS})`;
  /** `n` sentences joined by a space. */
  const sentences = (n: number | string, salt: string, row: string, topic?: string) =>
    `(SELECT string_agg(s.s, ' ' ORDER BY k) FROM generate_series(1, ${n}) k JOIN ${SCRATCH}.sentence s ON s.n = ${pick(salt, row, topic)})`;
  const bullets = (n: number, salt: string, row: string, topic?: string) =>
    `(SELECT string_agg('- ' || s.s, E'\\n' ORDER BY k) FROM generate_series(1, ${n}) k JOIN ${SCRATCH}.sentence s ON s.n = ${pick(salt, row, topic)})`;

  /** A practice's text: two sentences in three of its main topic, one of its second. */
  const TOPIC = 'CASE WHEN k % 3 = 0 THEN a.t2 ELSE a.t1 END';

  const run = async (sql: string, params: unknown[] = []) => {
    const client = await pool.connect();
    try {
      return await client.query(sql, params);
    } finally {
      client.release();
    }
  };
  /** One step: `work` returns rows written; counted and timed for the report. */
  const step = async (label: string, total: number, work: (advance: (rows: number) => void) => Promise<void>) => {
    const started = performance.now();
    let done = 0;
    progress.start(label, total);
    await work((rows) => {
      done += rows;
      progress.update(done);
    });
    const seconds = (performance.now() - started) / 1000;
    progress.finish(done, seconds);
    steps.push({ step: label, rows: done, seconds });
  };
  /** Runs `sql(from, to)` over [1, total] in ranges of `chunk`, `jobs` at a time. */
  const ranges = async (total: number, chunk: number, sql: (from: number, to: number) => string, advance: (rows: number) => void, params: unknown[] = []) => {
    const queue: [number, number][] = [];
    for (let from = 1; from <= total; from += chunk) queue.push([from, Math.min(total, from + chunk - 1)]);
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const result = await run(sql(next[0], next[1]), params);
        advance(result.rowCount ?? 0);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, lane));
  };

  try {
    await run(`DROP SCHEMA IF EXISTS ${SCRATCH} CASCADE; CREATE SCHEMA ${SCRATCH}`);

    // ---- Vocabulary and sentences: the text every later step is built from.
    await step('vocabulary', SENTENCES, async (advance) => {
      if (TOPIC_WORDS.some((t) => t.length !== TOPIC_SIZE)) throw new Error('Every topic needs as many words');
      const words = [
        ...FUNCTION_WORDS.map((w, i) => [0, 0, i, w] as const),
        ...GENERAL_WORDS.map((w, i) => [1, 0, i, w] as const),
        ...TOPIC_WORDS.flatMap((topic, t) => topic.map((w, i) => [2, t, i, w] as const)),
      ];
      await run(
        `CREATE TABLE ${SCRATCH}.word AS SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::text[]) AS x(cls, topic, idx, w)`,
        [0, 1, 2, 3].map((c) => words.map((w) => w[c])),
      );
      await run(`CREATE UNIQUE INDEX ON ${SCRATCH}.word (cls, topic, idx)`);
      // Half function words, a fifth everyday words, the rest the sentence's topic.
      const result = await run(
        `CREATE TABLE ${SCRATCH}.sentence AS
         SELECT n, upper(left(t, 1)) || substr(t, 2) || '.' AS s
         FROM (SELECT x.i AS n, (SELECT string_agg(w.w, ' ' ORDER BY k) FROM generate_series(1, 10 + ${h('slen', 'x.i')} % 14) k
                          CROSS JOIN LATERAL (SELECT ${h('wc', 'x.i', 'k')} % 10 AS r) c
                          JOIN ${SCRATCH}.word w ON w.cls = CASE WHEN c.r < 5 THEN 0 WHEN c.r < 7 THEN 1 ELSE 2 END
                           AND w.topic = CASE WHEN c.r < 7 THEN 0 ELSE x.i % ${TOPICS} END
                           AND w.idx = CASE WHEN c.r < 5 THEN ${zipf(FUNCTION_WORDS.length, 'sw', 'x.i', 'k')}
                                            WHEN c.r < 7 THEN ${zipf(GENERAL_WORDS.length, 'sw', 'x.i', 'k')}
                                            ELSE ${zipf(TOPIC_SIZE, 'sw', 'x.i', 'k')} END) AS t
               FROM generate_series(0, ${SENTENCES - 1}) x(i)) y`,
      );
      await run(`CREATE UNIQUE INDEX ON ${SCRATCH}.sentence (n)`);
      advance(result.rowCount ?? 0);
    });

    // ---- Tags: the 18 curated ones of the first migration and 22 more, numbered curated first (the popular ones).
    await step('tags', EXTRA_TAGS.length, async (advance) => {
      const result = await run(
        `INSERT INTO tag (slug, label, curated) SELECT * FROM unnest($1::text[], $2::text[]) AS x(slug, label), (VALUES (false)) c ON CONFLICT (slug) DO NOTHING`,
        [EXTRA_TAGS.map(([slug]) => slug), EXTRA_TAGS.map(([, label]) => label)],
      );
      await run(`CREATE TABLE ${SCRATCH}.tag AS SELECT (row_number() OVER (ORDER BY curated DESC, slug) - 1)::int AS n, id, slug FROM tag`);
      await run(`CREATE UNIQUE INDEX ON ${SCRATCH}.tag (n)`);
      advance(result.rowCount ?? 0);
    });
    const tagCount = Number((await run(`SELECT count(*)::int AS n FROM ${SCRATCH}.tag`)).rows[0].n);

    // ---- Organisations: by position in a run of ten, 6 UK councils, 1 central government, 2 overseas authorities and
    // 1 other public body (the first four rows cover every kind); GB and eleven other countries; one e-mail domain each.
    const KIND_PATTERN = [
      'UK_COUNCIL',
      'UK_CENTRAL_GOVERNMENT',
      'OVERSEAS_AUTHORITY',
      'OTHER_PUBLIC_BODY',
      'UK_COUNCIL',
      'UK_COUNCIL',
      'OVERSEAS_AUTHORITY',
      'UK_COUNCIL',
      'UK_COUNCIL',
      'UK_COUNCIL',
    ];
    const overseas = [...OVERSEAS, ['NO', 'Valgdirektoratet', 'valg.no'] as const];
    await step('organisations', O, async (advance) => {
      const result = await run(
        `WITH o AS (
           SELECT g, k.kind, (row_number() OVER (PARTITION BY k.kind ORDER BY g) - 1)::int AS r
           FROM generate_series(1, ${O}) g, LATERAL (SELECT ($1::text[])[1 + (g - 1) % 10] AS kind) k),
         named AS (
           SELECT g, kind, r,
             CASE kind
               WHEN 'UK_COUNCIL' THEN ($2::text[])[1 + r % cardinality($2::text[])] || ' ' || ($3::text[])[1 + (r / cardinality($2::text[])) % 4]
                 || CASE WHEN r >= 4 * cardinality($2::text[]) THEN ' ' || (1 + r / (4 * cardinality($2::text[])))::text ELSE '' END
               WHEN 'UK_CENTRAL_GOVERNMENT' THEN ($4::text[])[1 + r % cardinality($4::text[])]
                 || CASE WHEN r >= cardinality($4::text[]) THEN ' (' || (ARRAY['Elections Unit','Security','Digital','Communications','Policy','Resilience'])[1 + (r / cardinality($4::text[]) - 1) % 6] || CASE WHEN r >= 7 * cardinality($4::text[]) THEN ' ' || r::text ELSE '' END || ')' ELSE '' END
               WHEN 'OTHER_PUBLIC_BODY' THEN ($5::text[])[1 + r % cardinality($5::text[])]
                 || CASE WHEN r >= cardinality($5::text[]) THEN ' (' || (ARRAY['England','Scotland','Wales','Northern Ireland','London','North','South'])[1 + (r / cardinality($5::text[]) - 1) % 7] || CASE WHEN r >= 8 * cardinality($5::text[]) THEN ' ' || r::text ELSE '' END || ')' ELSE '' END
               ELSE ($7::text[])[1 + r % cardinality($6::text[])] || CASE WHEN r >= cardinality($6::text[]) THEN ' (regional office ' || (r / cardinality($6::text[]))::text || ')' ELSE '' END
             END AS name,
             CASE kind WHEN 'OVERSEAS_AUTHORITY' THEN ($6::text[])[1 + r % cardinality($6::text[])] ELSE 'GB' END AS country,
             CASE kind WHEN 'UK_COUNCIL' THEN ($9::text[])[1 + ${h('region', 'g')} % cardinality($9::text[])] END AS region,
             CASE WHEN kind = 'OVERSEAS_AUTHORITY' AND r >= cardinality($6::text[]) THEN 'region' || (r / cardinality($6::text[]))::text || '.' ELSE '' END
               || CASE kind WHEN 'OVERSEAS_AUTHORITY' THEN ($8::text[])[1 + r % cardinality($6::text[])] END AS overseas_domain
           FROM o),
         slugged AS (
           SELECT *, left(trim(BOTH '-' FROM regexp_replace(lower(translate(name, 'úáéíóàèäöüÚ', 'uaeioaeaouU')), '[^a-z0-9]+', '-', 'g')), 64) AS slug FROM named),
         inserted AS (
           INSERT INTO organisation (id, slug, name, kind, country, region, created_at, updated_at)
           SELECT ${orgId('g')}, slug, name, kind::organisation_kind, country, region,
                  ${NOW} - interval '2000 days' + interval '1 day' * (g % 60), ${NOW} - interval '2000 days' + interval '1 day' * (g % 60)
           FROM slugged RETURNING id)
         INSERT INTO organisation_domain (domain, organisation_id)
         SELECT coalesce(overseas_domain, slug || CASE kind WHEN 'OTHER_PUBLIC_BODY' THEN '.org.uk' ELSE '.gov.uk' END), ${orgId('g')} FROM slugged`,
        [
          KIND_PATTERN,
          PLACES,
          COUNCIL_KINDS,
          CENTRAL_BODIES,
          OTHER_BODIES,
          overseas.map((x) => x[0]),
          overseas.map((x) => x[1]),
          overseas.map((x) => x[2]),
          REGIONS,
        ],
      );
      advance(result.rowCount ?? 0);
      await run(`CREATE TABLE ${SCRATCH}.org AS SELECT g, ${orgId('g')} AS id FROM generate_series(1, ${O}) g; CREATE UNIQUE INDEX ON ${SCRATCH}.org (id)`);
    });

    // ---- Members: perOrg an organisation; member j is of organisation 1 + (j − 1) mod O, at place k = (j − 1) div O.
    // Roles by place in a run of ten: 0 organisation admin and contributor, 1 moderator and contributor, 2–3
    // contributors, 4–9 readers (no role); member 1 is also the platform admin; one reader in fifty is deactivated.
    await step('members', M, async (advance) => {
      await ranges(
        M,
        10_000,
        (from, to) =>
          `INSERT INTO member (id, organisation_id, email, name, roles, deactivated_at, created_at, updated_at)
           SELECT ${memberId('j')}, ${orgId(`1 + (j - 1) % ${O}`)},
                  lower(f || '.' || l) || '.' || ((j - 1) / ${O})::text || '@' || d.domain, f || ' ' || l,
                  (CASE WHEN j = 1 THEN ARRAY['PLATFORM_ADMIN'] ELSE ARRAY[]::text[] END ||
                   CASE ((j - 1) / ${O}) % 10 WHEN 0 THEN ARRAY['ORG_ADMIN','CONTRIBUTOR'] WHEN 1 THEN ARRAY['MODERATOR','CONTRIBUTOR']
                        WHEN 2 THEN ARRAY['CONTRIBUTOR'] WHEN 3 THEN ARRAY['CONTRIBUTOR'] ELSE ARRAY[]::text[] END)::member_role[],
                  CASE WHEN ((j - 1) / ${O}) % 50 = 47 THEN ${NOW} - interval '1 day' * (${h('deact', 'j')} % 300) END,
                  c.at, c.at
           FROM generate_series(${from}, ${to}) j
           CROSS JOIN LATERAL (SELECT ($1::text[])[1 + ${h('first', 'j')} % cardinality($1::text[])] AS f,
                                      ($2::text[])[1 + ${h('last', 'j')} % cardinality($2::text[])] AS l,
                                      ${NOW} - interval '1826 days' * ${u('mat', 'j')} AS at) c
           JOIN organisation_domain d ON d.organisation_id = ${orgId(`1 + (j - 1) % ${O}`)}`,
        advance,
        [FIRST_NAMES, LAST_NAMES],
      );
    });

    // ---- Practices. Practice 1 is the one with exactly fifty comments and practice 2 the TLP_CLEAR one `node(id:)`
    // reads: both published TLP_CLEAR, never hidden. The rest: 8 % drafts, 85 % published, 7 % archived;
    // 45 % TLP_CLEAR, 35 % TLP_GREEN, 13 % TLP_AMBER, 7 % TLP_AMBER_STRICT; published over five years, more of them
    // lately; one published practice in 200 hidden by a moderator. Revision numbers as the app leaves them: a draft is
    // at 1 (2 when edited), a published one at 2 (its publication) or 3 (edited since).
    await step('practices', P, async (advance) => {
      await ranges(
        P,
        5_000,
        (from, to) =>
          `INSERT INTO practice (id, organisation_id, author_id, title, summary, problem, approach, outcomes, resources, language,
                                 status, visibility, revision, published_at, hidden_at, created_at, updated_at)
           SELECT ${practiceId('g')}, ${orgId('a.o')}, ${memberOf('a.o', contributorK(`${h('pa', 'g')} % ${contributorSlots}`))},
                  a.title, ${sentences(3, 'sum', 'g', TOPIC)},
                  ${sentences(3, 'pr1', 'g', TOPIC)} || E'\\n\\n' || ${sentences(2, 'pr2', 'g', TOPIC)},
                  ${sentences(3, 'ap1', 'g', TOPIC)} || E'\\n\\n' || ${bullets(4, 'ap2', 'g', TOPIC)} || E'\\n\\n' || ${sentences(2, 'ap3', 'g', TOPIC)}
                    || CASE WHEN ${h('apb', 'g')} % 3 = 0 THEN E'\\n\\n**What we would do again:** ' || ${sentences(1, 'ap4', 'g', TOPIC)} ELSE '' END,
                  ${sentences(2, 'ou1', 'g', TOPIC)} || E'\\n\\n' || ${sentences(2, 'ou2', 'g', TOPIC)}
                    || CASE WHEN ${h('rare', 'g')} % 400 = 0 OR g = 2
                         THEN E'\\n\\nThe ' || (CASE WHEN g = 2 THEN '${RARE_TERM}' ELSE ($1::text[])[1 + ${h('rarew', 'g')} % ${RARE_WORDS.length}] END) || ' of changes to the plan was kept for the auditors.'
                         ELSE '' END,
                  CASE WHEN ${h('res', 'g')} % 10 < 3
                       THEN jsonb_build_array(jsonb_build_object('title', 'Our ' || lower(a.title_object) || ' checklist', 'url', 'https://www.' || d.domain || '/elections/' || g::text))
                       ELSE '[]'::jsonb END,
                  'en', a.status::practice_status, a.visibility::visibility,
                  CASE a.status WHEN 'DRAFT' THEN 1 + (${h('ed', 'g')} % 10 < 3)::int ELSE 2 + (${h('ed', 'g')} % 10 < 3)::int END,
                  a.published_at,
                  CASE WHEN a.status = 'PUBLISHED' AND g > 2 AND ${h('hid', 'g')} % 200 = 0 THEN a.published_at + (${NOW} - a.published_at) * 0.5 END,
                  a.created_at,
                  CASE WHEN ${h('ed', 'g')} % 10 < 3 THEN coalesce(a.published_at, a.created_at) + (${NOW} - coalesce(a.published_at, a.created_at)) * ${u('edt', 'g')}
                       ELSE coalesce(a.published_at, a.created_at) END
           FROM generate_series(${from}, ${to}) g
           CROSS JOIN LATERAL (SELECT 1 + floor(${O} * power(${u('po', 'g')}, 1.5))::int AS o,
                  CASE WHEN g <= 2 THEN 'PUBLISHED' WHEN ${h('ps', 'g')} % 100 < 8 THEN 'DRAFT' WHEN ${h('ps', 'g')} % 100 < 93 THEN 'PUBLISHED' ELSE 'ARCHIVED' END AS status,
                  CASE WHEN g <= 2 THEN 'TLP_CLEAR' WHEN ${h('pv', 'g')} % 100 < 45 THEN 'TLP_CLEAR' WHEN ${h('pv', 'g')} % 100 < 80 THEN 'TLP_GREEN'
                       WHEN ${h('pv', 'g')} % 100 < 93 THEN 'TLP_AMBER' ELSE 'TLP_AMBER_STRICT' END AS visibility,
                  ${NOW} - interval '1826 days' * (1 - sqrt(${u('pt', 'g')})) AS at,
                  ($2::text[])[1 + ${h('tv', 'g')} % cardinality($2::text[])] AS title_verb,
                  ($3::text[])[1 + ${h('tob', 'g')} % cardinality($3::text[])] AS title_object,
                  ($4::text[])[1 + ${h('tc', 'g')} % cardinality($4::text[])] AS title_context,
                  ${h('topic', 'g')} % ${TOPICS} AS t1, ${h('topic2', 'g')} % ${TOPICS} AS t2) b0
           CROSS JOIN LATERAL (SELECT b0.*, b0.title_verb || ' ' || b0.title_object || ' ' || b0.title_context
                    || CASE ${h('tl', 'g')} % 4 WHEN 0 THEN ': lessons from the ' || (2021 + ${h('ty', 'g')} % 5)::text || ' elections' WHEN 1 THEN ' (a practical guide)' ELSE '' END AS title,
                  CASE WHEN b0.status = 'DRAFT' THEN NULL ELSE date_trunc('milliseconds', b0.at) END AS published_at,
                  date_trunc('milliseconds', CASE WHEN b0.status = 'DRAFT' THEN b0.at ELSE b0.at - interval '1 hour' * (1 + ${h('pc', 'g')} % 720) END) AS created_at) a
           JOIN organisation_domain d ON d.organisation_id = ${orgId('a.o')}`,
        advance,
        [RARE_WORDS, TITLE_VERBS, TITLE_OBJECTS, TITLE_CONTEXTS],
      );
    });

    // ---- Tags of a practice: one to four, each drawn Zipf-like over the ~40 tags (a few tags on most practices).
    await step('practice tags', Math.round(P * 2.3), async (advance) => {
      await ranges(
        P,
        20_000,
        (from, to) =>
          `INSERT INTO practice_tag (practice_id, tag_id)
           SELECT DISTINCT ${practiceId('g')}, t.id
           FROM generate_series(${from}, ${to}) g CROSS JOIN LATERAL generate_series(1, 1 + ${h('tn', 'g')} % 4) k
           JOIN ${SCRATCH}.tag t ON t.n = ${zipf(tagCount, 'tg', 'g', 'k')}
           ON CONFLICT DO NOTHING`,
        advance,
      );
    });

    // ---- Audiences: every TLP_AMBER practice names one to three other organisations.
    await step('audiences', Math.round(P * 0.13 * 2), async (advance) => {
      const result = await run(
        `INSERT INTO practice_audience (practice_id, organisation_id)
         SELECT DISTINCT p.id, ${orgId('x.o')}
         FROM practice p JOIN ${SCRATCH}.org own ON own.id = p.organisation_id
         CROSS JOIN LATERAL (SELECT 1 + (own.g + ${h('au', 'p.id', 'k')} % ${Math.max(1, O - 1)}) % ${O} AS o FROM generate_series(1, 1 + ${h('an', 'p.id')} % 3) k) x
         WHERE p.visibility = 'TLP_AMBER' AND ${orgId('x.o')} <> p.organisation_id
         ON CONFLICT DO NOTHING`,
      );
      advance(result.rowCount ?? 0);
    });

    // ---- Revisions, as the app writes them: the first (and an edit) of a draft recorded DRAFT; publishing writes the
    // next revision as PUBLISHED, and an edit after publication one more. Earlier revisions had a shorter outcome.
    await step('revisions', Math.round(P * 2.2), async (advance) => {
      await ranges(
        P,
        10_000,
        (from, to) =>
          `INSERT INTO practice_revision (practice_id, revision, editor_id, title, summary, problem, approach, outcomes, resources, tag_slugs,
                                          language, visibility, audience_organisation_ids, status, created_at)
           SELECT p.id, r, p.author_id, p.title, p.summary, p.problem, p.approach,
                  CASE WHEN r < p.revision THEN split_part(p.outcomes, E'\\n\\n', 1) ELSE p.outcomes END,
                  p.resources, tg.slugs, p.language, p.visibility, aud.ids,
                  (CASE WHEN p.published_at IS NULL OR r = 1 THEN 'DRAFT' ELSE 'PUBLISHED' END)::practice_status,
                  CASE WHEN r = p.revision THEN p.updated_at WHEN r = 1 THEN p.created_at ELSE p.published_at END
           FROM generate_series(${from}, ${to}) g
           JOIN practice p ON p.id = ${practiceId('g')}
           CROSS JOIN generate_series(1, p.revision) r
           CROSS JOIN LATERAL (SELECT coalesce(array_agg(t.slug ORDER BY t.slug), '{}') AS slugs FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.practice_id = p.id) tg
           CROSS JOIN LATERAL (SELECT coalesce(array_agg(a.organisation_id ORDER BY a.organisation_id), '{}') AS ids FROM practice_audience a WHERE a.practice_id = p.id) aud`,
        advance,
      );
    });

    // The published practices others comment on and adopt, numbered in a seeded order (practice 1 kept apart).
    await run(
      `CREATE TABLE ${SCRATCH}.published AS
       SELECT (row_number() OVER (ORDER BY md5('${seed}:' || p.id::text)))::int AS n, p.id, p.organisation_id, p.visibility, p.published_at,
              o.g AS o
       FROM practice p JOIN ${SCRATCH}.org o ON o.id = p.organisation_id WHERE p.status <> 'DRAFT' AND p.id <> ${practiceId('1')}`,
    );
    await run(`CREATE UNIQUE INDEX ON ${SCRATCH}.published (n); CREATE UNIQUE INDEX ON ${SCRATCH}.published (id); ANALYZE ${SCRATCH}.published`);
    const published = Number((await run(`SELECT count(*)::int AS n FROM ${SCRATCH}.published`)).rows[0].n);

    // ---- Comments: 70 % top-level, spread over the published practices with a long tail (a few practices draw
    // hundreds), then replies one level deep to a top-level comment, as the app allows. Members of any organisation
    // comment on TLP_CLEAR and TLP_GREEN practices; on TLP_AMBER ones, members of the author's organisation.
    // Practice 1 gets exactly fifty: 35 top-level comments and 15 replies.
    const general = C - FIFTY;
    const top = Math.max(1, Math.round(general * 0.7));
    const replies = general - top;
    const commentAuthor = (pub: string, salt: string, row: string) =>
      `CASE WHEN ${pub}.visibility IN ('TLP_CLEAR', 'TLP_GREEN') THEN ${memberId(`1 + ${h(salt, row)} % ${M}`)} ELSE ${memberOf(`${pub}.o`, `${h(salt, row)} % ${perOrg}`)} END`;
    const commentBody = (salt: string, row: string) =>
      `CASE WHEN ${h(salt + 'p', row)} % 5 = 0 THEN ${sentences(2, salt + '1', row)} || E'\\n\\n' || ${sentences(2, salt + '2', row)}
            ELSE ${sentences(`1 + ${h(salt + 'n', row)} % 3`, salt + '3', row)} END`;
    await step('comments', C, async (advance) => {
      await ranges(
        top,
        25_000,
        (from, to) =>
          `INSERT INTO comment (id, practice_id, parent_id, author_id, body, created_at, edited_at, hidden_at)
           SELECT ${commentId('i')}, pub.id, NULL, ${commentAuthor('pub', 'ca', 'i')}, ${commentBody('cb', 'i')}, c.at,
                  CASE WHEN ${h('ced', 'i')} % 20 = 0 THEN c.at + interval '1 hour' END,
                  CASE WHEN ${h('chid', 'i')} % 500 = 0 THEN c.at + interval '1 day' END
           FROM generate_series(${from}, ${to}) i
           JOIN ${SCRATCH}.published pub ON pub.n = 1 + floor(${published} * power(${u('cp', 'i')}, 2))::int
           CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', pub.published_at + (${NOW} - pub.published_at) * power(${u('ct', 'i')}, 2)) AS at) c`,
        advance,
      );
      await ranges(
        replies,
        25_000,
        (from, to) =>
          `INSERT INTO comment (id, practice_id, parent_id, author_id, body, created_at, edited_at, hidden_at)
           SELECT ${commentId(`${top} + i`)}, parent.practice_id, parent.id, ${commentAuthor('pub', 'ra', 'i')}, ${commentBody('rb', 'i')}, c.at,
                  NULL, CASE WHEN ${h('rhid', 'i')} % 500 = 0 THEN c.at + interval '1 day' END
           FROM generate_series(${from}, ${to}) i
           JOIN comment parent ON parent.id = ${commentId(`1 + ${h('rp', 'i')} % ${top}`)}
           JOIN ${SCRATCH}.published pub ON pub.id = parent.practice_id
           CROSS JOIN LATERAL (SELECT date_trunc('milliseconds', parent.created_at + (${NOW} - parent.created_at) * power(${u('rt', 'i')}, 4)) AS at) c`,
        advance,
      );
      const fifty = await run(
        `WITH p AS (SELECT id, published_at, 1 AS o, visibility FROM practice WHERE id = ${practiceId('1')}),
         tops AS (
           INSERT INTO comment (id, practice_id, parent_id, author_id, body, created_at)
           SELECT ${commentId(`'fifty-' || i`)}, p.id, NULL, ${memberId(`1 + ${h('fa', 'i')} % ${M}`)}, ${commentBody('fb', 'i')},
                  date_trunc('milliseconds', p.published_at + (${NOW} - p.published_at) * (i / ${FIFTY + 1}.0))
           FROM p, generate_series(1, ${FIFTY - FIFTY_REPLIES}) i RETURNING id)
         INSERT INTO comment (id, practice_id, parent_id, author_id, body, created_at)
         SELECT ${commentId(`'fifty-reply-' || i`)}, p.id, ${commentId(`'fifty-' || (1 + (i - 1) % 5)`)}, ${memberId(`1 + ${h('fra', 'i')} % ${M}`)}, ${commentBody('frb', 'i')},
                date_trunc('milliseconds', p.published_at + (${NOW} - p.published_at) * ((1 + (i - 1) % 5) / ${FIFTY + 1}.0) + interval '1 minute' * i)
         FROM p, generate_series(1, ${FIFTY_REPLIES}) i WHERE (SELECT count(*) FROM tops) = ${FIFTY - FIFTY_REPLIES}`,
      );
      advance((fifty.rowCount ?? 0) + FIFTY - FIFTY_REPLIES);
    });

    // ---- Adoptions: an organisation adopting a TLP_CLEAR or TLP_GREEN practice of another one, once (the unique key);
    // popular practices adopted by many.
    await step('adoptions', A, async (advance) => {
      const result = await run(
        `INSERT INTO adoption (id, practice_id, organisation_id, member_id, note, outcome, created_at, updated_at)
         SELECT ${uuidOf('adoption', 'i')}, practice_id, ${orgId('o')}, ${memberOf('o', `${h('am', 'i')} % ${perOrg}`)},
                ${sentences(2, 'an', 'i')}, left(${sentences(1, 'ao', 'i')}, 500), at, at
         FROM (SELECT DISTINCT ON (pub.id, c.o) i, pub.id AS practice_id, c.o, date_trunc('milliseconds', pub.published_at + (${NOW} - pub.published_at) * ${u('at', 'i')}) AS at
               FROM generate_series(1, ${A * 3 + 20}) i
               CROSS JOIN LATERAL (SELECT 1 + ${h('ao', 'i')} % ${O} AS o) c
               JOIN ${SCRATCH}.published pub ON pub.n = 1 + floor(${published} * power(${u('ap', 'i')}, 2))::int
               WHERE pub.visibility IN ('TLP_CLEAR', 'TLP_GREEN') AND pub.o <> c.o
               ORDER BY pub.id, c.o, i) x
         ORDER BY i LIMIT ${A}`,
      );
      advance(result.rowCount ?? 0);
    });

    // ---- Moderation: every hidden practice and comment has the flag a moderator acted on; a few flags are open.
    await step('flags', 0, async (advance) => {
      const result = await run(
        `INSERT INTO flag (practice_id, comment_id, reason, note, reporter_id, status, resolved_by_id, resolved_at, created_at)
         SELECT practice_id, comment_id, (ARRAY['PARTY_POLITICAL','ABUSIVE','FALSE_INFORMATION','OTHER'])[1 + ${h('fr', 'key')} % 4]::flag_reason,
                'Reported from the practice page.', ${memberId(`1 + ${h('frep', 'key')} % ${M}`)},
                (CASE WHEN hidden_at IS NULL THEN 'OPEN' ELSE 'HIDDEN' END)::flag_status,
                CASE WHEN hidden_at IS NOT NULL THEN ${memberId('1')} END, hidden_at,
                coalesce(hidden_at - interval '2 hours', at + interval '1 day')
         FROM (SELECT id::text AS key, id AS practice_id, NULL::uuid AS comment_id, hidden_at, published_at AS at FROM practice
               WHERE hidden_at IS NOT NULL OR (status = 'PUBLISHED' AND ${h('fo', 'id')} % 1000 = 0)
               UNION ALL
               SELECT id::text, practice_id, id, hidden_at, created_at FROM comment
               WHERE hidden_at IS NOT NULL OR ${h('fco', 'id')} % 2000 = 0) x`,
      );
      advance(result.rowCount ?? 0);
    });

    // ---- Digest subscriptions: one a member (by member number, wrapping), e-mail or Atom, immediate, daily or weekly,
    // with the filters the app takes (none, tags, organisations, kinds, countries, a query, or a mix); most already
    // ran yesterday; a deactivated member's are paused. Made in a session (no token scopes). Webhooks are left out:
    // their secret is sealed with the API's APP_SECRET, which the seed does not know.
    await step('subscriptions', S, async (advance) => {
      await ranges(
        S,
        10_000,
        (from, to) =>
          `INSERT INTO digest_subscription (id, member_id, name, filter, frequency, hour, weekday, time_zone, channel, last_attempted_at, composed_through, created_at, updated_at)
           SELECT ${uuidOf('subscription', 'i')}, ${memberId(`1 + (i - 1) % ${M}`)}, f.name, f.filter, f.frequency::digest_frequency, 6 + ${h('sh', 'i')} % 4,
                  CASE WHEN f.frequency = 'WEEKLY' THEN (ARRAY['MONDAY','TUESDAY','WEDNESDAY','THURSDAY','FRIDAY'])[1 + ${h('swd', 'i')} % 5]::weekday END,
                  (ARRAY['Europe/London','Europe/London','Europe/London','Europe/London','Europe/London','Europe/London','Europe/London','Europe/London','Europe/Paris','America/Toronto'])[1 + ${h('stz', 'i')} % 10],
                  (CASE WHEN ${h('sch', 'i')} % 100 < 65 THEN 'EMAIL' ELSE 'ATOM' END)::digest_channel,
                  CASE WHEN ${h('snew', 'i')} % 10 > 0 THEN ${NOW} - interval '25 hours' END,
                  CASE WHEN ${h('snew', 'i')} % 10 > 0 THEN ${NOW} - interval '24 hours' END,
                  f.at, f.at
           FROM generate_series(${from}, ${to}) i
           CROSS JOIN LATERAL (SELECT
             CASE WHEN ${h('sf', 'i')} % 100 < 50 THEN 'DAILY' WHEN ${h('sf', 'i')} % 100 < 80 THEN 'WEEKLY' ELSE 'IMMEDIATE' END AS frequency,
             date_trunc('milliseconds', ${NOW} - interval '1095 days' * ${u('sat', 'i')} - interval '2 days') AS at,
             'Digest ' || i::text AS name,
             CASE ${h('sk', 'i')} % 10
               WHEN 0 THEN '{}'::jsonb WHEN 1 THEN '{}'::jsonb
               WHEN 2 THEN jsonb_build_object('tags', tags) WHEN 3 THEN jsonb_build_object('tags', tags)
               WHEN 4 THEN jsonb_build_object('organisationKinds', kinds)
               WHEN 5 THEN jsonb_build_object('countries', countries)
               WHEN 6 THEN jsonb_build_object('tags', tags, 'countries', countries)
               WHEN 7 THEN jsonb_build_object('organisationSlugs', orgs)
               WHEN 8 THEN jsonb_build_object('query', query)
               ELSE jsonb_build_object('query', query, 'organisationKinds', kinds)
             END AS filter
             FROM (SELECT
               (SELECT jsonb_agg(DISTINCT t.slug) FROM generate_series(1, 1 + ${h('stn', 'i')} % 3) k JOIN ${SCRATCH}.tag t ON t.n = ${zipf(tagCount, 'stg', 'i', 'k')}) AS tags,
               CASE WHEN ${h('skd', 'i')} % 3 = 0 THEN '["UK_COUNCIL","UK_CENTRAL_GOVERNMENT"]'::jsonb
                    ELSE jsonb_build_array((ARRAY['UK_COUNCIL','UK_CENTRAL_GOVERNMENT','OVERSEAS_AUTHORITY','OTHER_PUBLIC_BODY'])[1 + ${h('sk2', 'i')} % 4]) END AS kinds,
               CASE ${h('sc', 'i')} % 4 WHEN 0 THEN '["GB"]'::jsonb WHEN 1 THEN '["GB"]'::jsonb WHEN 2 THEN '["GB","IE"]'::jsonb
                    ELSE jsonb_build_array((ARRAY['FR','DE','NL','IE','EE','SE','US','CA','AU','NZ','NO'])[1 + ${h('sc2', 'i')} % 11]) END AS countries,
               (SELECT jsonb_agg(slug) FROM organisation WHERE id IN (${orgId(`1 + ${h('so1', 'i')} % ${O}`)}, ${orgId(`1 + ${h('so2', 'i')} % ${O}`)})) AS orgs,
               (ARRAY['postal votes','deepfake','count','phishing','polling station','disinformation','candidate safety','ballot'])[1 + ${h('sq', 'i')} % 8] AS query) v
           ) f`,
        advance,
      );
      // As deactivation leaves them: paused, for good.
      await run(
        `UPDATE digest_subscription s SET paused_at = greatest(m.deactivated_at, s.created_at), pause_reason = 'member deactivated'
         FROM member m WHERE m.id = s.member_id AND m.deactivated_at IS NOT NULL`,
      );
    });

    // ---- API tokens, in the app's format (`pe_<row id>_<secret>`, the SHA-256 of the secret stored), made by their
    // members in a session: a contributor of a UK council (organisation 1, place 2) and of an overseas authority
    // (organisation 3, place 2), scopes read and write.
    const tokens = { contributor: '', overseas: '' };
    await step('api tokens', 2, async (advance) => {
      for (const [key, o] of [
        ['contributor', 1],
        ['overseas', 3],
      ] as const) {
        if (o > O) throw new Error(`--organisations must be at least 3 (the overseas authority's token)`);
        const id = randomUUID();
        const secret = randomBytes(32).toString('hex');
        const member = await run(`SELECT id, organisation_id FROM member WHERE id = ${memberOf(String(o), String(Math.min(2, perOrg - 1)))}`);
        const { id: memberIdValue, organisation_id: organisationId } = member.rows[0];
        await run(
          `INSERT INTO api_token (id, member_id, name, scopes, secret_hash, expires_at) VALUES ($1, $2, $3, '{read,write}', $4, ${NOW} + interval '1 year')`,
          [id, memberIdValue, `Benchmark (${key})`, createHash('sha256').update(secret, 'utf8').digest()],
        );
        await run(
          `INSERT INTO audit_event (action, actor_member_id, organisation_id, subject_type, subject_id, details) VALUES ('TOKEN_CREATED', $1, $2, 'ApiToken', $3, $4)`,
          [memberIdValue, organisationId, id, JSON.stringify({ name: `Benchmark (${key})`, scopes: ['read', 'write'] })],
        );
        tokens[key] = `pe_${id.replace(/-/g, '')}_${secret}`;
        advance(1);
      }
    });

    await step('vacuum', 0, async () => {
      await run(`DROP SCHEMA ${SCRATCH} CASCADE`);
      // As autovacuum leaves a database that has run for years: statistics, and visibility maps for index-only scans.
      await run('VACUUM ANALYZE');
    });

    const ids = await run(`SELECT ${practiceId('1')}::text AS fifty, ${practiceId('2')}::text AS clear`);
    return {
      sizes,
      tokens,
      practices: { withFiftyComments: toGlobalId('Practice', ids.rows[0].fifty), clear: toGlobalId('Practice', ids.rows[0].clear) },
      search: { common: COMMON_TERM, rare: RARE_TERM },
      steps,
    };
  } finally {
    await pool.end();
  }
}
