import { Role } from '#identity';
import { Visibility } from '#practices';
import { createAdoption, createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Every connection refuses a forged or damaged cursor as BAD_USER_INPUT (INVALID_CURSOR), never a 500: garbage,
 * JSON that is not a key, keys of the wrong types or out of range, and cursors of other connections.
 */
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8').toString('base64url');

const UUID = '0b6f1c0e-3c55-4a4e-9a64-0c1de5b1f0a1';

/** Forged cursors; a few are real positions for one connection (a revision number, a search rank), named here. */
const VALID_FOR: Record<string, string> = { 'a small whole number': 'revisions', 'a rank and an id': 'practices by relevance' };

const FORGED: Record<string, string> = {
  'not base64 JSON': 'garbage',
  'base64 of no JSON': b64('{"unterminated'),
  'an object': b64({ createdAt: '2026-01-01T00:00:00.000Z', id: UUID }),
  'an empty key': b64([]),
  'strings that are no date or id': b64(['yesterday', 'someone']),
  numbers: b64([1, 2]),
  'a 30th of February': b64(['2026-02-30T10:00:00.000Z', UUID]),
  'a date in another spelling': b64(['2026-01-01 10:00:00+01', UUID]),
  'year zero': b64(['0000-01-01T00:00:00.000Z', UUID]),
  'an id that is no UUID': b64(['2026-01-01T00:00:00.000Z', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz']),
  'a slug with a NUL': b64(['kent\u0000']),
  'a small whole number': b64([5]),
  'a revision past 32 bits': b64([2 ** 31]),
  'a fractional revision': b64([1.5]),
  'a rank and an id': b64([0.5, UUID]),
  nulls: b64([null, null]),
};

interface Connection {
  name: string;
  /** The query with `$after`, run by `token`. */
  query: string;
  token: () => string | undefined;
  /** A cursor this connection really issued, to show a real one still works. */
  valid?: string;
  /** Keys of this shape are a position in the list, whatever list they came from: not forged for this connection. */
  sameShapeAs: (name: string) => boolean;
}

describe('forged cursors', () => {
  let t: TestApp;
  let admin: TestMember;
  let moderator: TestMember;
  let author: TestMember;
  const connections: Connection[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const organisation = await createOrganisation(t.app);
    [admin, moderator, author] = await Promise.all([
      createMember(t.app, organisation, [Role.PLATFORM_ADMIN]),
      createMember(t.app, organisation, [Role.MODERATOR]),
      createMember(t.app, organisation, [Role.CONTRIBUTOR]),
    ]);
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: 'Phishing drills for election staff' });
    const comment = await createComment(t.app, author, practice, 'A first comment.');
    await createComment(t.app, author, practice, 'A reply.', comment.id);
    await createAdoption(t.app, author, practice);
    await createFlag(t.app, author, practice.gid);
    const timestampAndId = (name: string) => ['practices', 'organisationPractices', 'auditEvents', 'flags', 'comments', 'replies', 'adoptions'].includes(name);
    const slug = (name: string) => ['organisations', 'tags'].includes(name);
    const page = '(first: 5, after: $after) { edges { cursor } }';
    connections.push(
      { name: 'practices', query: `query($after: String) { practices${page} }`, token: () => undefined, sameShapeAs: timestampAndId },
      {
        name: 'practices by relevance',
        query: `query($after: String) { practices(filter: { query: "phishing" }, first: 5, after: $after) { edges { cursor } } }`,
        token: () => undefined,
        sameShapeAs: () => false,
      },
      {
        name: 'organisationPractices',
        query: `query($after: String) { organisation(slug: "${organisation.slug}") { practices${page} } }`,
        token: () => undefined,
        sameShapeAs: timestampAndId,
      },
      { name: 'organisations', query: `query($after: String) { organisations${page} }`, token: () => undefined, sameShapeAs: slug },
      { name: 'tags', query: `query($after: String) { tags${page} }`, token: () => undefined, sameShapeAs: slug },
      { name: 'auditEvents', query: `query($after: String) { auditEvents${page} }`, token: () => admin.token, sameShapeAs: timestampAndId },
      { name: 'flags', query: `query($after: String) { flags${page} }`, token: () => moderator.token, sameShapeAs: timestampAndId },
      {
        name: 'comments',
        query: `query($after: String) { practice(id: "${practice.gid}") { comments${page} } }`,
        token: () => author.token,
        sameShapeAs: timestampAndId,
      },
      {
        name: 'replies',
        query: `query($after: String) { practice(id: "${practice.gid}") { comments(first: 1) { edges { node { replies${page} } } } } }`,
        token: () => author.token,
        sameShapeAs: timestampAndId,
      },
      {
        name: 'adoptions',
        query: `query($after: String) { practice(id: "${practice.gid}") { adoptions${page} } }`,
        token: () => author.token,
        sameShapeAs: timestampAndId,
      },
      {
        name: 'revisions',
        query: `query($after: String) { practice(id: "${practice.gid}") { revisions${page} } }`,
        token: () => author.token,
        sameShapeAs: () => false,
      },
    );
  });
  afterAll(() => t.close());

  /** The first cursor a connection hands out, found anywhere in its answer. */
  function firstCursor(data: unknown): string | undefined {
    const found = JSON.stringify(data).match(/"cursor":"([^"]+)"/);
    return found?.[1];
  }

  it('each connection issues cursors that work as after', async () => {
    for (const connection of connections) {
      const first = await t.gql(connection.query, { after: null }, connection.token());
      expect({ connection: connection.name, errors: first.errors }).toEqual({ connection: connection.name, errors: undefined });
      connection.valid = firstCursor(first.data);
      expect({ connection: connection.name, cursor: typeof connection.valid }).toEqual({ connection: connection.name, cursor: 'string' });
      const next = await t.gql(connection.query, { after: connection.valid }, connection.token());
      expect({ connection: connection.name, errors: next.errors }).toEqual({ connection: connection.name, errors: undefined });
    }
  });

  it.each(Object.keys(FORGED))('%s is BAD_USER_INPUT on every connection', async (label) => {
    for (const connection of connections.filter((c) => VALID_FOR[label] !== c.name)) {
      const response = await t.gql(connection.query, { after: FORGED[label] }, connection.token());
      expect({ connection: connection.name, status: response.status, code: errorCode(response), reason: response.errors?.[0]?.extensions?.reason }).toEqual({
        connection: connection.name,
        status: 200,
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_CURSOR',
      });
      expect(response.errors![0]!.message).toMatch(/not a cursor of this list/);
    }
  });

  it("a cursor of another connection is refused unless it has this connection's shape", async () => {
    const issued = new Map(connections.map((c) => [c.name, c.valid!]));
    for (const connection of connections) {
      for (const [from, cursor] of issued) {
        if (from === connection.name) continue;
        const response = await t.gql(connection.query, { after: cursor }, connection.token());
        const code = errorCode(response);
        expect({ connection: connection.name, from, code: code === undefined && connection.sameShapeAs(from) ? 'a position' : code }).toEqual({
          connection: connection.name,
          from,
          code: connection.sameShapeAs(from) ? 'a position' : 'BAD_USER_INPUT',
        });
      }
    }
  });
});
