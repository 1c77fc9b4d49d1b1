import { entitiesByIds, entityColumns, queryEntities } from '#database';
import { MemberEntity, OrganisationEntity, Role } from '#identity';
import { PracticeEntity, TagEntity, Visibility } from '#practices';
import { In } from 'typeorm';
import { createMember, createOrganisation, createPractice } from '../factories/index.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// The hot read paths map rows by hand (queryEntities); they must give what TypeORM's own hydration gives.
describe('entities mapped from hand-written SQL', () => {
  let t: TestApp;
  let practiceIds: string[];
  let memberIds: string[];
  let organisationIds: string[];

  beforeAll(async () => {
    t = await startTestApp();
    const organisation = await createOrganisation(t.app);
    const other = await createOrganisation(t.app);
    const admin = await createMember(t.app, organisation, [Role.ORG_ADMIN, Role.CONTRIBUTOR]);
    const contributor = await createMember(t.app, other);
    const amber = await createPractice(t.app, admin, { visibility: Visibility.TLP_AMBER, audience: [other], tags: ['Phishing', 'Fake accounts'] });
    const clear = await createPractice(t.app, contributor, { visibility: Visibility.TLP_CLEAR, tags: [] });
    practiceIds = [amber.id, clear.id];
    memberIds = [admin.member.id, contributor.member.id];
    organisationIds = [organisation.id, other.id];
  });
  afterAll(() => t.close());

  it.each([
    ['practices', PracticeEntity, () => practiceIds],
    ['members (roles: an enum array)', MemberEntity, () => memberIds],
    ['organisations', OrganisationEntity, () => organisationIds],
  ] as const)('%s: the same entities, of the same class, as TypeORM loads', async (_name, target, ids) => {
    const manager = t.dataSource.manager;
    const byHand = await entitiesByIds<object>(manager, target, ids());
    const byTypeorm = await manager.getRepository<object>(target).findBy({ id: In(ids()) });
    const byId = (rows: object[]) => [...rows].sort((a, b) => String((a as { id: string }).id).localeCompare(String((b as { id: string }).id)));
    expect(byHand).toHaveLength(ids().length);
    expect(byId(byHand)).toEqual(byId(byTypeorm));
    for (const entity of byHand) expect(entity).toBeInstanceOf(target);
  });

  it('leaves out columns marked select: false (the search vector)', async () => {
    const [practice] = await entitiesByIds(t.dataSource.manager, PracticeEntity, practiceIds.slice(0, 1));
    expect(Object.keys(practice!)).not.toContain('searchVector');
    expect(entityColumns(t.dataSource.manager, PracticeEntity, 'p')).not.toContain('search_vector');
  });

  it("returns the columns that are not the entity's apart, and expands :...list parameters", async () => {
    const manager = t.dataSource.manager;
    const rows = await queryEntities<TagEntity, { practiceId: string }>(
      manager,
      TagEntity,
      `SELECT ${entityColumns(manager, TagEntity, 't')}, pt.practice_id AS "practiceId" FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.practice_id IN (:...ids) ORDER BY t.slug`,
      { ids: practiceIds },
    );
    expect(rows.map((r) => [r.entity.slug, r.extra.practiceId])).toEqual([
      ['fake-accounts', practiceIds[0]],
      ['phishing', practiceIds[0]],
    ]);
    expect(rows[0]!.entity).toBeInstanceOf(TagEntity);
    expect(Object.keys(rows[0]!.entity)).not.toContain('practiceId');
  });
});
