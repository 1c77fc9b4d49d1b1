import { requireGlobalId } from '#identity';
import { PracticeService, PracticeStatus, Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { practiceInput } from '../support/practice-input.js';
import { unique } from '../support/unique.js';

/**
 * A practice from draft to archive through GraphQL: create, edit with optimistic revisions, visibility and audience,
 * publish, archive. Each test sets up with factories, makes one call and checks the response and the tables.
 */

const PRACTICE_FIELDS = `id title summary problem approach outcomes language status visibility revision publishedAt
  resources { title url } tags { slug label } audience { slug } organisation { slug }`;

const CREATE = `mutation($input: CreatePracticeInput!) { createPractice(input: $input) { ${PRACTICE_FIELDS} } }`;
const UPDATE = `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) { ${PRACTICE_FIELDS} } }`;
const PUBLISH = `mutation($id: ID!) { publishPractice(input: { id: $id }) { id status publishedAt } }`;
const ARCHIVE = `mutation($id: ID!) { archivePractice(input: { id: $id }) { id status publishedAt } }`;

/** A draft whose title the revision history is checked against. */
const draftInput = (overrides: Record<string, unknown> = {}) => practiceInput({ title: 'Phishing drills for election staff', ...overrides });

describe('practice lifecycle through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  async function contributor(): Promise<TestMember & { orgSlug: string }> {
    const org = await createOrganisation(t.app);
    return Object.assign(await createMember(t.app, org), { orgSlug: org.slug });
  }

  async function practiceRow(id: string) {
    const [row] = await t.dataSource.query(
      `SELECT title, status, revision, language, visibility, resources, published_at, hidden_at FROM practice WHERE id = $1`,
      [id],
    );
    return row;
  }

  async function revisionRows(id: string): Promise<{ revision: number; title: string; visibility: string; audience_organisation_ids: string[] }[]> {
    return t.dataSource.query(
      `SELECT revision, title, visibility, audience_organisation_ids FROM practice_revision WHERE practice_id = $1 ORDER BY revision DESC`,
      [id],
    );
  }

  it('createPractice returns a DRAFT at revision 1, language en, normalised tags and the resources given', async () => {
    const author = await contributor();
    const resources = [
      { title: 'Lesson slides', url: 'https://example.org/slides.pdf' },
      { title: 'Campaign template', url: 'http://intranet.example.org/template' },
    ];

    const response = await t.gql(CREATE, { input: draftInput({ tags: ['Cyber Security', ' cyber-security ', 'PHISHING'], resources }) }, author.token);

    expect(response.errors).toBeUndefined();
    const practice = response.data!.createPractice;
    expect(practice).toMatchObject({
      status: 'DRAFT',
      revision: 1,
      language: 'en',
      visibility: 'TLP_GREEN',
      publishedAt: null,
      resources,
      audience: [],
      organisation: { slug: author.orgSlug },
      tags: [
        { slug: 'cyber-security', label: 'Cyber Security' },
        { slug: 'phishing', label: 'Phishing' },
      ],
    });

    const id = requireGlobalId(practice.id, 'Practice');
    const row = await practiceRow(id);
    expect(row).toMatchObject({ status: 'DRAFT', revision: 1, language: 'en', visibility: 'TLP_GREEN', published_at: null, resources });
    const tags = await t.dataSource.query(
      `SELECT t.slug, t.label FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.practice_id = $1 ORDER BY t.slug`,
      [id],
    );
    expect(tags).toEqual([
      { slug: 'cyber-security', label: 'Cyber Security' },
      { slug: 'phishing', label: 'Phishing' },
    ]);
    const revisions = await revisionRows(id);
    expect(revisions.map((r) => [r.revision, r.title])).toEqual([[1, 'Phishing drills for election staff']]);
  });

  it('updatePractice with the current revision moves to revision 2 and keeps the full history, newest first', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { status: PracticeStatus.DRAFT, title: 'Old title' });

    const response = await t.gql(
      `mutation($input: UpdatePracticeInput!) { updatePractice(input: $input) {
        id title revision summary revisions { edges { node { revision title summary editor { name } } } } } }`,
      { input: { id: practice.gid, expectedRevision: 1, title: 'New title' } },
      author.token,
    );

    expect(response.errors).toBeUndefined();
    const updated = response.data!.updatePractice;
    expect(updated).toMatchObject({ id: practice.gid, title: 'New title', revision: 2, summary: practice.summary });
    expect(updated.revisions.edges.map((e: any) => e.node)).toEqual([
      { revision: 2, title: 'New title', summary: practice.summary, editor: { name: author.member.name } },
      { revision: 1, title: 'Old title', summary: practice.summary, editor: { name: author.member.name } },
    ]);

    expect(await practiceRow(practice.id)).toMatchObject({ title: 'New title', revision: 2 });
    expect((await revisionRows(practice.id)).map((r) => [r.revision, r.title])).toEqual([
      [2, 'New title'],
      [1, 'Old title'],
    ]);
  });

  it('a second update based on a stale revision is a CONFLICT naming the current revision, and changes nothing', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { status: PracticeStatus.DRAFT, title: 'First' });
    await t.app.get(PracticeService).update(author.actor, practice.id, { expectedRevision: 1, title: 'Second' });

    const response = await t.gql(UPDATE, { input: { id: practice.gid, expectedRevision: 1, title: 'Third' } }, author.token);

    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.errors![0]!.message).toMatch(/revision 2\b/);
    expect(response.data).toBeNull();
    expect(await practiceRow(practice.id)).toMatchObject({ title: 'Second', revision: 2 });
    expect((await revisionRows(practice.id)).map((r) => [r.revision, r.title])).toEqual([
      [2, 'Second'],
      [1, 'First'],
    ]);
  });

  it('changing the visibility writes a VISIBILITY_CHANGED audit row', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });

    const response = await t.gql(UPDATE, { input: { id: practice.gid, expectedRevision: practice.revision, visibility: 'TLP_CLEAR' } }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.updatePractice).toMatchObject({ visibility: 'TLP_CLEAR', revision: practice.revision + 1 });
    expect(await practiceRow(practice.id)).toMatchObject({ visibility: 'TLP_CLEAR', revision: practice.revision + 1 });
    const audit = await t.dataSource.query(
      `SELECT action, actor_member_id, organisation_id, subject_type, details FROM audit_event WHERE subject_id = $1 AND action = 'VISIBILITY_CHANGED'`,
      [practice.id],
    );
    expect(audit).toEqual([
      {
        action: 'VISIBILITY_CHANGED',
        actor_member_id: author.member.id,
        organisation_id: author.member.organisationId,
        subject_type: 'Practice',
        details: expect.objectContaining({ from: 'TLP_GREEN', to: 'TLP_CLEAR' }),
      },
    ]);
  });

  it('an edit that keeps the visibility writes no VISIBILITY_CHANGED audit row', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_GREEN });

    const response = await t.gql(UPDATE, { input: { id: practice.gid, expectedRevision: practice.revision, summary: 'A better summary.' } }, author.token);

    expect(response.errors).toBeUndefined();
    const audit = await t.dataSource.query(`SELECT action FROM audit_event WHERE subject_id = $1`, [practice.id]);
    expect(audit).toEqual([]);
  });

  it('publishPractice sets status PUBLISHED and publishedAt', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { status: PracticeStatus.DRAFT });
    const before = Date.now();

    const response = await t.gql(PUBLISH, { id: practice.gid }, author.token);

    expect(response.errors).toBeUndefined();
    const published = response.data!.publishPractice;
    expect(published.status).toBe('PUBLISHED');
    expect(new Date(published.publishedAt).getTime()).toBeGreaterThanOrEqual(before - 1_000);
    const row = await practiceRow(practice.id);
    expect(row.status).toBe('PUBLISHED');
    expect(new Date(row.published_at).toISOString()).toBe(published.publishedAt);
  });

  it('publishing an already published practice keeps its publishedAt', async () => {
    const author = await contributor();
    const publishedAt = new Date('2024-03-01T09:30:00.000Z');
    const practice = await createPractice(t.app, author, { publishedAt });

    const response = await t.gql(PUBLISH, { id: practice.gid }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.publishPractice).toEqual({ id: practice.gid, status: 'PUBLISHED', publishedAt: publishedAt.toISOString() });
    const row = await practiceRow(practice.id);
    expect(row.status).toBe('PUBLISHED');
    expect(new Date(row.published_at).toISOString()).toBe(publishedAt.toISOString());
  });

  it('publishing an archived practice again keeps its first publishedAt', async () => {
    const author = await contributor();
    const publishedAt = new Date('2024-03-01T09:30:00.000Z');
    const practice = await createPractice(t.app, author, { status: PracticeStatus.ARCHIVED, publishedAt });

    const response = await t.gql(PUBLISH, { id: practice.gid }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.publishPractice).toEqual({ id: practice.gid, status: 'PUBLISHED', publishedAt: publishedAt.toISOString() });
    expect(new Date((await practiceRow(practice.id)).published_at).toISOString()).toBe(publishedAt.toISOString());
  });

  it('archivePractice sets ARCHIVED and the practice leaves the default list', async () => {
    const author = await contributor();
    const reader = await contributor();
    const tag = `Archive test ${unique()}`;
    const kept = await createPractice(t.app, author, { tags: [tag] });
    const practice = await createPractice(t.app, author, { tags: [tag] });

    const response = await t.gql(ARCHIVE, { id: practice.gid }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.archivePractice).toMatchObject({ id: practice.gid, status: 'ARCHIVED' });
    expect((await practiceRow(practice.id)).status).toBe('ARCHIVED');
    const list = await t.gql(`query($tags: [String!]) { practices(filter: { tags: $tags }) { edges { node { id } } } }`, { tags: [tag] }, reader.token);
    expect(list.errors).toBeUndefined();
    expect(list.data!.practices.edges.map((e: any) => e.node.id)).toEqual([kept.gid]);
  });

  it('archiving a draft is a CONFLICT and leaves it a draft', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { status: PracticeStatus.DRAFT });

    const response = await t.gql(ARCHIVE, { id: practice.gid }, author.token);

    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.data).toBeNull();
    expect((await practiceRow(practice.id)).status).toBe('DRAFT');
  });

  it('editing an archived practice is a CONFLICT and changes nothing', async () => {
    const author = await contributor();
    const practice = await createPractice(t.app, author, { status: PracticeStatus.ARCHIVED, title: 'Archived title' });

    const revisionsBefore = await revisionRows(practice.id);

    const response = await t.gql(UPDATE, { input: { id: practice.gid, expectedRevision: practice.revision, title: 'Edited after archive' } }, author.token);

    expect(errorCode(response)).toBe('CONFLICT');
    expect(response.data).toBeNull();
    expect(await practiceRow(practice.id)).toMatchObject({ title: 'Archived title', revision: practice.revision, status: 'ARCHIVED' });
    expect(await revisionRows(practice.id)).toEqual(revisionsBefore);
  });

  it('a TLP_AMBER practice with an audience lists the named organisations', async () => {
    const author = await contributor();
    const partnerA = await createOrganisation(t.app);
    const partnerB = await createOrganisation(t.app);

    const response = await t.gql(
      CREATE,
      { input: draftInput({ visibility: 'TLP_AMBER', audienceOrganisationSlugs: [partnerA.slug, partnerB.slug.toUpperCase()] }) },
      author.token,
    );

    expect(response.errors).toBeUndefined();
    const practice = response.data!.createPractice;
    expect(practice.visibility).toBe('TLP_AMBER');
    expect(practice.audience.map((o: { slug: string }) => o.slug).sort()).toEqual([partnerA.slug, partnerB.slug].sort());
    const id = requireGlobalId(practice.id, 'Practice');
    const rows = await t.dataSource.query(`SELECT organisation_id FROM practice_audience WHERE practice_id = $1`, [id]);
    expect(rows.map((r: { organisation_id: string }) => r.organisation_id).sort()).toEqual([partnerA.id, partnerB.id].sort());
    const [revision] = await revisionRows(id);
    expect([...revision!.audience_organisation_ids].sort()).toEqual([partnerA.id, partnerB.id].sort());
  });

  it('switching a TLP_AMBER practice to TLP_GREEN clears its audience', async () => {
    const author = await contributor();
    const partner = await createOrganisation(t.app);
    const practice = await createPractice(t.app, author, { visibility: Visibility.TLP_AMBER, audience: [partner] });
    expect(await t.dataSource.query(`SELECT 1 FROM practice_audience WHERE practice_id = $1`, [practice.id])).toHaveLength(1);

    const response = await t.gql(UPDATE, { input: { id: practice.gid, expectedRevision: practice.revision, visibility: 'TLP_GREEN' } }, author.token);

    expect(response.errors).toBeUndefined();
    expect(response.data!.updatePractice).toMatchObject({ visibility: 'TLP_GREEN', audience: [], revision: practice.revision + 1 });
    expect(await t.dataSource.query(`SELECT 1 FROM practice_audience WHERE practice_id = $1`, [practice.id])).toEqual([]);
    const [latest] = await revisionRows(practice.id);
    expect(latest).toMatchObject({ revision: practice.revision + 1, visibility: 'TLP_GREEN', audience_organisation_ids: [] });
  });
});
