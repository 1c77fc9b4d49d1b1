import { randomBytes } from 'node:crypto';
import { OrganisationKind, Role, toGlobalId } from '#identity';
import { PracticeService, PracticeStatus, TOPIC_VOCABULARY, tagSlug, Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type PracticeOptions, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type GraphqlResponse, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * Lists and search through GraphQL: full-text ranking and snippets, every filter, the orders, keyset pages (also
 * while searching), organisations and tags. Tests share one database, so each isolates its practices with a tag or
 * an organisation of its own and compares the API with what the tables say.
 */

/** A word of letters only, so the English stemmer leaves it alone and no other practice contains it. */
const uniqueWord = (prefix: string) =>
  `${prefix}${randomBytes(5)
    .toString('hex')
    .replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)]!)}`;

const LIST = `query($filter: PracticeFilter, $orderBy: PracticeOrder, $first: Int, $after: String) {
  practices(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    edges { cursor snippet node { id title status publishedAt updatedAt organisation { slug } } }
    pageInfo { hasNextPage hasPreviousPage endCursor } } }`;

describe('search and lists through the API', () => {
  let t: TestApp;
  let reader: TestMember;
  beforeAll(async () => {
    t = await startTestApp();
    reader = await createMember(t.app, await createOrganisation(t.app));
  });
  afterAll(() => t.close());

  async function author(overrides: Parameters<typeof createOrganisation>[1] = {}): Promise<TestMember> {
    return createMember(t.app, await createOrganisation(t.app, overrides));
  }

  async function list(filter: Record<string, unknown>, options: { orderBy?: string; first?: number; after?: string | null; token?: string } = {}) {
    const response = await t.gql(LIST, { filter, orderBy: options.orderBy, first: options.first, after: options.after }, options.token ?? reader.token);
    expect(response.errors).toBeUndefined();
    return response.data!.practices as {
      edges: { cursor: string; snippet: string | null; node: any }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  }

  const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);
  const gids = (rows: { id: string }[]) => rows.map((r) => toGlobalId('Practice', r.id));

  describe('full-text search', () => {
    it('ranks a practice with the word in its title above one with it only in the body, with English stemming', async () => {
      const tag = `Search rank ${unique()}`;
      const writer = await author();
      const inBody = await createPractice(t.app, writer, {
        tags: [tag],
        title: 'Support for elected members',
        approach: 'Every councillor gets a security briefing.',
      });
      const inTitle = await createPractice(t.app, writer, { tags: [tag], title: 'Councillor safety at surgeries', approach: 'Briefings and panic alarms.' });
      await createPractice(t.app, writer, { tags: [tag], title: 'Unrelated', approach: 'Nothing about elected members here.' });

      const result = await list({ query: 'councillors', tags: [tag] });

      expect(ids(result)).toEqual([inTitle.gid, inBody.gid]);
      const ranked = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN practice_tag pt ON pt.practice_id = p.id JOIN tag tg ON tg.id = pt.tag_id
         WHERE tg.slug = $1 AND p.search_vector @@ websearch_to_tsquery('english', 'councillors')
         ORDER BY ts_rank_cd(p.search_vector, websearch_to_tsquery('english', 'councillors')) DESC`,
        [tagSlug(tag)],
      );
      expect(gids(ranked)).toEqual([inTitle.gid, inBody.gid]);
    });

    it('marks the matched words with <mark> in an HTML-escaped snippet', async () => {
      const tag = `Search snippet ${unique()}`;
      const writer = await author();
      const practice = await createPractice(t.app, writer, {
        tags: [tag],
        title: 'Briefings',
        approach: 'We told every councillor & agent: "don\'t click" <script>alert(1)</script> when risk < 5 and cost > 2.',
      });

      const result = await list({ query: 'councillors', tags: [tag] });

      expect(ids(result)).toEqual([practice.gid]);
      const snippet = result.edges[0]!.snippet!;
      expect(snippet).toContain('<mark>councillor</mark> &amp; agent: &quot;don&#39;t click&quot;');
      expect(snippet).toContain('risk &lt; 5 and cost &gt; 2');
      expect(snippet).not.toContain('<script');
      expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
      const [row] = await t.dataSource.query(`SELECT approach FROM practice WHERE id = $1`, [practice.id]);
      expect(row.approach).toContain('<script>alert(1)</script>');
    });

    it('a list without a query has no snippets', async () => {
      const tag = `No snippet ${unique()}`;
      const practice = await createPractice(t.app, await author(), { tags: [tag] });

      const result = await list({ tags: [tag] });

      expect(result.edges.map((e) => [e.node.id, e.snippet])).toEqual([[practice.gid, null]]);
    });
  });

  describe('filters', () => {
    it('tags match by label or slug, normalised', async () => {
      const suffix = unique();
      const writer = await author();
      const tagged = await createPractice(t.app, writer, { tags: [`Cyber Security ${suffix}`] });
      await createPractice(t.app, writer, { tags: [`Other ${suffix}`] });
      const [stored] = await t.dataSource.query(`SELECT slug FROM tag WHERE slug = $1`, [`cyber-security-${suffix}`]);
      expect(stored).toEqual({ slug: `cyber-security-${suffix}` });

      for (const spelling of [`cyber-security-${suffix}`, `  CYBER   security ${suffix} `, `Cyber_Security-${suffix}`]) {
        const result = await list({ tags: [spelling] });
        expect({ spelling, ids: ids(result) }).toEqual({ spelling, ids: [tagged.gid] });
      }
    });

    it.each([[['#!']], [['Phishing', '#!']]])(
      'a tag with no letters or digits is refused, alone or among others, as a digest filter refuses it: %j',
      async (tags) => {
        const tag = `Punctuation ${unique()}`;
        await createPractice(t.app, await author(), { tags: [tag] });

        const response = await t.gql(LIST, { filter: { tags } }, reader.token);

        // Dropping it would widen the list, to every practice when it stands alone.
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.errors![0]!.message).toBe('filter.tags: "#!" has no letters or digits');
        expect(await t.dataSource.query(`SELECT 1 FROM tag WHERE slug = ''`)).toEqual([]);
      },
    );

    it("organisationSlugs keeps the named organisations' practices", async () => {
      const tag = `Org filter ${unique()}`;
      const a = await author();
      const b = await author();
      const c = await author();
      const fromA = await createPractice(t.app, a, { tags: [tag] });
      const fromB = await createPractice(t.app, b, { tags: [tag] });
      await createPractice(t.app, c, { tags: [tag] });
      const slugs = await t.dataSource.query(`SELECT slug FROM organisation WHERE id = ANY($1) ORDER BY slug`, [
        [a.member.organisationId, b.member.organisationId],
      ]);

      const result = await list({ tags: [tag], organisationSlugs: [slugs[0].slug.toUpperCase(), slugs[1].slug] });

      expect(ids(result).sort()).toEqual([fromA.gid, fromB.gid].sort());
    });

    it('organisationKinds keeps practices of organisations of those kinds', async () => {
      const tag = `Kind filter ${unique()}`;
      const council = await author({ kind: OrganisationKind.UK_COUNCIL });
      const overseas = await author({ kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'EE' });
      await createPractice(t.app, council, { tags: [tag] });
      const abroad = await createPractice(t.app, overseas, { tags: [tag] });

      const result = await list({ tags: [tag], organisationKinds: ['OVERSEAS_AUTHORITY'] });

      expect(ids(result)).toEqual([abroad.gid]);
      const [row] = await t.dataSource.query(`SELECT o.kind FROM practice p JOIN organisation o ON o.id = p.organisation_id WHERE p.id = $1`, [abroad.id]);
      expect(row.kind).toBe('OVERSEAS_AUTHORITY');
    });

    it('countries keeps practices of organisations in those countries, whatever the case', async () => {
      const tag = `Country filter ${unique()}`;
      const british = await author({ country: 'GB' });
      const estonian = await author({ kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'EE' });
      const latvian = await author({ kind: OrganisationKind.OVERSEAS_AUTHORITY, country: 'LV' });
      await createPractice(t.app, british, { tags: [tag] });
      const fromEe = await createPractice(t.app, estonian, { tags: [tag] });
      const fromLv = await createPractice(t.app, latvian, { tags: [tag] });

      const result = await list({ tags: [tag], countries: ['ee', 'LV'] });

      expect(ids(result).sort()).toEqual([fromEe.gid, fromLv.gid].sort());
    });

    it("status DRAFT lists drafts of the caller's own organisation only", async () => {
      const tag = `Draft filter ${unique()}`;
      const mine = await author();
      const theirs = await author();
      const colleague = await createMember(t.app, (await t.dataSource.query(`SELECT * FROM organisation WHERE id = $1`, [mine.member.organisationId]))[0]);
      const myDraft = await createPractice(t.app, mine, { tags: [tag], status: PracticeStatus.DRAFT });
      await createPractice(t.app, theirs, { tags: [tag], status: PracticeStatus.DRAFT });
      await createPractice(t.app, mine, { tags: [tag] });

      const result = await list({ tags: [tag], status: 'DRAFT' }, { token: colleague.token });

      expect(ids(result)).toEqual([myDraft.gid]);
      expect(result.edges[0]!.node.status).toBe('DRAFT');
      const drafts = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN practice_tag pt ON pt.practice_id = p.id JOIN tag tg ON tg.id = pt.tag_id WHERE tg.slug = $1 AND p.status = 'DRAFT'`,
        [tagSlug(tag)],
      );
      expect(drafts).toHaveLength(2);
      const outsider = await list({ tags: [tag], status: 'DRAFT' });
      expect(ids(outsider)).toEqual([]);
    });

    it('publishedAfter keeps practices published after the instant', async () => {
      const tag = `Published after ${unique()}`;
      const writer = await author();
      await createPractice(t.app, writer, { tags: [tag], publishedAt: new Date('2024-01-15T12:00:00Z') });
      const later = await createPractice(t.app, writer, { tags: [tag], publishedAt: new Date('2024-06-15T12:00:00Z') });

      const result = await list({ tags: [tag], publishedAfter: '2024-03-01T00:00:00.000Z' });

      expect(ids(result)).toEqual([later.gid]);
      expect(result.edges[0]!.node.publishedAt).toBe('2024-06-15T12:00:00.000Z');
    });
  });

  describe('orders', () => {
    it('NEWEST lists by publishedAt, newest first', async () => {
      const tag = `Newest ${unique()}`;
      const writer = await author();
      const march = await createPractice(t.app, writer, { tags: [tag], publishedAt: new Date('2024-03-01T00:00:00Z') });
      const may = await createPractice(t.app, writer, { tags: [tag], publishedAt: new Date('2024-05-01T00:00:00Z') });
      const january = await createPractice(t.app, writer, { tags: [tag], publishedAt: new Date('2024-01-01T00:00:00Z') });

      const result = await list({ tags: [tag] }, { orderBy: 'NEWEST' });

      expect(ids(result)).toEqual([may.gid, march.gid, january.gid]);
      const rows = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN practice_tag pt ON pt.practice_id = p.id JOIN tag tg ON tg.id = pt.tag_id WHERE tg.slug = $1 ORDER BY p.published_at DESC`,
        [tagSlug(tag)],
      );
      expect(gids(rows)).toEqual(ids(result));
      const byDefault = await list({ tags: [tag] });
      expect(ids(byDefault)).toEqual(ids(result));
    });

    it('RECENTLY_UPDATED lists the most recently edited practice first', async () => {
      const tag = `Updated ${unique()}`;
      const writer = await author();
      const edited = await createPractice(t.app, writer, { tags: [tag] });
      const second = await createPractice(t.app, writer, { tags: [tag] });
      const third = await createPractice(t.app, writer, { tags: [tag] });
      await new Promise((resolve) => setTimeout(resolve, 5));
      await t.app.get(PracticeService).update(writer.actor, edited.id, { expectedRevision: edited.revision, summary: 'Edited last.' });

      const result = await list({ tags: [tag] }, { orderBy: 'RECENTLY_UPDATED' });

      const rows = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN practice_tag pt ON pt.practice_id = p.id JOIN tag tg ON tg.id = pt.tag_id WHERE tg.slug = $1 ORDER BY p.updated_at DESC, p.id DESC`,
        [tagSlug(tag)],
      );
      expect(gids(rows)[0]).toBe(edited.gid);
      expect(ids(result)).toEqual(gids(rows));
      expect(ids(result).slice(1).sort()).toEqual([second.gid, third.gid].sort());
    });

    it('RELEVANCE without a query is BAD_USER_INPUT', async () => {
      const response = await t.gql(LIST, { filter: { tags: ['phishing'] }, orderBy: 'RELEVANCE' }, reader.token);

      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toMatch(/RELEVANCE/);
      expect(response.data).toBeNull();
    });
  });

  describe('keyset pages over 25 practices', () => {
    let orgSlug: string;
    let word: string;
    beforeAll(async () => {
      word = uniqueWord('pagin');
      const writer = await author();
      orgSlug = (await t.dataSource.query(`SELECT slug FROM organisation WHERE id = $1`, [writer.member.organisationId]))[0].slug;
      const base = Date.parse('2024-02-01T00:00:00Z');
      for (let i = 0; i < 25; i += 1) {
        // Ranks differ (title, summary or body; once or twice) and some publication times tie, to test both keys.
        const options: PracticeOptions = {
          title: i % 3 === 0 ? `Practice ${i} on ${word}` : `Practice ${i}`,
          summary: i % 3 === 1 ? `A summary about ${word}.` : 'A summary.',
          approach: i % 3 === 2 ? `We applied ${word} and ${i % 2 ? word : 'more'}.` : `We applied it and ${word}.`,
          publishedAt: new Date(base + Math.floor(i / 2) * 60_000),
        };
        await createPractice(t.app, writer, options);
      }
    });

    async function pageThrough(filter: Record<string, unknown>, orderBy?: string) {
      const seen: string[] = [];
      const pages: { size: number; hasNextPage: boolean }[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 10; guard += 1) {
        const page = await list(filter, { first: 10, after, orderBy });
        seen.push(...ids(page));
        pages.push({ size: page.edges.length, hasNextPage: page.pageInfo.hasNextPage });
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      return { seen, pages };
    }

    const threePages = [
      { size: 10, hasNextPage: true },
      { size: 10, hasNextPage: true },
      { size: 5, hasNextPage: false },
    ];

    it('first: 10 with after: endCursor visits all 25 exactly once, newest first', async () => {
      const { seen, pages } = await pageThrough({ organisationSlugs: [orgSlug] });

      expect(pages).toEqual(threePages);
      expect(new Set(seen).size).toBe(25);
      const rows = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN organisation o ON o.id = p.organisation_id WHERE o.slug = $1 ORDER BY p.published_at DESC, p.id DESC`,
        [orgSlug],
      );
      expect(seen).toEqual(gids(rows));
    });

    it('also while searching, in RELEVANCE order', async () => {
      const { seen, pages } = await pageThrough({ organisationSlugs: [orgSlug], query: word }, 'RELEVANCE');

      expect(pages).toEqual(threePages);
      expect(new Set(seen).size).toBe(25);
      const rows = await t.dataSource.query(
        `SELECT p.id FROM practice p JOIN organisation o ON o.id = p.organisation_id
         WHERE o.slug = $1 AND p.search_vector @@ websearch_to_tsquery('english', $2)
         ORDER BY ts_rank_cd(p.search_vector, websearch_to_tsquery('english', $2)) DESC, p.id DESC`,
        [orgSlug, word],
      );
      expect(seen).toEqual(gids(rows));
    });
  });

  it('organisations(first, after) pages through every organisation by slug', async () => {
    for (let i = 0; i < 3; i += 1) await createOrganisation(t.app, { slug: `page-org-${unique()}` });
    const expected = (await t.dataSource.query(`SELECT slug FROM organisation ORDER BY slug`)).map((r: { slug: string }) => r.slug);
    expect(expected.length).toBeGreaterThan(3);

    const seen: string[] = [];
    let after: string | null = null;
    let lastHasNext = true;
    for (let guard = 0; guard < 100 && lastHasNext; guard += 1) {
      const response = await t.gql(
        `query($after: String) { organisations(first: 3, after: $after) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        reader.token,
      );
      expect(response.errors).toBeUndefined();
      const connection: any = response.data!.organisations;
      seen.push(...connection.edges.map((e: any) => e.node.slug));
      lastHasNext = connection.pageInfo.hasNextPage;
      after = connection.pageInfo.endCursor;
    }

    expect(lastHasNext).toBe(false);
    expect(seen).toEqual(expected);
  });

  it('tags lists the curated topics and free tags in use, with counts of readable practices', async () => {
    const suffix = unique();
    const writer = await author();
    const stranger = await author();
    await createPractice(t.app, writer, { tags: [`Free ${suffix}`, 'Deepfakes'] });
    await createPractice(t.app, writer, { tags: [`Free ${suffix}`], visibility: Visibility.TLP_CLEAR });
    await createPractice(t.app, stranger, { tags: [`Free ${suffix}`], visibility: Visibility.TLP_AMBER_STRICT });
    await createPractice(t.app, stranger, { tags: [`Unused ${suffix}`], status: PracticeStatus.DRAFT });

    const nodes: { slug: string; label: string; curated: boolean; practiceCount: number }[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard += 1) {
      const response: GraphqlResponse = await t.gql(
        `query($after: String) { tags(first: 100, after: $after) { edges { node { slug label curated practiceCount } } pageInfo { hasNextPage endCursor } } }`,
        { after },
        reader.token,
      );
      expect(response.errors).toBeUndefined();
      nodes.push(...response.data!.tags.edges.map((e: any) => e.node));
      if (!response.data!.tags.pageInfo.hasNextPage) break;
      after = response.data!.tags.pageInfo.endCursor;
    }

    const curated = nodes.filter((n) => n.curated).map((n) => n.slug);
    expect(curated.sort()).toEqual(TOPIC_VOCABULARY.map(tagSlug).sort());
    const curatedRows = await t.dataSource.query(`SELECT slug FROM tag WHERE curated ORDER BY slug`);
    expect(curated).toEqual(curatedRows.map((r: { slug: string }) => r.slug));
    expect(nodes.find((n) => n.slug === `free-${suffix}`)).toEqual({ slug: `free-${suffix}`, label: `Free ${suffix}`, curated: false, practiceCount: 2 });
    expect(nodes.find((n) => n.slug === `unused-${suffix}`)).toBeUndefined();
    expect(nodes.find((n) => n.slug === 'deepfakes')).toMatchObject({ curated: true, practiceCount: expect.any(Number) });
    expect(nodes.find((n) => n.slug === 'deepfakes')!.practiceCount).toBeGreaterThanOrEqual(1);
    const [stored] = await t.dataSource.query(`SELECT count(*)::int AS n FROM practice_tag pt JOIN tag tg ON tg.id = pt.tag_id WHERE tg.slug = $1`, [
      `free-${suffix}`,
    ]);
    expect(stored.n).toBe(3);
  });

  it('organisation(slug:) is null for an unknown slug', async () => {
    const slug = `no-such-org-${unique()}`;

    const response = await t.gql(`query($slug: String!) { organisation(slug: $slug) { slug name } }`, { slug }, reader.token);

    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ organisation: null });
    expect(await t.dataSource.query(`SELECT 1 FROM organisation WHERE slug = $1`, [slug])).toEqual([]);
  });

  it("organisation(slug:) lists that organisation's readable practices", async () => {
    const org = await createOrganisation(t.app);
    const writer = await createMember(t.app, org, [Role.CONTRIBUTOR]);
    const published = await createPractice(t.app, writer);
    await createPractice(t.app, writer, { status: PracticeStatus.DRAFT });
    await createPractice(t.app, writer, { visibility: Visibility.TLP_AMBER_STRICT });

    const response = await t.gql(
      `query($slug: String!) { organisation(slug: $slug) { slug practices { edges { node { id } } } } }`,
      { slug: org.slug },
      reader.token,
    );

    expect(response.errors).toBeUndefined();
    expect(response.data!.organisation).toEqual({ slug: org.slug, practices: { edges: [{ node: { id: published.gid } }] } });
  });
});
