/**
 * `node(id:)` answers every type under that type's own read rule (README, "Security"), and a caller who may
 * not read an object gets null, never an error that would reveal that it exists:
 * - Practice by TLP and status; Comment, Adoption and Revision through their practice;
 * - Organisation public;
 * - Member to signed-in members only, and `email` only to the member, their organisation's admins and platform admins;
 * - ApiToken to its owner;
 * - AuditEvent to the organisation's admins and platform admins;
 * - Flag to moderators (on content they may read) and the content organisation's admins.
 * Each rule has "can see" rows and "cannot see" rows, in the manner of MISP's test_sg_view_user_can_see / cannot_see.
 */
import { randomUUID } from 'node:crypto';
import { Role, toGlobalId } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createAdoption, createComment, createFlag, createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

type ViewerKind = 'anonymous' | 'author' | 'colleague' | 'adminA' | 'memberB' | 'adminB' | 'moderator' | 'platformAdmin';

const VIEWER_LABEL: Record<ViewerKind, string> = {
  anonymous: 'anonymous caller',
  author: 'the author (CONTRIBUTOR of org A)',
  colleague: 'a CONTRIBUTOR of org A',
  adminA: 'an ORG_ADMIN of org A',
  memberB: 'a CONTRIBUTOR of org B',
  adminB: 'an ORG_ADMIN of org B',
  moderator: 'a MODERATOR of org M',
  platformAdmin: 'a PLATFORM_ADMIN of org P',
};

/** The type-specific fields each row reads, so a visible node is shown to be the right object of the right type. */
const SELECTION: Record<string, string> = {
  Practice: '... on Practice { title }',
  Comment: '... on Comment { body practice { id } }',
  Adoption: '... on Adoption { note practice { id } }',
  Revision: '... on Revision { revision title }',
  Organisation: '... on Organisation { slug name }',
  Member: '... on Member { name }',
  ApiToken: '... on ApiToken { name }',
  AuditEvent: '... on AuditEvent { action }',
  Flag: '... on Flag { status subjectId }',
};

let t: TestApp;
const members = {} as Record<Exclude<ViewerKind, 'anonymous'>, TestMember>;
/** Global ids of the objects under test, by a readable key. */
const subjects = new Map<string, string>();

const tokenOf = (viewer: ViewerKind) => (viewer === 'anonymous' ? undefined : members[viewer].token);

/** A query that must succeed without errors: what a caller may not see is null, not an error. */
async function ask(query: string, variables: Record<string, unknown>, viewer: ViewerKind): Promise<Record<string, any>> {
  const response = await t.gql(query, variables, tokenOf(viewer));
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response.data!;
}

async function nodeAs(viewer: ViewerKind, type: string, id: string): Promise<Record<string, any> | null> {
  return (await ask(`query($id: ID!) { node(id: $id) { __typename id ${SELECTION[type]} } }`, { id }, viewer)).node;
}

function subject(key: string): string {
  const gid = subjects.get(key);
  if (!gid) throw new Error(`no subject ${key}`);
  return gid;
}

// ---------------------------------------------------------------------------------------------------------------
// Data: org A (the content), org B (others), org M (a moderator), org P (a platform admin).
// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await startTestApp();
  const orgA = await createOrganisation(t.app);
  const orgB = await createOrganisation(t.app);
  const orgM = await createOrganisation(t.app);
  const orgP = await createOrganisation(t.app);
  members.author = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
  members.colleague = await createMember(t.app, orgA, [Role.CONTRIBUTOR]);
  members.adminA = await createMember(t.app, orgA, [Role.ORG_ADMIN]);
  members.memberB = await createMember(t.app, orgB, [Role.CONTRIBUTOR]);
  members.adminB = await createMember(t.app, orgB, [Role.ORG_ADMIN]);
  members.moderator = await createMember(t.app, orgM, [Role.MODERATOR]);
  members.platformAdmin = await createMember(t.app, orgP, [Role.PLATFORM_ADMIN]);
  const { author, colleague, memberB } = members;

  subjects.set('orgA', toGlobalId('Organisation', orgA.id));

  const clear = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, title: 'Clear practice' });
  const green = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, title: 'Green practice' });
  const strict = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER_STRICT, title: 'Strict practice' });
  const draft = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN, status: PracticeStatus.DRAFT, title: 'Draft practice' });
  for (const [key, practice] of Object.entries({ clear, green, strict, draft })) {
    subjects.set(`practice:${key}`, practice.gid);
    // The newest revision's id as the author reads it, the way a client would find it: the one written at creation
    // for the draft, the one written at publication for the others.
    const data = await ask(`query($id: ID!) { practice(id: $id) { revision revisions { edges { node { id revision } } } } }`, { id: practice.gid }, 'author');
    const revisions = data.practice.revisions.edges as { node: { id: string; revision: number } }[];
    if (revisions[0]?.node.revision !== data.practice.revision) throw new Error(`expected the newest revision of ${key} first`);
    subjects.set(`revision:${key}`, revisions[0]!.node.id);
  }
  subjects.set('comment:clear', (await createComment(t.app, memberB, clear)).gid);
  subjects.set('comment:green', (await createComment(t.app, memberB, green)).gid);
  subjects.set('comment:strict', (await createComment(t.app, colleague, strict)).gid);
  subjects.set('adoption:clear', (await createAdoption(t.app, memberB, clear)).gid);
  subjects.set('adoption:green', (await createAdoption(t.app, memberB, green)).gid);
  subjects.set('adoption:strict', (await createAdoption(t.app, colleague, strict)).gid);

  // Flags reported by a plain contributor of the content's own organisation.
  subjects.set('flag:green', (await createFlag(t.app, colleague, green.gid)).gid);
  subjects.set('flag:strict', (await createFlag(t.app, colleague, strict.gid)).gid);
  subjects.set('flag:comment', (await createFlag(t.app, colleague, subject('comment:green'))).gid);

  subjects.set('member:colleague', colleague.id);

  // The colleague's own API token, found the way its owner would: apiTokens { id }.
  const tokens = (await ask('{ apiTokens { id } }', {}, 'colleague')).apiTokens as { id: string }[];
  if (tokens.length !== 1) throw new Error(`expected the colleague to have one token, got ${tokens.length}`);
  subjects.set('token:colleague', tokens[0]!.id);

  // An audit event of org A (the colleague's creation), found by org A's admin, and one of org B by org B's admin.
  const auditQuery = `{ auditEvents(first: 100) { edges { node { id action subjectId } } } }`;
  type Event = { node: { id: string; action: string; subjectId: string | null } };
  const eventsA = (await ask(auditQuery, {}, 'adminA')).auditEvents.edges as Event[];
  const eventA = eventsA.find((e) => e.node.action === 'MEMBER_CREATED' && e.node.subjectId === colleague.id);
  const eventsB = (await ask(auditQuery, {}, 'adminB')).auditEvents.edges as Event[];
  const eventB = eventsB.find((e) => e.node.action === 'MEMBER_CREATED' && e.node.subjectId === memberB.id);
  if (!eventA || !eventB) throw new Error('the MEMBER_CREATED audit events were not listed for their organisation admins');
  subjects.set('audit:A', eventA.node.id);
  subjects.set('audit:B', eventB.node.id);
});

afterAll(() => t.close());

// ---------------------------------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------------------------------

interface NodeRule {
  type: string;
  /** Key in `subjects`. */
  subject: string;
  label: string;
  seenBy: ViewerKind[];
  notSeenBy: ViewerKind[];
}

/** Practice-bound types share their practice's rule: one set of rows per practice, repeated for each type. */
const PRACTICE_RULES: { key: string; label: string; seenBy: ViewerKind[]; notSeenBy: ViewerKind[] }[] = [
  { key: 'clear', label: 'published TLP_CLEAR', seenBy: ['anonymous', 'memberB', 'colleague'], notSeenBy: [] },
  { key: 'green', label: 'published TLP_GREEN', seenBy: ['memberB', 'moderator', 'colleague'], notSeenBy: ['anonymous'] },
  {
    key: 'strict',
    label: 'published TLP_AMBER_STRICT of org A',
    seenBy: ['author', 'colleague', 'adminA'],
    notSeenBy: ['anonymous', 'memberB', 'adminB', 'moderator', 'platformAdmin'],
  },
  {
    key: 'draft',
    label: 'DRAFT TLP_GREEN of org A',
    seenBy: ['author', 'colleague'],
    notSeenBy: ['anonymous', 'memberB', 'adminB', 'moderator', 'platformAdmin'],
  },
];

const RULES: NodeRule[] = [
  ...PRACTICE_RULES.map((r) => ({ type: 'Practice', subject: `practice:${r.key}`, label: `Practice, ${r.label}`, seenBy: r.seenBy, notSeenBy: r.notSeenBy })),
  ...PRACTICE_RULES.map((r) => ({
    type: 'Revision',
    subject: `revision:${r.key}`,
    label: `Revision of a ${r.label} practice`,
    seenBy: r.seenBy,
    notSeenBy: r.notSeenBy,
  })),
  // Drafts cannot be commented on or adopted, so comments and adoptions exist on the published practices only.
  ...PRACTICE_RULES.filter((r) => r.key !== 'draft').flatMap((r) => [
    { type: 'Comment', subject: `comment:${r.key}`, label: `Comment on a ${r.label} practice`, seenBy: r.seenBy, notSeenBy: r.notSeenBy },
    { type: 'Adoption', subject: `adoption:${r.key}`, label: `Adoption of a ${r.label} practice`, seenBy: r.seenBy, notSeenBy: r.notSeenBy },
  ]),
  { type: 'Organisation', subject: 'orgA', label: 'Organisation (public)', seenBy: ['anonymous', 'memberB', 'colleague'], notSeenBy: [] },
  {
    type: 'Member',
    subject: 'member:colleague',
    label: 'Member (signed-in members only)',
    seenBy: ['colleague', 'author', 'adminA', 'memberB', 'adminB', 'moderator', 'platformAdmin'],
    notSeenBy: ['anonymous'],
  },
  {
    type: 'ApiToken',
    subject: 'token:colleague',
    label: "ApiToken (its owner's only)",
    seenBy: ['colleague'],
    notSeenBy: ['anonymous', 'author', 'adminA', 'memberB', 'moderator', 'platformAdmin'],
  },
  {
    type: 'AuditEvent',
    subject: 'audit:A',
    label: "AuditEvent of org A (org A's admins and platform admins)",
    seenBy: ['adminA', 'platformAdmin'],
    notSeenBy: ['anonymous', 'colleague', 'author', 'adminB', 'memberB', 'moderator'],
  },
  {
    type: 'AuditEvent',
    subject: 'audit:B',
    label: "AuditEvent of org B (org B's admins and platform admins)",
    seenBy: ['adminB', 'platformAdmin'],
    notSeenBy: ['adminA', 'memberB'],
  },
  {
    type: 'Flag',
    subject: 'flag:green',
    label: 'Flag on a TLP_GREEN practice of org A (moderators, org A admins)',
    seenBy: ['moderator', 'adminA'],
    notSeenBy: ['anonymous', 'colleague', 'author', 'adminB', 'memberB', 'platformAdmin'],
  },
  {
    type: 'Flag',
    subject: 'flag:comment',
    label: 'Flag on a comment on a TLP_GREEN practice of org A (moderators, org A admins)',
    seenBy: ['moderator', 'adminA'],
    notSeenBy: ['anonymous', 'colleague', 'adminB', 'memberB'],
  },
  {
    // A moderator hides only what they can read; another organisation's AMBER is its own admins' to moderate.
    type: 'Flag',
    subject: 'flag:strict',
    label: 'Flag on a TLP_AMBER_STRICT practice of org A (org A admins only)',
    seenBy: ['adminA'],
    notSeenBy: ['moderator', 'colleague', 'adminB', 'platformAdmin', 'anonymous'],
  },
];

const NODE_CASES: [string, { rule: NodeRule; viewer: ViewerKind; sees: boolean }][] = RULES.flatMap((rule) => [
  ...rule.seenBy.map((viewer): [string, { rule: NodeRule; viewer: ViewerKind; sees: boolean }] => [
    `${rule.label} | ${VIEWER_LABEL[viewer]} → can see`,
    { rule, viewer, sees: true },
  ]),
  ...rule.notSeenBy.map((viewer): [string, { rule: NodeRule; viewer: ViewerKind; sees: boolean }] => [
    `${rule.label} | ${VIEWER_LABEL[viewer]} → cannot see (null)`,
    { rule, viewer, sees: false },
  ]),
]);

describe('node(id:) applies each type’s read rule', () => {
  it.each(NODE_CASES)('%s', async (_name, { rule, viewer, sees }) => {
    const id = subject(rule.subject);
    const node = await nodeAs(viewer, rule.type, id);
    if (sees) expect(node).toMatchObject({ __typename: rule.type, id });
    else expect(node).toBeNull();
  });

  it('a visible Comment, Adoption and Revision each point at their own practice', async () => {
    const data = await ask(
      `query($c: ID!, $a: ID!) { c: node(id: $c) { ... on Comment { practice { id } } } a: node(id: $a) { ... on Adoption { practice { id } } } }`,
      { c: subject('comment:green'), a: subject('adoption:green') },
      'memberB',
    );
    expect(data).toEqual({ c: { practice: { id: subject('practice:green') } }, a: { practice: { id: subject('practice:green') } } });
    const revision = await nodeAs('memberB', 'Revision', subject('revision:green'));
    expect(revision).toMatchObject({ revision: 2, title: 'Green practice' });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Member.email
// ---------------------------------------------------------------------------------------------------------------

const EMAIL_SHOWN_TO: ViewerKind[] = ['colleague', 'adminA', 'platformAdmin'];
const EMAIL_HIDDEN_FROM: ViewerKind[] = ['author', 'memberB', 'adminB', 'moderator'];

describe('Member.email through node(id:)', () => {
  it.each(EMAIL_SHOWN_TO.map((v): [string, ViewerKind] => [VIEWER_LABEL[v], v]))('%s sees the email of a CONTRIBUTOR of org A', async (_name, viewer) => {
    const data = await ask(`query($id: ID!) { node(id: $id) { ... on Member { id name email } } }`, { id: subject('member:colleague') }, viewer);
    expect(data.node).toEqual({ id: members.colleague.id, name: members.colleague.member.name, email: members.colleague.member.email });
  });

  it.each(EMAIL_HIDDEN_FROM.map((v): [string, ViewerKind] => [VIEWER_LABEL[v], v]))(
    '%s sees the name of a CONTRIBUTOR of org A but email null',
    async (_name, viewer) => {
      const data = await ask(`query($id: ID!) { node(id: $id) { ... on Member { id name email } } }`, { id: subject('member:colleague') }, viewer);
      expect(data.node).toEqual({ id: members.colleague.id, name: members.colleague.member.name, email: null });
    },
  );

  it('anonymous caller gets null for the member, so no name or email either', async () => {
    const data = await ask(`query($id: ID!) { node(id: $id) { ... on Member { id name email } } }`, { id: subject('member:colleague') }, 'anonymous');
    expect(data.node).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Who wrote it: null for anonymous callers, set for members.
// ---------------------------------------------------------------------------------------------------------------

const WHO_WROTE = `query($p: ID!, $c: ID!, $a: ID!, $r: ID!) {
  practice(id: $p) { id author { id name email } }
  comment: node(id: $c) { ... on Comment { id author { id name } } }
  adoption: node(id: $a) { ... on Adoption { id recordedBy { id name } } }
  revision: node(id: $r) { ... on Revision { id editor { id name } } }
}`;

describe('authors of a TLP_CLEAR practice and what hangs off it', () => {
  const vars = () => ({ p: subject('practice:clear'), c: subject('comment:clear'), a: subject('adoption:clear'), r: subject('revision:clear') });

  it('anonymous caller: practice, comment, adoption and revision are there, but author, recordedBy and editor are null', async () => {
    const data = await ask(WHO_WROTE, vars(), 'anonymous');
    expect(data).toEqual({
      practice: { id: subject('practice:clear'), author: null },
      comment: { id: subject('comment:clear'), author: null },
      adoption: { id: subject('adoption:clear'), recordedBy: null },
      revision: { id: subject('revision:clear'), editor: null },
    });
  });

  it('a CONTRIBUTOR of org B: author, recordedBy and editor are set (the author’s email stays null)', async () => {
    const { author, memberB } = members;
    const data = await ask(WHO_WROTE, vars(), 'memberB');
    expect(data).toEqual({
      practice: { id: subject('practice:clear'), author: { id: author.id, name: author.member.name, email: null } },
      comment: { id: subject('comment:clear'), author: { id: memberB.id, name: memberB.member.name } },
      adoption: { id: subject('adoption:clear'), recordedBy: { id: memberB.id, name: memberB.member.name } },
      revision: { id: subject('revision:clear'), editor: { id: author.id, name: author.member.name } },
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Ids that are not ours: null, never an error.
// ---------------------------------------------------------------------------------------------------------------

const MALFORMED: [string, string][] = [
  ['"nonsense"', 'nonsense'],
  ['an empty string', ''],
  ['punctuation', '!!!'],
  ['a very long string', 'A'.repeat(500)],
  ['base64 of "Practice:123" (not a uuid)', Buffer.from('Practice:123').toString('base64url')],
  ['base64 of "Practice" without an id', Buffer.from('Practice').toString('base64url')],
  ['an unknown type with a uuid', toGlobalId('Spaceship', randomUUID())],
  ['a lower-case type name', toGlobalId('practice', randomUUID())],
  ['a Practice id that does not exist', toGlobalId('Practice', randomUUID())],
  ['a Member id that does not exist', toGlobalId('Member', randomUUID())],
];

const MALFORMED_CASES: [string, string, ViewerKind][] = MALFORMED.flatMap(([label, id]) =>
  (['anonymous', 'memberB', 'platformAdmin'] as ViewerKind[]).map((viewer): [string, string, ViewerKind] => [`${label} | ${VIEWER_LABEL[viewer]}`, id, viewer]),
);

describe('node(id:) with an id that names nothing', () => {
  it.each(MALFORMED_CASES)('%s → null without an error', async (_name, id, viewer) => {
    const response = await t.gql('query($id: ID!) { node(id: $id) { __typename id } }', { id }, tokenOf(viewer));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
  });

  it('an inline literal node(id: "nonsense") → null without an error', async () => {
    const response = await t.gql('{ node(id: "nonsense") { id } }');
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ node: null });
  });
});
