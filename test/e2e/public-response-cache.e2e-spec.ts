import { Role, SESSION_COOKIE, SessionService } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unique } from '../support/unique.js';

/**
 * PUBLIC_CACHE_SECONDS: anonymous answers to public list queries may be served again for a few seconds. It must never
 * answer a caller with credentials, never keep an answer a caller with credentials caused, and a write through this
 * process must show at once. The factories write through the services, not over HTTP: for the cache that is a write
 * by another process, which shows within the time set.
 */

const LIST = `query($slugs: [String!]) { practices(first: 50, filter: { organisationSlugs: $slugs }) { edges { node { title visibility } } } }`;
const ARCHIVE = `mutation($id: ID!) { archivePractice(input: { id: $id }) { id status } }`;
const RESOLVE = `mutation($id: ID!) { resolveFlag(input: { id: $id, action: HIDE }) { id status } }`;

describe('response cache for anonymous public lists', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_CACHE_SECONDS: '1' });
  });
  afterAll(() => t.close());

  async function titles(slug: string, headers: Record<string, string> = {}): Promise<string[]> {
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: LIST, variables: { slugs: [slug] } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data.practices.edges.map((e: { node: { title: string } }) => e.node.title).sort();
  }

  async function writer(): Promise<TestMember & { slug: string }> {
    const organisation = await createOrganisation(t.app);
    return { ...(await createMember(t.app, organisation)), slug: organisation.slug };
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('serves anonymous callers again for the time set, then reads afresh', async () => {
    const run = unique();
    const author = await writer();
    await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${run} first` });
    expect(await titles(author.slug)).toEqual([`${run} first`]);

    await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${run} second` });

    expect(await titles(author.slug)).toEqual([`${run} first`]);
    await sleep(1_100);
    expect(await titles(author.slug)).toEqual([`${run} first`, `${run} second`]);
  });

  it('never answers a token or a session from the cache: they see their GREEN practice', async () => {
    const run = unique();
    const author = await writer();
    await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${run} clear` });
    await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, title: `${run} green` });
    expect(await titles(author.slug)).toEqual([`${run} clear`]);

    expect(await titles(author.slug, { authorization: `Bearer ${author.token}` })).toEqual([`${run} clear`, `${run} green`]);
    const { cookie } = await t.app.get(SessionService).start(author.member, { identityProviderId: null, nameId: null, sessionIndex: null, userAgent: null });
    expect(await titles(author.slug, { cookie: `${SESSION_COOKIE}=${encodeURIComponent(cookie)}` })).toEqual([`${run} clear`, `${run} green`]);
    // And anonymous callers still get the public answer.
    expect(await titles(author.slug)).toEqual([`${run} clear`]);
  });

  it('never keeps what a caller with credentials was answered', async () => {
    const run = unique();
    const author = await writer();
    await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, title: `${run} green` });
    expect(await titles(author.slug, { authorization: `Bearer ${author.token}` })).toEqual([`${run} green`]);

    expect(await titles(author.slug)).toEqual([]);
  });

  it('does not serve a refused token the anonymous answer', async () => {
    const author = await writer();
    await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${unique()} clear` });
    await titles(author.slug);
    const response = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer pe_nonsense' },
      body: JSON.stringify({ query: LIST, variables: { slugs: [author.slug] } }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('drops an archived practice at once when this process archived it', async () => {
    const run = unique();
    const author = await writer();
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${run} clear` });
    expect(await titles(author.slug)).toEqual([`${run} clear`]);

    const archived = await t.gql(ARCHIVE, { id: practice.gid }, author.token);
    expect(archived.errors).toBeUndefined();
    expect(archived.data!.archivePractice.status).toBe(PracticeStatus.ARCHIVED);

    expect(await titles(author.slug)).toEqual([]);
  });

  it('drops a practice a moderator hid at once', async () => {
    const run = unique();
    const author = await writer();
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `${run} clear` });
    expect(await titles(author.slug)).toEqual([`${run} clear`]);
    const flag = await createFlag(t.app, await writer(), practice.gid);
    const moderator = await createMember(t.app, await createOrganisation(t.app), [Role.MODERATOR]);

    const resolved = await t.gql(RESOLVE, { id: flag.gid }, moderator.token);
    expect(resolved.errors).toBeUndefined();

    expect(await titles(author.slug)).toEqual([]);
  });
});
