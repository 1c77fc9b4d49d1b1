import type { OrganisationKind } from '#identity';
import type { SqlPredicate } from '../visibility/visibility.predicate.js';

/** What lists, search and digests filter practices by; tags as normalised slugs. */
export interface PracticeFilterValues {
  query?: string;
  tagSlugs?: string[];
  organisationSlugs?: string[];
  organisationKinds?: OrganisationKind[];
  countries?: string[];
  publishedAfter?: Date;
  organisationId?: string;
}

/**
 * The filter as one SQL condition on the practice table `alias`, shared by the practice list and the digest
 * builder so a subscription matches exactly what the same filter lists. It narrows; the read rule still applies.
 */
export function practiceFilterPredicate(filter: PracticeFilterValues, alias = 'p'): SqlPredicate {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.query) {
    conditions.push(`${alias}.search_vector @@ websearch_to_tsquery('english', :query)`);
    params.query = filter.query;
  }
  if (filter.organisationId) {
    conditions.push(`${alias}.organisation_id = :organisationId`);
    params.organisationId = filter.organisationId;
  }
  if (filter.publishedAfter) {
    conditions.push(`${alias}.published_at > :publishedAfter`);
    params.publishedAfter = filter.publishedAfter;
  }
  if (filter.tagSlugs?.length) {
    conditions.push(
      `EXISTS (SELECT 1 FROM practice_tag f_pt JOIN tag f_t ON f_t.id = f_pt.tag_id WHERE f_pt.practice_id = ${alias}.id AND f_t.slug IN (:...tagSlugs))`,
    );
    params.tagSlugs = filter.tagSlugs;
  }
  const organisation: string[] = [];
  if (filter.organisationSlugs?.length) {
    organisation.push('f_o.slug IN (:...organisationSlugs)');
    params.organisationSlugs = filter.organisationSlugs;
  }
  if (filter.organisationKinds?.length) {
    organisation.push('f_o.kind IN (:...organisationKinds)');
    params.organisationKinds = filter.organisationKinds;
  }
  if (filter.countries?.length) {
    organisation.push('f_o.country IN (:...countries)');
    params.countries = filter.countries;
  }
  if (organisation.length) {
    conditions.push(`EXISTS (SELECT 1 FROM organisation f_o WHERE f_o.id = ${alias}.organisation_id AND ${organisation.join(' AND ')})`);
  }
  return { sql: conditions.length ? `(${conditions.join(' AND ')})` : 'TRUE', params };
}
