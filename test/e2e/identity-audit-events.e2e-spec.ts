import { Role, toGlobalId } from '#identity';
import { createMember, createOrganisation } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp } from '../support/test-app.js';
import { SET_ROLES, AUDIT_PAGE, type AuditNode, identityReaders } from '../support/identity-api.js';

/**
 * Identity through the real API: tokens (shown once, stored hashed, scoped, revocable), roles, deactivation,
 * organisations and the audit log, each checked in the response and in the database.
 */
describe('identity through the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const { allAuditPages, createToken } = identityReaders(() => t);

  describe('auditEvents', () => {
    /** Two organisations with events of their own: created members, their tokens, a role change. */
    async function twoBusyOrganisations() {
      const a = await createOrganisation(t.app);
      const b = await createOrganisation(t.app);
      const adminA = await createMember(t.app, a, [Role.ORG_ADMIN]);
      const adminB = await createMember(t.app, b, [Role.ORG_ADMIN]);
      const memberA = await createMember(t.app, a);
      await createMember(t.app, b);
      await t.gql(SET_ROLES, { input: { id: memberA.id, roles: ['ORG_ADMIN'] } }, adminA.token);
      await createToken(memberA.token, { name: 'extra', scopes: ['READ'] });
      return { a, b, adminA, adminB };
    }

    const globalIdsOf = async (sql: string, params: unknown[] = []) =>
      ((await t.dataSource.query(sql, params)) as { id: string }[]).map((r) => toGlobalId('AuditEvent', r.id)).sort();

    it("an ORG_ADMIN sees exactly their organisation's events", async () => {
      const { a, adminA } = await twoBusyOrganisations();
      const { ids } = await allAuditPages(adminA.token, 100);
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      expect(expected.length).toBeGreaterThanOrEqual(6);
      expect([...ids].sort()).toEqual(expected);
    });

    it('a PLATFORM_ADMIN sees the events of every organisation', async () => {
      const { a, b } = await twoBusyOrganisations();
      const platform = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const { ids } = await allAuditPages(platform.token, 100);
      const all = await globalIdsOf('SELECT id FROM audit_event');
      expect([...ids].sort()).toEqual(all);
      const ofA = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      const ofB = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [b.id]);
      expect(ids).toEqual(expect.arrayContaining([...ofA, ...ofB]));
    });

    it('a CONTRIBUTOR is FORBIDDEN and an anonymous caller UNAUTHENTICATED', async () => {
      const org = await createOrganisation(t.app);
      const m = await createMember(t.app, org, [Role.CONTRIBUTOR]);
      const res = await t.gql(AUDIT_PAGE, { first: 5 }, m.token);
      expect(errorCode(res)).toBe('FORBIDDEN');
      expect(res.data?.auditEvents ?? null).toBeNull();
      expect(errorCode(await t.gql(AUDIT_PAGE, { first: 5 }))).toBe('UNAUTHENTICATED');
    });

    it("an ORG_ADMIN cannot read another organisation's event through node(id:)", async () => {
      const { b, adminA } = await twoBusyOrganisations();
      const [foreign] = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1 LIMIT 1', [b.id]);
      const res = await t.gql('query($id: ID!) { node(id: $id) { id } }', { id: foreign }, adminA.token);
      expect(res.data?.node).toBeNull();
    });

    it('paging with first: 2 visits every event exactly once, newest first', async () => {
      const { a, adminA } = await twoBusyOrganisations();
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [a.id]);
      const { ids, pages } = await allAuditPages(adminA.token, 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / 2));

      const single = await t.gql(AUDIT_PAGE, { first: 100 }, adminA.token);
      const newestFirst = single.data!.auditEvents.edges.map((e: { node: AuditNode }) => e.node);
      expect(ids).toEqual(newestFirst.map((n: AuditNode) => n.id));
      const times = newestFirst.map((n: AuditNode) => new Date(n.occurredAt).getTime());
      expect(times).toEqual([...times].sort((x, y) => y - x));
    });

    it('pages correctly through events recorded in the same millisecond', async () => {
      const org = await createOrganisation(t.app);
      const admin = await createMember(t.app, org, [Role.ORG_ADMIN]);
      // Five events sharing one timestamp: the cursor must break the tie by id.
      await t.dataSource.query(
        `INSERT INTO audit_event (occurred_at, action, organisation_id, details)
         SELECT '2030-01-01T00:00:00.123Z'::timestamptz, 'SIGN_IN', $1, '{}'::jsonb FROM generate_series(1, 5)`,
        [org.id],
      );
      const expected = await globalIdsOf('SELECT id FROM audit_event WHERE organisation_id = $1', [org.id]);
      const { ids } = await allAuditPages(admin.token, 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual(expected);
    });
  });
});
