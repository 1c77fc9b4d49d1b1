import { parseFeed } from '@rowanmanning/feed-parser';
import { Role, toGlobalId } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * `GET /feeds/practices.atom` over real HTTP, read by a real feed parser: only published, visible TLP_CLEAR practices
 * (the public read rule, whoever asks), every value escaped, and conditional requests answered with 304.
 */

const PUBLIC_URL = 'https://px.example';
const RESOLVE = `mutation($id: ID!) { resolveFlag(input: { id: $id, action: HIDE }) { id status } }`;
const NASTY = `<script>alert("x") & co</script>`;

describe('public Atom feed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL });
  });
  afterAll(() => t.close());

  function getFeed(headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${t.baseUrl}/feeds/practices.atom`, { headers });
  }

  async function feedTitles(): Promise<string[]> {
    const response = await getFeed();
    expect(response.status).toBe(200);
    return parseFeed(await response.text()).items.map((item) => item.title!);
  }

  async function author(): Promise<TestMember> {
    return createMember(t.app, await createOrganisation(t.app));
  }

  it('carries exactly the published TLP_CLEAR practices, read by a real parser, whoever asks', async () => {
    const run = unique();
    const writer = await author();
    const partner = await createOrganisation(t.app);
    const clear = [
      await createPractice(t.app, writer, { visibility: Visibility.TLP_CLEAR, title: `${run} clear one`, summary: 'Clear summary.' }),
      await createPractice(t.app, await author(), { visibility: Visibility.TLP_CLEAR, title: `${run} clear two` }),
    ];
    const others = [
      await createPractice(t.app, writer, { visibility: Visibility.TLP_GREEN, title: `${run} green` }),
      await createPractice(t.app, writer, { visibility: Visibility.TLP_AMBER, audience: [partner], title: `${run} amber` }),
      await createPractice(t.app, writer, { visibility: Visibility.TLP_AMBER_STRICT, title: `${run} amber strict` }),
      await createPractice(t.app, writer, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, title: `${run} clear draft` }),
      await createPractice(t.app, writer, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.ARCHIVED, title: `${run} clear archived` }),
    ];

    // Signed in as the author, whose organisation may read all of them: the feed is still the public one.
    const response = await getFeed({ authorization: `Bearer ${writer.token}` });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const feed = parseFeed(await response.text());
    expect(feed.meta.type).toBe('atom');
    expect(feed.self).toBe(`${PUBLIC_URL}/feeds/practices.atom`);
    const ours = feed.items.filter((item) => item.title!.startsWith(run));
    expect(ours.map((item) => item.title).sort()).toEqual(clear.map((p) => p.title).sort());
    for (const other of others) expect(feed.items.map((item) => item.title)).not.toContain(other.title);

    const first = ours.find((item) => item.title === clear[0]!.title)!;
    const [row] = await t.dataSource.query(
      `SELECT p.published_at, p.updated_at, o.name FROM practice p JOIN organisation o ON o.id = p.organisation_id WHERE p.id = $1`,
      [clear[0]!.id],
    );
    expect(first.id).toBe(`urn:uuid:${clear[0]!.id}`);
    expect(first.url).toBe(`${PUBLIC_URL}/practices/${toGlobalId('Practice', clear[0]!.id)}`);
    expect(first.description).toBe('Clear summary.');
    expect(first.authors.map((a) => a.name)).toEqual([row.name]);
    expect(first.published?.toISOString()).toBe(row.published_at.toISOString());
    expect(first.updated?.toISOString()).toBe(row.updated_at.toISOString());

    // Every entry of the whole feed, not only this test's, is a published, visible TLP_CLEAR practice.
    const ids = feed.items.map((item) => item.id!.replace(/^urn:uuid:/, ''));
    const rows = await t.dataSource.query(`SELECT visibility, status, hidden_at FROM practice WHERE id = ANY($1::uuid[])`, [ids]);
    expect(rows).toHaveLength(ids.length);
    for (const r of rows) expect(r).toEqual({ visibility: 'TLP_CLEAR', status: 'PUBLISHED', hidden_at: null });
  });

  it('leaves out a practice once a moderator hides it', async () => {
    const practice = await createPractice(t.app, await author(), { visibility: Visibility.TLP_CLEAR, title: `${unique()} to be hidden` });
    expect(await feedTitles()).toContain(practice.title);
    const flag = await createFlag(t.app, await author(), practice.gid);
    const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);

    const resolved = await t.gql(RESOLVE, { id: flag.gid }, moderator.token);

    expect(resolved.errors).toBeUndefined();
    const [row] = await t.dataSource.query(`SELECT hidden_at FROM practice WHERE id = $1`, [practice.id]);
    expect(row.hidden_at).not.toBeNull();
    expect(await feedTitles()).not.toContain(practice.title);
  });

  it('returns a title full of markup as that text, and the document holds no <script> element', async () => {
    const practice = await createPractice(t.app, await author(), { visibility: Visibility.TLP_CLEAR, title: NASTY, summary: `Summary with ${NASTY}` });

    const response = await getFeed();

    const xml = await response.text();
    expect(xml).not.toMatch(/<script/i);
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;) &amp; co&lt;/script&gt;');
    const item = parseFeed(xml).items.find((i) => i.id === `urn:uuid:${practice.id}`)!;
    expect(item.title).toBe(NASTY);
    expect(item.description).toBe(`Summary with ${NASTY}`);
  });

  it('sends a strong ETag and Last-Modified, and answers a matching If-None-Match with an empty 304', async () => {
    await createPractice(t.app, await author(), { visibility: Visibility.TLP_CLEAR });
    const first = await getFeed();
    const body = await first.text();
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    const [newest] = await t.dataSource.query(
      `SELECT max(updated_at) AS at FROM practice WHERE status = 'PUBLISHED' AND visibility = 'TLP_CLEAR' AND hidden_at IS NULL`,
    );
    expect(lastModified).toBe(new Date(newest.at).toUTCString());
    expect(parseFeed(body).updated?.toISOString()).toBe(new Date(newest.at).toISOString());
    const head = await fetch(`${t.baseUrl}/feeds/practices.atom`, { method: 'HEAD' });
    expect([head.status, head.headers.get('etag'), head.headers.get('content-length')]).toEqual([200, etag, String(Buffer.byteLength(body))]);

    const again = await getFeed({ 'if-none-match': etag });

    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-type')).toBeNull();
    expect((await getFeed({ 'if-none-match': `"stale", W/${etag}` })).status).toBe(304);
    expect((await getFeed({ 'if-none-match': '"stale"' })).status).toBe(200);
    // If-None-Match decides when present, even beside an If-Modified-Since that alone would give a 304.
    expect((await getFeed({ 'if-none-match': '"stale"', 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() })).status).toBe(200);
  });

  it('answers If-Modified-Since at or after Last-Modified with 304, and an older one with the feed', async () => {
    await createPractice(t.app, await author(), { visibility: Visibility.TLP_CLEAR });
    const lastModified = (await getFeed()).headers.get('last-modified')!;

    const future = await getFeed({ 'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString() });

    expect(future.status).toBe(304);
    expect(await future.text()).toBe('');
    expect((await getFeed({ 'if-modified-since': lastModified })).status).toBe(304);
    expect((await getFeed({ 'if-modified-since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).status).toBe(200);
    expect((await getFeed({ 'if-modified-since': 'not a date' })).status).toBe(200);
  });

  it('changes its ETag when a new TLP_CLEAR practice is published, so a conditional request gets the new feed', async () => {
    const writer = await author();
    const before = await getFeed();
    const etag = before.headers.get('etag')!;
    const draft = await createPractice(t.app, writer, { visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, title: `${unique()} fresh` });
    expect((await getFeed({ 'if-none-match': etag })).status).toBe(304);

    const published = await t.gql(`mutation($id: ID!) { publishPractice(input: { id: $id }) { status } }`, { id: draft.gid }, writer.token);

    expect(published.errors).toBeUndefined();
    const after = await getFeed({ 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(parseFeed(await after.text()).items.map((i) => i.title)).toContain(draft.title);
  });
});
