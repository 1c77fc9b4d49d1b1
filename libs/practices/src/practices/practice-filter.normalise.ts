import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { tagSlug } from '../tags/tag-slug.js';
import type { PracticeFilter } from './dto/practices.args.js';
import type { PracticeFilterValues } from './practice-filter.predicate.js';

/** The fields a practice list and a digest subscription filter by alike. */
export type PracticeFilterFields = Pick<PracticeFilter, 'query' | 'tags' | 'organisationSlugs' | 'organisationKinds' | 'countries'>;

export type NormalisedPracticeFilter = Pick<PracticeFilterValues, 'query' | 'tagSlugs' | 'organisationSlugs' | 'organisationKinds' | 'countries'>;

/**
 * A filter in the forms practices are matched in: the query trimmed, tags as slugs, organisation slugs lower case,
 * countries upper case; each list without repeats, and left out when empty. Lists and digests both read filters
 * through here, so a subscription matches what the same filter lists.
 * @throws PracticeError INVALID_INPUT for a tag with no letters or digits: it has no slug, and dropping it would
 * widen the filter.
 */
export function normalisePracticeFilter(filter: PracticeFilterFields | null | undefined): NormalisedPracticeFilter {
  const out: NormalisedPracticeFilter = {};
  if (!filter) return out;
  const query = filter.query?.trim();
  if (query) out.query = query;
  const unusable = filter.tags?.find((t) => tagSlug(t) === '');
  if (unusable !== undefined) {
    throw new PracticeError(PracticeErrorCode.INVALID_INPUT, `filter.tags: "${unusable}" has no letters or digits`, 'tags');
  }
  if (filter.tags?.length) out.tagSlugs = [...new Set(filter.tags.map(tagSlug))];
  if (filter.organisationSlugs?.length) out.organisationSlugs = [...new Set(filter.organisationSlugs.map((s) => s.trim().toLowerCase()))];
  if (filter.organisationKinds?.length) out.organisationKinds = [...new Set(filter.organisationKinds)];
  if (filter.countries?.length) out.countries = [...new Set(filter.countries.map((c) => c.toUpperCase()))];
  return out;
}
