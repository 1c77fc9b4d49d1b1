import { Role } from '#identity';
import { Visibility } from '#practices';
import { createMember, createOrganisation, createPractice, type TestMember } from '../factories/index.js';
import { errorCode, startTestApp, type TestApp, expectOk } from '../support/test-app.js';
import type { OrganisationEntity } from '#identity';
import { practiceInput } from '../support/practice-input.js';
import { CREATE_PRACTICE, UPDATE_PRACTICE, PUBLISH_PRACTICE, long, expectBadInput, badInputSteps } from '../support/bad-input.js';

/**
 * Bad input over HTTP: validation errors are BAD_USER_INPUT and name the field and rule; text is stored and returned
 * exactly as given (never as HTML, except the escaped search snippet); malformed requests are 400s, never 500s; query
 * depth and cost are limited (aliases included); and every refused mutation leaves the tables as they were.
 */
describe('bad input is refused with BAD_USER_INPUT naming the field, and nothing is written', () => {
  let t: TestApp;
  let org: OrganisationEntity;
  let contributor: TestMember;

  beforeAll(async () => {
    t = await startTestApp();
    org = await createOrganisation(t.app);
    contributor = await createMember(t.app, org, [Role.CONTRIBUTOR]);
  });
  afterAll(() => t.close());

  const { count, practiceTables, practiceRow, expectCreateRefused } = badInputSteps(
    () => t,
    () => contributor,
  );

  describe('audience, tags and other domain rules', () => {
    it('refuses an audience slug that does not exist, naming audienceOrganisationSlugs', async () => {
      await expectCreateRefused(
        practiceInput({ visibility: 'TLP_AMBER', audienceOrganisationSlugs: ['no-such-council'] }),
        'audienceOrganisationSlugs',
        /no-such-council/,
      );
    });

    it('refuses an audience on a practice that is not TLP_AMBER', async () => {
      const other = await createOrganisation(t.app);
      for (const visibility of ['TLP_CLEAR', 'TLP_GREEN', 'TLP_AMBER_STRICT']) {
        await expectCreateRefused(practiceInput({ visibility, audienceOrganisationSlugs: [other.slug] }), 'audienceOrganisationSlugs');
      }
    });

    it('refuses an edit to TLP_GREEN that names an audience, leaving the practice unchanged', async () => {
      const other = await createOrganisation(t.app);
      const practice = await createPractice(t.app, contributor, { visibility: Visibility.TLP_AMBER, audience: [other] });
      const before = await practiceRow(practice.id);
      const audience = await count('practice_audience');
      const response = await t.gql(
        UPDATE_PRACTICE,
        { input: { id: practice.gid, expectedRevision: practice.revision, visibility: 'TLP_GREEN', audienceOrganisationSlugs: [other.slug] } },
        contributor.token,
      );
      expectBadInput(response, 'audienceOrganisationSlugs');
      expect(await practiceRow(practice.id)).toEqual(before);
      expect(await count('practice_audience')).toBe(audience);
    });

    it('accepts an audience on TLP_AMBER', async () => {
      const other = await createOrganisation(t.app);
      const practice = expectOk(
        await t.gql(CREATE_PRACTICE, { input: practiceInput({ visibility: 'TLP_AMBER', audienceOrganisationSlugs: [other.slug] }) }, contributor.token),
        'createPractice',
      );
      expect(practice.audience).toEqual([{ slug: other.slug }]);
    });

    it.each(['!!!', '   ', '---'])('refuses the tag %j, naming tags', async (tag) => {
      await expectCreateRefused(practiceInput({ tags: ['Phishing', tag] }), 'tags');
    });

    it('refuses a tag over 50 characters', async () => {
      await expectCreateRefused(practiceInput({ tags: [long(51)] }), 'tags');
    });

    it('makes "Cyber Security", "cyber-security" and " cyber  security " one tag, cyber-security', async () => {
      for (const tag of ['Cyber Security', 'cyber-security', ' cyber  security ']) {
        const practice = expectOk(
          await t.gql(CREATE_PRACTICE, { input: practiceInput({ tags: [tag], visibility: 'TLP_CLEAR' }) }, contributor.token),
          'createPractice',
        );
        expect(practice.tags).toEqual([{ slug: 'cyber-security' }]);
        expectOk(await t.gql(PUBLISH_PRACTICE, { id: practice.id }, contributor.token), 'publishPractice');
      }
      const response = await t.gql('{ tags(search: "cyber") { edges { node { slug practiceCount } } } }');
      expect(response.errors).toBeUndefined();
      const slugs = (response.data!.tags.edges as { node: { slug: string; practiceCount: number } }[]).map((e) => e.node);
      expect(slugs.filter((n) => n.slug.includes('security'))).toEqual([{ slug: 'cyber-security', practiceCount: 3 }]);
      expect(await t.dataSource.query("select slug from tag where slug like '%cyber%security%'")).toEqual([{ slug: 'cyber-security' }]);
    });
  });

  // =====================================================================================================

  describe('enum and scalar input', () => {
    it('refuses an unknown visibility written inline with GRAPHQL_VALIDATION_FAILED (400), writing nothing', async () => {
      const before = await practiceTables();
      const response = await t.gql(
        'mutation { createPractice(input: { title: "x", summary: "y", problem: "p", approach: "a", outcomes: "o", tags: [], visibility: TLP_RED }) { id } }',
        {},
        contributor.token,
      );
      expect(errorCode(response)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(response.status).toBe(400);
      expect(await practiceTables()).toEqual(before);
    });

    it.each([
      ['an unknown enum value in a variable', CREATE_PRACTICE, () => ({ input: practiceInput({ visibility: 'TLP_RED' }) }), 'visibility'],
      ['a required input field missing from a variable', CREATE_PRACTICE, () => ({ input: { title: 'Only a title' } }), '$input'],
      ['a required variable not provided', 'query($id: ID!) { practice(id: $id) { id } }', () => ({}), '$id'],
      ['a variable of the wrong type', 'query($first: Int) { practices(first: $first) { edges { node { id } } } }', () => ({ first: 'many' }), '$first'],
    ])('refuses %s with BAD_USER_INPUT and HTTP 400, never 500', async (_what, query, variables, field) => {
      const before = await practiceTables();
      const response = await t.gql(query, variables(), contributor.token);
      expectBadInput(response, field);
      expect(response.status).toBe(400);
      expect(await practiceTables()).toEqual(before);
    });

    it('refuses a language that is not a BCP 47 tag', async () => {
      await expectCreateRefused(practiceInput({ language: '<script>' }), 'language');
    });

    it('refuses an organisation slug with upper case or spaces (upsertOrganisation validation runs)', async () => {
      const admin = await createMember(t.app, await createOrganisation(t.app), [Role.PLATFORM_ADMIN]);
      const before = await count('organisation');
      const response = await t.gql(
        'mutation($input: UpsertOrganisationInput!) { upsertOrganisation(input: $input) { id } }',
        {
          input: { slug: 'Not A Slug', name: 'Somewhere', kind: 'UK_COUNCIL', country: 'GB' },
        },
        admin.token,
      );
      expectBadInput(response, 'slug');
      expect(await count('organisation')).toBe(before);
    });
  });
});
