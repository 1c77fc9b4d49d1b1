/**
 * The practice read rule (libs/practices/src/visibility/visibility.predicate.ts) against every read path of the API,
 * for every kind of viewer: a data-driven version of MISP's paired `test_sg_view_user_can_see` /
 * `test_sg_view_user_cannot_see` tests (MISP/MISP `tests/testlive_security.py`).
 *
 * Each row of the matrix is (practice scenario × viewer × read path), and asserts either "can see" (the practice, or
 * its comment, adoption or tag count, comes back) or "cannot see" (null, absent from the list, not counted).
 * Scenarios of the same TLP level pair up: the published TLP_CLEAR practice is the "can see" control of the DRAFT,
 * ARCHIVED and moderator-hidden TLP_CLEAR ones, which nobody (or only some) may see.
 *
 * Expected rule (docs/adr/0001-visibility-model.md; README, "Security"):
 * - anonymous callers see published TLP_CLEAR only;
 * - every member sees non-draft TLP_CLEAR and TLP_GREEN;
 * - TLP_AMBER: the author's organisation and the audience organisations;
 * - TLP_AMBER_STRICT: the author's organisation only;
 * - DRAFT: the author's organisation only, listed with filter {status: DRAFT};
 * - ARCHIVED: out of the default (PUBLISHED) lists, readable by id per its TLP (listed with {status: ARCHIVED});
 * - hidden by a moderator: nobody, anywhere, the author's own organisation and the moderator included.
 */
import { randomBytes } from 'node:crypto';
import { Role, toGlobalId } from '#identity';
import { AdoptionEntity, CommentEntity, PracticeStatus, Visibility, tagSlug } from '#practices';
import { createAdoption, createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ViewerKind = 'anonymous' | 'author' | 'colleague' | 'audience' | 'stranger' | 'moderator';

const VIEWERS: ViewerKind[] = ['anonymous', 'author', 'colleague', 'audience', 'stranger', 'moderator'];

const VIEWER_LABEL: Record<ViewerKind, string> = {
  anonymous: 'anonymous caller',
  author: 'the author',
  colleague: "member of the author's organisation",
  audience: 'member of the audience organisation',
  stranger: 'member of another organisation',
  moderator: 'MODERATOR of another organisation',
};

const MEMBERS: ViewerKind[] = ['author', 'colleague', 'audience', 'stranger', 'moderator'];
const OWN_ORGANISATION: ViewerKind[] = ['author', 'colleague'];

interface Scenario {
  key: string;
  label: string;
  visibility: Visibility;
  status: PracticeStatus;
  /** TLP_AMBER only: names the audience organisation. */
  withAudience?: boolean;
  /** Hidden through resolveFlag(action: HIDE) by a moderator. */
  hidden?: boolean;
  /** Who may read it by id; everyone else must not see it on any path. */
  readers: ViewerKind[];
}

const SCENARIOS: Scenario[] = [
  { key: 'clear', label: 'published TLP_CLEAR', visibility: Visibility.TLP_CLEAR, status: PracticeStatus.PUBLISHED, readers: ['anonymous', ...MEMBERS] },
  { key: 'green', label: 'published TLP_GREEN', visibility: Visibility.TLP_GREEN, status: PracticeStatus.PUBLISHED, readers: MEMBERS },
  {
    key: 'amber',
    label: 'published TLP_AMBER with an audience organisation',
    visibility: Visibility.TLP_AMBER,
    status: PracticeStatus.PUBLISHED,
    withAudience: true,
    readers: [...OWN_ORGANISATION, 'audience'],
  },
  { key: 'strict', label: 'published TLP_AMBER_STRICT', visibility: Visibility.TLP_AMBER_STRICT, status: PracticeStatus.PUBLISHED, readers: OWN_ORGANISATION },
  { key: 'draft-clear', label: 'DRAFT TLP_CLEAR', visibility: Visibility.TLP_CLEAR, status: PracticeStatus.DRAFT, readers: OWN_ORGANISATION },
  {
    key: 'draft-amber',
    label: 'DRAFT TLP_AMBER with an audience organisation',
    visibility: Visibility.TLP_AMBER,
    status: PracticeStatus.DRAFT,
    withAudience: true,
    readers: OWN_ORGANISATION,
  },
  { key: 'archived-clear', label: 'ARCHIVED TLP_CLEAR', visibility: Visibility.TLP_CLEAR, status: PracticeStatus.ARCHIVED, readers: MEMBERS },
  {
    key: 'archived-amber',
    label: 'ARCHIVED TLP_AMBER with an audience organisation',
    visibility: Visibility.TLP_AMBER,
    status: PracticeStatus.ARCHIVED,
    withAudience: true,
    readers: [...OWN_ORGANISATION, 'audience'],
  },
  { key: 'hidden', label: 'moderator-hidden TLP_CLEAR', visibility: Visibility.TLP_CLEAR, status: PracticeStatus.PUBLISHED, hidden: true, readers: [] },
];

/** What each scenario's beforeAll created. */
interface Fixture {
  gid: string;
  title: string;
  /** A word that appears in this practice's title and nowhere else. */
  word: string;
  /** A free tag on this practice only. */
  tagLabel: string;
  tagSlug: string;
  commentGid: string;
  adoptionGid: string;
}

/** Lower-case letters only, so the full-text parser keeps it as one word. */
function uniqueWord(): string {
  return `vm${[...randomBytes(10)].map((b) => String.fromCharCode(97 + (b % 26))).join('')}`;
}

/** A free tag that every scenario's practice carries, so its count adds up what each viewer may read. */
const SHARED_WORD = uniqueWord();
const SHARED_TAG = `Matrix shared ${SHARED_WORD}`;

let t: TestApp;
let authorOrgSlug: string;
const tokens = {} as Record<ViewerKind, string | undefined>;
const fixtures = new Map<string, Fixture>();

/** A GraphQL call that must succeed (no errors: an invisible row is null or absent, never an error). */
async function ask(query: string, variables: Record<string, unknown>, viewer: ViewerKind): Promise<Record<string, any>> {
  const response = await t.gql(query, variables, tokens[viewer]);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  expect(response.data).toBeTruthy();
  return response.data!;
}

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

// ---------------------------------------------------------------------------------------------------------------
// Read paths
// ---------------------------------------------------------------------------------------------------------------

const PRACTICE_BY_ID = `query($id: ID!) { practice(id: $id) { id title status visibility } }`;
const NODE_PRACTICE = `query($id: ID!) { node(id: $id) { __typename id ... on Practice { title status } } }`;
const LIST = `query($status: PracticeStatus) { practices(first: 100, filter: { status: $status }) { edges { node { id } } } }`;
const SEARCH = `query($q: String!, $status: PracticeStatus) {
  practices(first: 100, filter: { query: $q, status: $status }) { edges { node { id title } snippet } } }`;
const BY_TAG = `query($tag: String!, $status: PracticeStatus) { practices(first: 100, filter: { tags: [$tag], status: $status }) { edges { node { id } } } }`;
const ORGANISATION_LIST = `query($slug: String!, $status: PracticeStatus) {
  organisation(slug: $slug) { slug practices(first: 100, filter: { status: $status }) { edges { node { id } } } } }`;
const TAG_COUNTS = `query($search: String!) { tags(first: 100, search: $search) { edges { node { slug label practiceCount } } } }`;
const COMMENTS = `query($id: ID!) { practice(id: $id) { id commentCount comments(first: 100) { edges { node { id body } } } } }`;
const NODE_COMMENT = `query($id: ID!) { node(id: $id) { __typename id ... on Comment { body practice { id } } } }`;
const ADOPTIONS = `query($id: ID!, $adoption: ID!) {
  practice(id: $id) { id adoptionCount adoptions(first: 100) { edges { node { id } } } }
  node(id: $adoption) { __typename id ... on Adoption { practice { id } } } }`;

/** The status filter under which a reader finds this scenario's practice in lists. */
const listStatus = (s: Scenario) => s.status;

interface ListPath {
  name: string;
  /** The ids the viewer gets from this list; `status` undefined leaves the filter at its default (PUBLISHED). */
  list(f: Fixture, viewer: ViewerKind, status: PracticeStatus | undefined): Promise<string[]>;
  /** Whether a reader gets only this practice (a unique word or tag) rather than it among others. */
  exact: boolean;
}

const LIST_PATHS: ListPath[] = [
  {
    name: 'practices list',
    exact: false,
    list: async (_f, viewer, status) => ids((await ask(LIST, { status }, viewer)).practices),
  },
  {
    name: 'search practices(filter: {query})',
    exact: true,
    list: async (f, viewer, status) => ids((await ask(SEARCH, { q: f.word, status }, viewer)).practices),
  },
  {
    name: 'tag-filtered practices(filter: {tags})',
    exact: true,
    list: async (f, viewer, status) => ids((await ask(BY_TAG, { tag: f.tagLabel, status }, viewer)).practices),
  },
  {
    name: 'organisation(slug:) { practices }',
    exact: false,
    list: async (_f, viewer, status) => {
      const data = await ask(ORGANISATION_LIST, { slug: authorOrgSlug, status }, viewer);
      // Organisations are public: the organisation itself is always there, only its practices are filtered.
      expect(data.organisation?.slug).toBe(authorOrgSlug);
      return ids(data.organisation.practices);
    },
  },
];

interface ReadPath {
  name: string;
  canSee(s: Scenario, f: Fixture, viewer: ViewerKind): Promise<void>;
  cannotSee(s: Scenario, f: Fixture, viewer: ViewerKind): Promise<void>;
}

const READ_PATHS: ReadPath[] = [
  {
    name: 'practice(id:)',
    async canSee(s, f, viewer) {
      const data = await ask(PRACTICE_BY_ID, { id: f.gid }, viewer);
      expect(data.practice).toEqual({ id: f.gid, title: f.title, status: s.status, visibility: s.visibility });
    },
    async cannotSee(_s, f, viewer) {
      const data = await ask(PRACTICE_BY_ID, { id: f.gid }, viewer);
      expect(data.practice).toBeNull();
    },
  },
  {
    name: 'node(id:) of the practice',
    async canSee(s, f, viewer) {
      const data = await ask(NODE_PRACTICE, { id: f.gid }, viewer);
      expect(data.node).toEqual({ __typename: 'Practice', id: f.gid, title: f.title, status: s.status });
    },
    async cannotSee(_s, f, viewer) {
      const data = await ask(NODE_PRACTICE, { id: f.gid }, viewer);
      expect(data.node).toBeNull();
    },
  },
  ...LIST_PATHS.map((path): ReadPath => ({
    name: path.name,
    async canSee(s, f, viewer) {
      const listed = await path.list(f, viewer, listStatus(s));
      if (path.exact) expect(listed).toEqual([f.gid]);
      else expect(listed).toContain(f.gid);
    },
    async cannotSee(s, f, viewer) {
      const listed = await path.list(f, viewer, listStatus(s));
      if (path.exact) expect(listed).toEqual([]);
      else expect(listed).not.toContain(f.gid);
    },
  })),
  {
    name: 'tags { practiceCount } of its own tag',
    async canSee(_s, f, viewer) {
      const edges = (await ask(TAG_COUNTS, { search: f.word }, viewer)).tags.edges as { node: { slug: string; practiceCount: number } }[];
      expect(edges.map((e) => e.node)).toEqual([expect.objectContaining({ slug: f.tagSlug, practiceCount: 1 })]);
    },
    async cannotSee(_s, f, viewer) {
      // A free tag on no practice the viewer may read is left out altogether, so its label does not leak either.
      const edges = (await ask(TAG_COUNTS, { search: f.word }, viewer)).tags.edges as { node: { slug: string } }[];
      expect(edges).toEqual([]);
    },
  },
  {
    name: 'practice { comments commentCount }',
    async canSee(_s, f, viewer) {
      const data = await ask(COMMENTS, { id: f.gid }, viewer);
      expect(data.practice.commentCount).toBe(1);
      expect(ids(data.practice.comments)).toEqual([f.commentGid]);
    },
    async cannotSee(_s, f, viewer) {
      const data = await ask(COMMENTS, { id: f.gid }, viewer);
      expect(data.practice).toBeNull();
    },
  },
  {
    name: 'node(id:) of its comment',
    async canSee(_s, f, viewer) {
      const data = await ask(NODE_COMMENT, { id: f.commentGid }, viewer);
      expect(data.node).toEqual({ __typename: 'Comment', id: f.commentGid, body: expect.any(String), practice: { id: f.gid } });
    },
    async cannotSee(_s, f, viewer) {
      const data = await ask(NODE_COMMENT, { id: f.commentGid }, viewer);
      expect(data.node).toBeNull();
    },
  },
  {
    name: 'practice { adoptions adoptionCount } and node(id:) of its adoption',
    async canSee(_s, f, viewer) {
      const data = await ask(ADOPTIONS, { id: f.gid, adoption: f.adoptionGid }, viewer);
      expect(data.practice.adoptionCount).toBe(1);
      expect(ids(data.practice.adoptions)).toEqual([f.adoptionGid]);
      expect(data.node).toEqual({ __typename: 'Adoption', id: f.adoptionGid, practice: { id: f.gid } });
    },
    async cannotSee(_s, f, viewer) {
      const data = await ask(ADOPTIONS, { id: f.gid, adoption: f.adoptionGid }, viewer);
      expect(data.practice).toBeNull();
      expect(data.node).toBeNull();
    },
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------------

async function mutate(query: string, variables: Record<string, unknown>, token: string): Promise<Record<string, any>> {
  const response = await t.gql(query, variables, token);
  if (response.errors) throw new Error(`setup mutation failed: ${JSON.stringify(response.errors)}`);
  return response.data!;
}

/** Hides a practice or comment the real way: a flag, resolved with HIDE by a moderator over GraphQL. */
async function hideThroughModeration(reporter: TestMember, moderator: TestMember, subjectGid: string): Promise<void> {
  const flag = await createFlag(t.app, reporter, subjectGid);
  const data = await mutate('mutation($id: ID!) { resolveFlag(input: { id: $id, action: HIDE }) { id status } }', { id: flag.gid }, moderator.token);
  if (data.resolveFlag.status !== 'HIDDEN') throw new Error(`resolveFlag did not hide ${subjectGid}`);
}

let hiddenComment: { practiceGid: string; visibleGid: string; hiddenGid: string; replyToHiddenGid: string };

beforeAll(async () => {
  t = await startTestApp();
  const authorOrg = await createOrganisation(t.app);
  const audienceOrg = await createOrganisation(t.app);
  const strangerOrg = await createOrganisation(t.app);
  const moderatorOrg = await createOrganisation(t.app);
  authorOrgSlug = authorOrg.slug;
  const author = await createMember(t.app, authorOrg, [Role.CONTRIBUTOR]);
  const colleague = await createMember(t.app, authorOrg, [Role.CONTRIBUTOR]);
  const audience = await createMember(t.app, audienceOrg, [Role.CONTRIBUTOR]);
  const stranger = await createMember(t.app, strangerOrg, [Role.CONTRIBUTOR]);
  const moderator = await createMember(t.app, moderatorOrg, [Role.MODERATOR]);
  Object.assign(tokens, {
    anonymous: undefined,
    author: author.token,
    colleague: colleague.token,
    audience: audience.token,
    stranger: stranger.token,
    moderator: moderator.token,
  });

  for (const s of SCENARIOS) {
    const word = uniqueWord();
    const title = `Matrix ${word} practice`;
    const tagLabel = `Matrix tag ${word}`;
    const practice = await createPractice(t.app, author, {
      visibility: s.visibility,
      status: s.status === PracticeStatus.DRAFT ? PracticeStatus.DRAFT : PracticeStatus.PUBLISHED,
      audience: s.withAudience ? [audienceOrg] : undefined,
      title,
      tags: [tagLabel, SHARED_TAG],
    });
    let commentGid: string;
    let adoptionGid: string;
    if (s.status === PracticeStatus.DRAFT) {
      // Nobody can comment on or adopt a draft through the API; rows written some other way (an import, a bug) must
      // still follow their practice's read rule, so put them there directly.
      const comment = await t.dataSource
        .getRepository(CommentEntity)
        .insert({ practiceId: practice.id, parentId: null, authorId: colleague.member.id, body: `On the draft ${word}` });
      const adoption = await t.dataSource
        .getRepository(AdoptionEntity)
        .insert({ practiceId: practice.id, organisationId: authorOrg.id, memberId: colleague.member.id, note: 'Adopted early.', outcome: 'Trial' });
      commentGid = toGlobalId('Comment', comment.identifiers[0]!.id as string);
      adoptionGid = toGlobalId('Adoption', adoption.identifiers[0]!.id as string);
    } else {
      commentGid = (await createComment(t.app, colleague, practice, `On ${word}`)).gid;
      adoptionGid = (await createAdoption(t.app, colleague, practice)).gid;
    }
    if (s.status === PracticeStatus.ARCHIVED) {
      const data = await mutate('mutation($id: ID!) { archivePractice(input: { id: $id }) { status } }', { id: practice.gid }, author.token);
      if (data.archivePractice.status !== PracticeStatus.ARCHIVED) throw new Error('archivePractice did not archive');
    }
    if (s.hidden) await hideThroughModeration(colleague, moderator, practice.gid);
    fixtures.set(s.key, { gid: practice.gid, title, word, tagLabel, tagSlug: tagSlug(tagLabel), commentGid, adoptionGid });
  }

  // A visible TLP_CLEAR practice with one comment hidden by moderation (and a reply to that comment) beside a visible one.
  const open = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: `Matrix ${uniqueWord()} with a hidden comment` });
  const visible = await createComment(t.app, stranger, open, 'A fair question.');
  const hidden = await createComment(t.app, stranger, open, 'Vote for party X!');
  const reply = await createComment(t.app, audience, open, 'Agreed.', hidden.id);
  await hideThroughModeration(colleague, moderator, hidden.gid);
  hiddenComment = { practiceGid: open.gid, visibleGid: visible.gid, hiddenGid: hidden.gid, replyToHiddenGid: reply.gid };
});

afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------------------------

interface MatrixCase {
  scenario: Scenario;
  viewer: ViewerKind;
  path: ReadPath;
  sees: boolean;
}

const MATRIX: [string, MatrixCase][] = SCENARIOS.flatMap((scenario) =>
  VIEWERS.flatMap((viewer) =>
    READ_PATHS.map((path): [string, MatrixCase] => {
      const sees = scenario.readers.includes(viewer);
      return [`${scenario.label} | ${VIEWER_LABEL[viewer]} | ${path.name} → ${sees ? 'can see' : 'cannot see'}`, { scenario, viewer, path, sees }];
    }),
  ),
);

describe('practice visibility on every read path', () => {
  it.each(MATRIX)('%s', async (_name, { scenario, viewer, path, sees }) => {
    const fixture = fixtures.get(scenario.key)!;
    if (sees) await path.canSee(scenario, fixture, viewer);
    else await path.cannotSee(scenario, fixture, viewer);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A tag on every scenario's practice: its count is the number of them the viewer may read, nothing more.
// ---------------------------------------------------------------------------------------------------------------

const SHARED_TAG_CASES: [string, ViewerKind, number][] = VIEWERS.map((viewer) => {
  const readable = SCENARIOS.filter((s) => s.readers.includes(viewer)).length;
  return [`${VIEWER_LABEL[viewer]} counts ${readable} of the ${SCENARIOS.length} practices`, viewer, readable];
});

describe('tags { practiceCount } of a tag on practices of every level and status', () => {
  it.each(SHARED_TAG_CASES)('%s', async (_name, viewer, readable) => {
    const edges = (await ask(TAG_COUNTS, { search: SHARED_WORD }, viewer)).tags.edges as { node: { slug: string; practiceCount: number } }[];
    expect(edges.map((e) => e.node)).toEqual([expect.objectContaining({ slug: tagSlug(SHARED_TAG), practiceCount: readable })]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Drafts and archived practices stay out of the default (PUBLISHED) lists, even for those who may read them.
// ---------------------------------------------------------------------------------------------------------------

const DEFAULT_LISTS: [string, { scenario: Scenario; viewer: ViewerKind; path: ListPath }][] = SCENARIOS.filter(
  (s) => s.status !== PracticeStatus.PUBLISHED,
).flatMap((scenario) =>
  VIEWERS.flatMap((viewer) =>
    LIST_PATHS.map((path): [string, { scenario: Scenario; viewer: ViewerKind; path: ListPath }] => [
      `${scenario.label} | ${VIEWER_LABEL[viewer]} | ${path.name} without a status filter → not listed`,
      { scenario, viewer, path },
    ]),
  ),
);

describe('the default list is PUBLISHED only', () => {
  it.each(DEFAULT_LISTS)('%s', async (_name, { scenario, viewer, path }) => {
    const fixture = fixtures.get(scenario.key)!;
    expect(await path.list(fixture, viewer, undefined)).not.toContain(fixture.gid);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A comment hidden by moderation, on a practice everyone may read.
// ---------------------------------------------------------------------------------------------------------------

const HIDDEN_COMMENT_CASES: [string, ViewerKind][] = VIEWERS.map((viewer) => [VIEWER_LABEL[viewer], viewer]);

describe('a moderator-hidden comment on a published TLP_CLEAR practice', () => {
  it.each(HIDDEN_COMMENT_CASES)('%s: comments and commentCount include the visible comment only', async (_name, viewer) => {
    const data = await ask(
      `query($id: ID!) { practice(id: $id) { commentCount comments(first: 100) { edges { node { id replyCount } } } } }`,
      { id: hiddenComment.practiceGid },
      viewer,
    );
    expect(ids(data.practice.comments)).toEqual([hiddenComment.visibleGid]);
    expect(data.practice.commentCount).toBe(1);
  });

  it.each(HIDDEN_COMMENT_CASES)('%s: node(id:) of the visible comment → can see', async (_name, viewer) => {
    const data = await ask(NODE_COMMENT, { id: hiddenComment.visibleGid }, viewer);
    expect(data.node).toEqual({ __typename: 'Comment', id: hiddenComment.visibleGid, body: 'A fair question.', practice: { id: hiddenComment.practiceGid } });
  });

  it.each(HIDDEN_COMMENT_CASES)('%s: node(id:) of the hidden comment and of the reply to it → cannot see', async (_name, viewer) => {
    const data = await ask(
      `query($a: ID!, $b: ID!) { hidden: node(id: $a) { id } reply: node(id: $b) { id } }`,
      { a: hiddenComment.hiddenGid, b: hiddenComment.replyToHiddenGid },
      viewer,
    );
    expect(data).toEqual({ hidden: null, reply: null });
  });
});
