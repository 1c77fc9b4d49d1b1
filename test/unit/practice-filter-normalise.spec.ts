import { normalisePracticeFilter } from '../../libs/practices/src/practices/practice-filter.normalise.js';
import { OrganisationKind } from '../../libs/identity/src/organisations/organisation.entity.js';

describe('normalisePracticeFilter', () => {
  it('is empty without a filter', () => {
    expect(normalisePracticeFilter(undefined)).toEqual({});
    expect(normalisePracticeFilter({ query: '   ', tags: [], countries: [] })).toEqual({});
  });

  it('trims the query, slugs tags, lower-cases organisation slugs and upper-cases countries, without repeats', () => {
    expect(
      normalisePracticeFilter({
        query: '  ballot secrecy ',
        tags: ['Cyber Security', 'cyber-security', 'Phishing'],
        organisationSlugs: [' Leeds ', 'leeds'],
        organisationKinds: [OrganisationKind.UK_COUNCIL, OrganisationKind.UK_COUNCIL],
        countries: ['gb', 'GB', 'Fr'],
      }),
    ).toEqual({
      query: 'ballot secrecy',
      tagSlugs: ['cyber-security', 'phishing'],
      organisationSlugs: ['leeds'],
      organisationKinds: [OrganisationKind.UK_COUNCIL],
      countries: ['GB', 'FR'],
    });
  });

  it.each([[['#!']], [['Phishing', '#!']], [['  ']]])('refuses a tag with no letters or digits, alone or among others: %j', (tags) => {
    expect(() => normalisePracticeFilter({ tags })).toThrow(
      expect.objectContaining({
        code: 'INVALID_INPUT',
        field: 'tags',
        message: `filter.tags: "${tags.find((t) => !/[a-z]/i.test(t))}" has no letters or digits`,
      }),
    );
  });
});
