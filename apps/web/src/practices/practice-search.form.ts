import { OrganisationKind } from '#identity';
import { PracticeFilter, PracticeOrder } from '#practices';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { many, single, validationErrors, type FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';

/** What the search form holds, as typed, to show again (and to build the pagination's links). */
export interface PracticeSearchValues {
  q: string;
  tags: string[];
  organisations: string[];
  kinds: string[];
  countries: string[];
  publishedAfter: { day: string; month: string; year: string };
  order: '' | 'newest' | 'relevance';
  /** The cursor of this page; empty on the first. */
  after: string;
  /** The cursors of the pages before this one, oldest first; `-` is the first page. */
  back: string[];
}

export interface PracticeSearch {
  values: PracticeSearchValues;
  filter: PracticeFilter;
  order: PracticeOrder | undefined;
  errors: FieldError[];
}

/** Catalogue keys of the filter's errors, by PracticeFilter property; `field` is the id the summary links to. */
const FILTER_MESSAGES: Record<string, { field: string; key: string }> = {
  query: { field: 'q', key: 'practices.errors.queryTooLong' },
  tags: { field: 'tags', key: 'practices.errors.tags' },
  organisationSlugs: { field: 'organisations', key: 'practices.errors.organisations' },
  organisationKinds: { field: 'kinds', key: 'practices.errors.kinds' },
  countries: { field: 'countries', key: 'practices.errors.countries' },
  publishedAfter: { field: 'published-after-day', key: 'practices.errors.publishedAfterInvalid' },
};

/** The field of the form a PracticeError's `field` (named after the API's inputs) belongs to. */
export function formFieldOf(apiField: string | undefined): string {
  if (apiField === 'orderBy') return 'order';
  return Object.entries(FILTER_MESSAGES).find(([property]) => property === apiField)?.[1].field ?? 'q';
}

/**
 * The GOV.UK date input's three fields as a date (midnight UTC), or the catalogue key of what is wrong with them;
 * all empty is no date.
 */
export function parseDateInput(parts: { day: string; month: string; year: string }): { date?: Date; error?: string } {
  const { day, month, year } = parts;
  if (!day && !month && !year) return {};
  if (!day) return { error: 'practices.errors.publishedAfterDay' };
  if (!month) return { error: 'practices.errors.publishedAfterMonth' };
  if (!year) return { error: 'practices.errors.publishedAfterYear' };
  if (![day, month, year].every((p) => /^\d+$/.test(p)) || year.length !== 4) return { error: 'practices.errors.publishedAfterInvalid' };
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const real = date.getUTCFullYear() === Number(year) && date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
  return real ? { date } : { error: 'practices.errors.publishedAfterInvalid' };
}

/** The fields in the order the page shows them: the search first, then the filters. */
const FIELD_ORDER = ['q', 'order', 'tags', 'kinds', 'countries', 'organisations', 'published-after-day'];
const fieldPosition = (field: string) => (FIELD_ORDER.includes(field) ? FIELD_ORDER.indexOf(field) : FIELD_ORDER.length);

/**
 * Reads the practices page's query into the API's own PracticeFilter and checks it with the same class-validator
 * rules GraphQL applies, plus what only the form can get wrong (the date's three fields, relevance without words).
 */
export async function readPracticeSearch(query: Record<string, unknown>, t: Translate): Promise<PracticeSearch> {
  const orderRaw = single(query.order);
  const values: PracticeSearchValues = {
    q: single(query.q),
    tags: many(query.tags),
    organisations: many(query.organisations),
    kinds: many(query.kinds),
    countries: many(query.countries),
    publishedAfter: { day: single(query['published-after-day']), month: single(query['published-after-month']), year: single(query['published-after-year']) },
    order: orderRaw === 'newest' || orderRaw === 'relevance' ? orderRaw : '',
    after: single(query.after),
    back: single(query.back).split(',').filter(Boolean),
  };
  const errors: FieldError[] = [];
  const date = parseDateInput(values.publishedAfter);
  if (date.error) errors.push({ field: 'published-after-day', text: t(date.error) });
  const filter = plainToInstance(PracticeFilter, {
    query: values.q || undefined,
    tags: values.tags.length ? values.tags : undefined,
    organisationSlugs: values.organisations.length ? values.organisations : undefined,
    organisationKinds: values.kinds.length ? values.kinds : undefined,
    countries: values.countries.length ? values.countries : undefined,
    publishedAfter: date.date,
  });
  errors.push(...validationErrors(await validate(filter, { forbidUnknownValues: false }), FILTER_MESSAGES, t));
  if (values.order === 'relevance' && !values.q) errors.push({ field: 'order', text: t('practices.errors.relevanceNeedsQuery') });
  const order = values.order === 'relevance' ? PracticeOrder.RELEVANCE : values.order === 'newest' ? PracticeOrder.NEWEST : undefined;
  // The error summary lists the problems in the order of the fields on the page.
  errors.sort((a, b) => fieldPosition(a.field) - fieldPosition(b.field));
  return { values, filter, order, errors };
}

/** The query string of the search `values` on the page after `after` (none: the first page). */
export function searchQuery(values: PracticeSearchValues, page?: { after: string; back: string[] }): string {
  const params = new URLSearchParams();
  if (values.q) params.set('q', values.q);
  for (const tag of values.tags) params.append('tags', tag);
  for (const slug of values.organisations) params.append('organisations', slug);
  for (const kind of values.kinds) params.append('kinds', kind);
  for (const country of values.countries) params.append('countries', country);
  const { day, month, year } = values.publishedAfter;
  if (day || month || year) {
    params.set('published-after-day', day);
    params.set('published-after-month', month);
    params.set('published-after-year', year);
  }
  if (values.order) params.set('order', values.order);
  if (page?.after) params.set('after', page.after);
  if (page?.back.length) params.set('back', page.back.join(','));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const ORGANISATION_KINDS = Object.values(OrganisationKind);
