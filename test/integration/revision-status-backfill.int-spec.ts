import type { DataSource } from 'typeorm';
import { freshDataSource } from '../support/database.js';

/**
 * The migration that gives revisions their status, on revisions written before it: drafts stay drafts (the safe side
 * when the publication time cannot be trusted), and a practice published unchanged gets a published revision, so its
 * text stays readable by everyone the practice is for.
 */
const MIGRATION = 'PracticeRevisionStatus1796000100000';
const T = new Date('2026-03-01T12:00:00.000Z');
const hours = (n: number) => new Date(T.getTime() + n * 3_600_000);

describe(`migration ${MIGRATION}`, () => {
  let db: DataSource;
  let org: string;
  let member: string;

  beforeAll(async () => {
    db = await freshDataSource();
    // Back to just before this migration (and whatever came after it).
    for (;;) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM migrations WHERE name = $1`, [MIGRATION]);
      if (n === 0) break;
      await db.undoLastMigration({ transaction: 'each' });
    }
    [{ id: org }] = await db.query(`INSERT INTO organisation (slug, name, kind, country) VALUES ('backfill', 'Backfill', 'UK_COUNCIL', 'GB') RETURNING id`);
    [{ id: member }] = await db.query(`INSERT INTO member (organisation_id, email, name) VALUES ($1, 'a@backfill.gov.uk', 'A') RETURNING id`, [org]);
  });
  afterAll(() => db.destroy());

  /** A practice at `revisions.length`, with one revision per creation time. */
  async function practice(title: string, status: string, createdAt: Date, publishedAt: Date | null, revisions: Date[]): Promise<string> {
    const [{ id }] = await db.query(
      `INSERT INTO practice (organisation_id, author_id, title, summary, problem, approach, outcomes, status, visibility, revision, published_at, created_at)
       VALUES ($1, $2, $3, 's', 'p', 'a', 'o', $4, 'TLP_CLEAR', $5, $6, $7) RETURNING id`,
      [org, member, title, status, revisions.length, publishedAt, createdAt],
    );
    for (const [i, at] of revisions.entries()) {
      await db.query(
        `INSERT INTO practice_revision (practice_id, revision, editor_id, title, summary, problem, approach, outcomes, resources, tag_slugs, language, visibility, audience_organisation_ids, created_at)
         VALUES ($1, $2, $3, $4, 's', 'p', 'a', 'o', '[]', '{phishing}', 'en', 'TLP_CLEAR', '{}', $5)`,
        [id, i + 1, member, `${title} r${i + 1}`, at],
      );
    }
    return id;
  }

  const history = async (id: string) =>
    db.query(`SELECT revision, title, status, created_at FROM practice_revision WHERE practice_id = $1 ORDER BY revision`, [id]) as Promise<
      { revision: number; title: string; status: string; created_at: Date }[]
    >;
  const revisionOf = async (id: string) => ((await db.query(`SELECT revision FROM practice WHERE id = $1`, [id])) as { revision: number }[])[0]!.revision;

  it('records drafts as DRAFT, edits after publication as PUBLISHED, and adds a published revision where none was', async () => {
    const draft = await practice('draft', 'DRAFT', hours(-3), null, [hours(-3), hours(-2)]);
    const edited = await practice('edited', 'PUBLISHED', hours(-3), T, [hours(-3), hours(-1), hours(1)]);
    const unchanged = await practice('unchanged', 'PUBLISHED', hours(-3), T, [hours(-3)]);
    const archived = await practice('archived', 'ARCHIVED', hours(-3), T, [hours(-3)]);
    const backdated = await practice('backdated', 'PUBLISHED', hours(5), hours(-72), [hours(5), hours(6)]);

    await db.runMigrations({ transaction: 'each' });

    expect((await history(draft)).map((r) => [r.revision, r.status])).toEqual([
      [1, 'DRAFT'],
      [2, 'DRAFT'],
    ]);
    expect(await revisionOf(draft)).toBe(2);
    expect((await history(edited)).map((r) => [r.revision, r.status])).toEqual([
      [1, 'DRAFT'],
      [2, 'DRAFT'],
      [3, 'PUBLISHED'],
    ]);
    expect(await revisionOf(edited)).toBe(3);
    expect(await history(unchanged)).toEqual([
      { revision: 1, title: 'unchanged r1', status: 'DRAFT', created_at: hours(-3) },
      { revision: 2, title: 'unchanged r1', status: 'PUBLISHED', created_at: T },
    ]);
    expect(await revisionOf(unchanged)).toBe(2);
    expect((await history(archived)).map((r) => [r.revision, r.status])).toEqual([
      [1, 'DRAFT'],
      [2, 'PUBLISHED'],
    ]);
    // A publication before the practice existed cannot tell drafts from published text: all drafts, then the copy.
    expect((await history(backdated)).map((r) => [r.revision, r.title, r.status])).toEqual([
      [1, 'backdated r1', 'DRAFT'],
      [2, 'backdated r2', 'DRAFT'],
      [3, 'backdated r2', 'PUBLISHED'],
    ]);
    expect(await revisionOf(backdated)).toBe(3);
  });
});
