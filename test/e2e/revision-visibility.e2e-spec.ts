import { Role, requireGlobalId } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { expectOk, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * A revision keeps the level, audience and status it was written under: it is read only by a viewer who may read it
 * under both its own recorded ones and its practice's current ones. An officer who redacts before releasing can
 * trust that the redacted words stay where they were. Everything goes through GraphQL, as the author works.
 */

const CREATE = `mutation($input: CreatePracticeInput!) { createPractice(input: $input) { id revision } }`;
const UPDATE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { id revision } }`;
const PUBLISH = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id revision status } }`;
const REVISIONS = `query($id: ID!) { practice(id: $id) { id revisions(first: 100) { edges { node { id revision visibility summary } } } } }`;
/** What each revision was written under, as its own organisation reads it. */
const STATUSES = `query($id: ID!) { practice(id: $id) { revisions(first: 100) { edges { node { revision status } } } } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Revision { summary } } }`;

describe('revision history keeps each revision its own level', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  interface Scene {
    author: TestMember;
    colleague: TestMember;
    stranger: TestMember;
    practiceId: string;
    /** Revision global ids by the summary they were written with. */
    revisionIds: Map<string, string>;
  }

  async function people() {
    const own = await createOrganisation(t.app);
    const author = await createMember(t.app, own, [Role.CONTRIBUTOR]);
    const colleague = await createMember(t.app, own, []);
    const stranger = await createMember(t.app, await createOrganisation(t.app), [Role.CONTRIBUTOR]);
    return { author, colleague, stranger };
  }

  function content(summary: string, visibility: Visibility, audience: string[] = []) {
    return {
      title: 'Postal vote fraud response',
      summary,
      problem: 'Ballot papers went missing.',
      approach: 'A review with the police.',
      outcomes: 'New checks at the count.',
      tags: ['Election administration'],
      visibility,
      audienceOrganisationSlugs: audience,
    };
  }

  /**
   * Runs the author's steps through GraphQL: create (a draft), then each step an edit (`summary`, level, audience)
   * or `'publish'`. Returns the ids of the revisions, found as the author reads them.
   */
  async function history(author: TestMember, steps: ({ summary: string; visibility: Visibility; audience?: string[] } | 'publish')[]) {
    const [first, ...rest] = steps;
    if (!first || first === 'publish') throw new Error('the first step creates the practice');
    let practice = expectOk(await t.gql(CREATE, { input: content(first.summary, first.visibility, first.audience) }, author.token), 'createPractice');
    for (const step of rest) {
      if (step === 'publish') {
        practice = expectOk(await t.gql(PUBLISH, { id: practice.id }, author.token), 'publishPractice');
      } else {
        const { title: _t, problem: _p, approach: _a, outcomes: _o, tags: _g, ...changes } = content(step.summary, step.visibility, step.audience);
        practice = expectOk(
          await t.gql(UPDATE, { input: { id: practice.id, expectedRevision: practice.revision, ...changes } }, author.token),
          'updatePractice',
        );
      }
    }
    const revisionIds = new Map<string, string>();
    for (const node of await revisionsAs(author.token, practice.id)) revisionIds.set(node.summary, node.id);
    return { practiceId: practice.id as string, revisionIds };
  }

  async function revisionsAs(token: string | undefined, practiceId: string): Promise<{ id: string; revision: number; visibility: string; summary: string }[]> {
    const response = await t.gql(REVISIONS, { id: practiceId }, token);
    expect(response.errors).toBeUndefined();
    if (!response.data!.practice) return [];
    return response.data!.practice.revisions.edges.map((e: any) => e.node);
  }

  async function statusesAs(token: string, practiceId: string): Promise<string[]> {
    const response = await t.gql(STATUSES, { id: practiceId }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.practice.revisions.edges.map((e: any) => e.node.status);
  }

  const summariesAs = async (token: string | undefined, practiceId: string) => (await revisionsAs(token, practiceId)).map((r) => r.summary);

  async function nodeAs(token: string | undefined, id: string) {
    const response = await t.gql(NODE, { id }, token);
    expect(response.errors).toBeUndefined();
    return response.data!.node;
  }

  describe('written TLP_AMBER_STRICT, then TLP_AMBER for one organisation, then redacted and made TLP_CLEAR', () => {
    let scene: Scene;
    let listed: TestMember;

    beforeAll(async () => {
      const { author, colleague, stranger } = await people();
      const listedOrg = await createOrganisation(t.app);
      listed = await createMember(t.app, listedOrg, []);
      const { practiceId, revisionIds } = await history(author, [
        { summary: 'Strict: the informant is J. Smith.', visibility: Visibility.TLP_AMBER_STRICT },
        'publish',
        { summary: 'Amber: an informant told us.', visibility: Visibility.TLP_AMBER, audience: [listedOrg.slug] },
        { summary: 'Clear: we were told of it.', visibility: Visibility.TLP_CLEAR },
      ]);
      scene = { author, colleague, stranger, practiceId, revisionIds };
    });

    it("the author's organisation reads every revision, each with the level it was written under", async () => {
      const revisions = await revisionsAs(scene.colleague.token, scene.practiceId);
      expect(revisions.map((r) => [r.summary, r.visibility])).toEqual([
        ['Clear: we were told of it.', 'TLP_CLEAR'],
        ['Amber: an informant told us.', 'TLP_AMBER'],
        ['Strict: the informant is J. Smith.', 'TLP_AMBER_STRICT'],
        ['Strict: the informant is J. Smith.', 'TLP_AMBER_STRICT'],
      ]);
      expect(await statusesAs(scene.colleague.token, scene.practiceId)).toEqual(['PUBLISHED', 'PUBLISHED', 'PUBLISHED', 'DRAFT']);
    });

    it.each([
      ['an anonymous caller', () => undefined],
      ['a member of another organisation', () => scene.stranger.token],
    ])('%s reads only the TLP_CLEAR revision', async (_who, token) => {
      expect(await summariesAs(token(), scene.practiceId)).toEqual(['Clear: we were told of it.']);
    });

    it('a member of the organisation the TLP_AMBER revision named reads it and the TLP_CLEAR one, never the strict ones', async () => {
      expect(await summariesAs(listed.token, scene.practiceId)).toEqual(['Clear: we were told of it.', 'Amber: an informant told us.']);
    });

    it.each([
      ['an anonymous caller', () => undefined],
      ['a member of another organisation', () => scene.stranger.token],
      ['a member of the listed organisation', () => listed.token],
    ])('node(id:) of a strict revision is null for %s; the author reads it', async (_who, token) => {
      const strict = scene.revisionIds.get('Strict: the informant is J. Smith.')!;
      expect(await nodeAs(token(), strict)).toBeNull();
      expect(await nodeAs(scene.colleague.token, strict)).toEqual({ id: strict, summary: 'Strict: the informant is J. Smith.' });
    });

    it('node(id:) of the TLP_AMBER revision is null for another organisation and read by the listed one', async () => {
      const amber = scene.revisionIds.get('Amber: an informant told us.')!;
      expect(await nodeAs(scene.stranger.token, amber)).toBeNull();
      expect(await nodeAs(undefined, amber)).toBeNull();
      expect(await nodeAs(listed.token, amber)).toEqual({ id: amber, summary: 'Amber: an informant told us.' });
    });

    it('node(id:) of the TLP_CLEAR revision is read by anyone', async () => {
      const clear = scene.revisionIds.get('Clear: we were told of it.')!;
      expect(await nodeAs(undefined, clear)).toEqual({ id: clear, summary: 'Clear: we were told of it.' });
    });
  });

  describe('drafted, edited as a draft, then published', () => {
    let scene: Scene;

    beforeAll(async () => {
      const { author, colleague, stranger } = await people();
      const { practiceId, revisionIds } = await history(author, [
        { summary: 'First draft, with the names of the staff involved.', visibility: Visibility.TLP_CLEAR },
        { summary: 'Final text.', visibility: Visibility.TLP_CLEAR },
        'publish',
      ]);
      scene = { author, colleague, stranger, practiceId, revisionIds };
    });

    it('publishing writes a revision recorded as PUBLISHED with the published text', async () => {
      const revisions = await revisionsAs(scene.author.token, scene.practiceId);
      expect(revisions.map((r) => [r.revision, r.summary])).toEqual([
        [3, 'Final text.'],
        [2, 'Final text.'],
        [1, 'First draft, with the names of the staff involved.'],
      ]);
      expect(await statusesAs(scene.author.token, scene.practiceId)).toEqual(['PUBLISHED', 'DRAFT', 'DRAFT']);
      const [row] = await t.dataSource.query(`SELECT revision FROM practice WHERE id = $1`, [requireGlobalId(scene.practiceId, 'Practice')]);
      expect(row.revision).toBe(3);
    });

    it.each([
      ['an anonymous caller', () => undefined],
      ['a member of another organisation', () => scene.stranger.token],
    ])('%s reads the published revision only, none of the draft ones', async (_who, token) => {
      expect(await summariesAs(token(), scene.practiceId)).toEqual(['Final text.']);
      expect(await nodeAs(token(), scene.revisionIds.get('First draft, with the names of the staff involved.')!)).toBeNull();
    });

    it("the author's organisation reads the drafts too", async () => {
      expect(await summariesAs(scene.colleague.token, scene.practiceId)).toEqual([
        'Final text.',
        'Final text.',
        'First draft, with the names of the staff involved.',
      ]);
    });

    it('a practice published unchanged shows its text to everyone who reads the practice', async () => {
      const { author, stranger } = await people();
      const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_CLEAR, summary: 'Published as written.' });
      expect(practice.status).toBe(PracticeStatus.PUBLISHED);
      expect(await summariesAs(undefined, practice.gid)).toEqual(['Published as written.']);
      expect(await summariesAs(stranger.token, practice.gid)).toEqual(['Published as written.']);
    });
  });

  describe('TLP_AMBER for organisations A and C, then for B and C', () => {
    let scene: Scene;
    let memberA: TestMember;
    let memberB: TestMember;
    let memberC: TestMember;

    beforeAll(async () => {
      const { author, colleague, stranger } = await people();
      const [a, b, c] = [await createOrganisation(t.app), await createOrganisation(t.app), await createOrganisation(t.app)];
      [memberA, memberB, memberC] = [await createMember(t.app, a, []), await createMember(t.app, b, []), await createMember(t.app, c, [])];
      const { practiceId, revisionIds } = await history(author, [
        { summary: 'For A and C: the supplier is Acme.', visibility: Visibility.TLP_AMBER, audience: [a.slug, c.slug] },
        'publish',
        { summary: 'For B and C: a supplier.', visibility: Visibility.TLP_AMBER, audience: [b.slug, c.slug] },
      ]);
      scene = { author, colleague, stranger, practiceId, revisionIds };
    });

    it('B, newly named, reads only the revision written for it', async () => {
      expect(await summariesAs(memberB.token, scene.practiceId)).toEqual(['For B and C: a supplier.']);
      expect(await nodeAs(memberB.token, scene.revisionIds.get('For A and C: the supplier is Acme.')!)).toBeNull();
    });

    it('A, no longer named, reads no revision at all', async () => {
      expect(await summariesAs(memberA.token, scene.practiceId)).toEqual([]);
      expect(await nodeAs(memberA.token, scene.revisionIds.get('For A and C: the supplier is Acme.')!)).toBeNull();
      expect(await nodeAs(memberA.token, scene.revisionIds.get('For B and C: a supplier.')!)).toBeNull();
    });

    it('C, named throughout, reads the published revisions but not the draft', async () => {
      expect(await summariesAs(memberC.token, scene.practiceId)).toEqual(['For B and C: a supplier.', 'For A and C: the supplier is Acme.']);
    });

    it('another organisation reads none', async () => {
      expect(await summariesAs(scene.stranger.token, scene.practiceId)).toEqual([]);
    });

    it("the author's organisation reads all three", async () => {
      expect(await summariesAs(scene.colleague.token, scene.practiceId)).toHaveLength(3);
    });
  });
});
