/**
 * `npm run bench:seed`'s generator at a tiny scale: the shape it promises (sizes, every TLP level and status, the
 * practice with fifty comments), that the real API reads what it wrote (the manifest's token, anonymous reads only
 * ever TLP_CLEAR), and that the same seed gives the same data.
 */
import pg from 'pg';
import { parseGlobalId } from '#identity';
import { scaledSizes, seedDatabase, type SeedResult } from '../../bench/seed/generate.js';
import { Progress } from '../../bench/seed/progress.js';
import { freshDatabaseUrl } from '../support/database.js';
import { startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';

const SCALE = 0.005;
const ANCHOR = new Date('2026-12-01T00:00:00Z');
const quiet = () => new Progress(false, () => undefined);

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A digest of what the generator chose: texts, authors, times, threads, tags, audiences, adoptions, subscriptions. */
async function checksum(url: string): Promise<string> {
  const [row] = await query<{ sum: string }>(
    url,
    `SELECT md5(concat_ws('|',
       (SELECT string_agg(concat_ws(',', id, title, summary, problem, approach, outcomes, author_id, status, visibility, revision, published_at, hidden_at, search_vector::text), ';' ORDER BY id) FROM practice),
       (SELECT string_agg(concat_ws(',', practice_id, revision, status, outcomes, tag_slugs::text, audience_organisation_ids::text, created_at), ';' ORDER BY practice_id, revision) FROM practice_revision),
       (SELECT string_agg(concat_ws(',', id, practice_id, parent_id, author_id, body, created_at, hidden_at), ';' ORDER BY id) FROM comment),
       (SELECT string_agg(concat_ws(',', pt.practice_id, t.slug), ';' ORDER BY pt.practice_id, t.slug) FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id),
       (SELECT string_agg(concat_ws(',', practice_id, organisation_id), ';' ORDER BY practice_id, organisation_id) FROM practice_audience),
       (SELECT string_agg(concat_ws(',', id, practice_id, organisation_id, member_id, note), ';' ORDER BY id) FROM adoption),
       (SELECT string_agg(concat_ws(',', id, member_id, filter::text, frequency, channel), ';' ORDER BY id) FROM digest_subscription),
       (SELECT string_agg(concat_ws(',', id, email, roles::text), ';' ORDER BY id) FROM member),
       (SELECT string_agg(concat_ws(',', id, slug, kind, country), ';' ORDER BY id) FROM organisation))) AS sum`,
  );
  return row!.sum;
}

type Listed = { edges: { node: { id: string; visibility: string; status: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
const PAGE = `query($after: String, $f: PracticeFilter) { practices(first: 100, after: $after, filter: $f) {
  edges { node { id visibility status } } pageInfo { hasNextPage endCursor } } }`;

describe('npm run bench:seed (the generator)', () => {
  const sizes = scaledSizes(SCALE);
  let url: string;
  let result: SeedResult;
  let api: TestApp;

  beforeAll(async () => {
    url = await freshDatabaseUrl();
    result = await seedDatabase(url, { seed: 11, sizes, anchor: ANCHOR, jobs: 2, progress: quiet() });
    api = await startTestApp({}, { databaseUrl: url });
  }, 240_000);

  afterAll(async () => {
    await api?.close();
  });

  it('writes the sizes asked for, scaled', async () => {
    expect(sizes).toEqual({ organisations: 4, members: 100, practices: 500, comments: 2500, adoptions: 250, subscriptions: 100 });
    expect(result.sizes).toEqual(sizes);
    const [counts] = await query<Record<string, number>>(
      url,
      `SELECT (SELECT count(*)::int FROM organisation) AS organisations, (SELECT count(*)::int FROM member) AS members,
              (SELECT count(*)::int FROM practice) AS practices, (SELECT count(*)::int FROM comment) AS comments,
              (SELECT count(*)::int FROM adoption) AS adoptions, (SELECT count(*)::int FROM digest_subscription) AS subscriptions,
              (SELECT count(*)::int FROM organisation_domain) AS domains, (SELECT count(*)::int FROM tag) AS tags,
              (SELECT count(*)::int FROM practice_revision) AS revisions, (SELECT count(*)::int FROM comment WHERE parent_id IS NOT NULL) AS replies,
              (SELECT count(*)::int FROM practice WHERE search_vector IS NULL) AS unsearchable`,
    );
    expect(counts).toMatchObject({ ...sizes, domains: 4, tags: 40, unsearchable: 0 });
    expect(counts!.revisions).toBeGreaterThan(sizes.practices * 1.5);
    expect(counts!.replies).toBeGreaterThan(sizes.comments * 0.25);
  });

  it('has every organisation kind, TLP level and status, hidden practices and their flags', async () => {
    const present = async (sql: string) => (await query<{ v: string }>(url, sql)).map((r) => r.v).sort();
    expect(await present('SELECT DISTINCT kind::text AS v FROM organisation')).toEqual([
      'OTHER_PUBLIC_BODY',
      'OVERSEAS_AUTHORITY',
      'UK_CENTRAL_GOVERNMENT',
      'UK_COUNCIL',
    ]);
    expect(await present('SELECT DISTINCT visibility::text AS v FROM practice')).toEqual(['TLP_AMBER', 'TLP_AMBER_STRICT', 'TLP_CLEAR', 'TLP_GREEN']);
    expect(await present('SELECT DISTINCT status::text AS v FROM practice')).toEqual(['ARCHIVED', 'DRAFT', 'PUBLISHED']);
    expect(await present('SELECT DISTINCT status::text AS v FROM practice_revision')).toEqual(['DRAFT', 'PUBLISHED']);
    const [moderation] = await query<{ hidden: number; flags: number; unflagged: number; amberWithout: number; revisionMismatch: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM practice WHERE hidden_at IS NOT NULL) + (SELECT count(*)::int FROM comment WHERE hidden_at IS NOT NULL) AS hidden,
              (SELECT count(*)::int FROM flag WHERE status = 'HIDDEN') AS flags,
              (SELECT count(*)::int FROM practice p WHERE hidden_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM flag f WHERE f.practice_id = p.id AND f.comment_id IS NULL)) AS unflagged,
              (SELECT count(*)::int FROM practice p WHERE visibility = 'TLP_AMBER' AND NOT EXISTS (SELECT 1 FROM practice_audience a WHERE a.practice_id = p.id)) AS "amberWithout",
              (SELECT count(*)::int FROM practice p WHERE p.revision <> (SELECT max(r.revision) FROM practice_revision r WHERE r.practice_id = p.id)) AS "revisionMismatch"`,
    );
    expect(moderation!.hidden).toBeGreaterThan(0);
    expect(moderation!.flags).toBe(moderation!.hidden);
    expect(moderation!.unflagged).toBe(0);
    expect(moderation!.amberWithout).toBe(0);
    expect(moderation!.revisionMismatch).toBe(0);
  });

  it('gives the manifest a practice with exactly fifty comments, readable with its contributor token', async () => {
    const response = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on Practice { status visibility commentCount
        comments(first: 100) { edges { node { id replies(first: 100) { edges { node { id } } } } } } } } }`,
      { id: result.practices.withFiftyComments },
      result.tokens.contributor,
    );
    expect(response.errors).toBeUndefined();
    const practice = response.data!.node;
    expect(practice).toMatchObject({ status: 'PUBLISHED', commentCount: 50 });
    const top = practice.comments.edges as { node: { replies: { edges: unknown[] } } }[];
    expect(top.length + top.reduce((n, e) => n + e.node.replies.edges.length, 0)).toBe(50);
    const me = await api.gql('{ me { roles organisation { kind } } }', {}, result.tokens.contributor);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({ roles: ['CONTRIBUTOR'], organisation: { kind: 'UK_COUNCIL' } });
    const overseas = await api.gql('{ me { roles organisation { kind } } }', {}, result.tokens.overseas);
    expect(overseas.data!.me.organisation.kind).toBe('OVERSEAS_AUTHORITY');
  });

  it('finds the search terms, and the TLP_CLEAR practice anonymously', async () => {
    for (const term of [result.search.common, result.search.rare]) {
      const found = await api.gql(PAGE, { f: { query: term } }, result.tokens.contributor);
      expect(found.errors).toBeUndefined();
      expect(found.data!.practices.edges.length).toBeGreaterThan(0);
    }
    const common = await api.gql(PAGE, { f: { query: result.search.common } }, result.tokens.contributor);
    const rare = await api.gql(PAGE, { f: { query: result.search.rare } }, result.tokens.contributor);
    expect(common.data!.practices.edges.length).toBeGreaterThan(rare.data!.practices.edges.length);
    const clear = await api.gql('query($id: ID!) { node(id: $id) { ... on Practice { visibility status } } }', { id: result.practices.clear });
    expect(clear.data!.node).toEqual({ visibility: 'TLP_CLEAR', status: 'PUBLISHED' });
  });

  it('never shows a practice above TLP_CLEAR to an anonymous caller', async () => {
    const seen: { id: string; visibility: string; status: string }[] = [];
    for (const filter of [undefined, { query: result.search.common }]) {
      let after: string | null = null;
      do {
        const page: GraphqlResponse<{ practices: Listed }> = await api.gql<{ practices: Listed }>(PAGE, { after, f: filter });
        expect(page.errors).toBeUndefined();
        const practices: Listed = page.data!.practices;
        seen.push(...practices.edges.map((e) => e.node));
        after = practices.pageInfo.hasNextPage ? practices.pageInfo.endCursor : null;
      } while (after);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((p) => p.visibility !== 'TLP_CLEAR')).toEqual([]);
    const [{ n }] = (await query<{ n: number }>(
      url,
      "SELECT count(*)::int AS n FROM practice WHERE visibility = 'TLP_CLEAR' AND status = 'PUBLISHED' AND hidden_at IS NULL",
    )) as [{ n: number }];
    expect(new Set(seen.map((p) => p.id)).size).toBe(n);
    const [green] = await query<{ id: string }>(url, "SELECT id::text FROM practice WHERE visibility = 'TLP_GREEN' AND status = 'PUBLISHED' LIMIT 1");
    const { toGlobalId } = await import('#identity');
    const hidden = await api.gql('query($id: ID!) { node(id: $id) { id } }', { id: toGlobalId('Practice', green!.id) });
    expect(hidden.data?.node ?? null).toBeNull();
    expect(parseGlobalId(result.practices.clear)?.type).toBe('Practice');
  });

  it('gives the same data for the same seed, and other data for another', async () => {
    const again = await freshDatabaseUrl();
    await seedDatabase(again, { seed: 11, sizes, anchor: ANCHOR, jobs: 1, progress: quiet() });
    const other = await freshDatabaseUrl();
    await seedDatabase(other, { seed: 12, sizes: { ...sizes, comments: 100, adoptions: 10, subscriptions: 10 }, anchor: ANCHOR, jobs: 2, progress: quiet() });
    const first = await checksum(url);
    expect(await checksum(again)).toBe(first);
    const [titles] = await query<{ a: string }>(url, "SELECT md5(string_agg(title, '|' ORDER BY id)) AS a FROM practice");
    const [otherTitles] = await query<{ a: string }>(other, "SELECT md5(string_agg(title, '|' ORDER BY id)) AS a FROM practice");
    expect(otherTitles!.a).not.toBe(titles!.a);
  }, 240_000);
});
