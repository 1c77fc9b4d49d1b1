import { CreatePracticeInput, PracticeError, PracticeErrorCode, Visibility, takesAudience, type PracticeEntity, type PracticeResource } from '#practices';
import type { ValidationError } from 'class-validator';
import type { FieldError } from '../forms/form-errors.js';
import { many, single } from '../forms/form-errors.js';
import type { Language, Translate } from '../i18n/messages.js';
import { asInput, fieldErrors, isEmpty, textOf, type FieldRule } from '../practices/form-rules.js';

/** Resource rows the form always offers (more when a practice already has more, up to the API's 20). */
export const RESOURCE_ROWS = 5;
const MAX_RESOURCES = 20;

/** What the practice form holds, exactly as typed, to show again on every error. */
export interface PracticeFormValues {
  title: string;
  summary: string;
  problem: string;
  approach: string;
  outcomes: string;
  resources: { title: string; url: string }[];
  /** Topics as typed: labels separated by commas. */
  tags: string;
  language: string;
  visibility: string;
  /** Slugs of the audience organisations (TLP:AMBER only). */
  audience: string[];
  /** The revision the edit is based on (edits only). */
  expectedRevision: string;
}

/** An empty form for a new practice, in the page's language. */
export function blankPracticeForm(lang: Language): PracticeFormValues {
  return {
    title: '',
    summary: '',
    problem: '',
    approach: '',
    outcomes: '',
    resources: resourceRows([]),
    tags: '',
    language: lang,
    visibility: '',
    audience: [],
    expectedRevision: '',
  };
}

/** The form filled with a practice as saved, for editing it. */
export function practiceFormOf(practice: PracticeEntity, tagLabels: string[], audienceSlugs: string[]): PracticeFormValues {
  return {
    title: practice.title,
    summary: practice.summary,
    problem: practice.problem,
    approach: practice.approach,
    outcomes: practice.outcomes,
    resources: resourceRows(practice.resources),
    tags: tagLabels.join(', '),
    language: practice.language,
    visibility: practice.visibility,
    audience: audienceSlugs,
    expectedRevision: String(practice.revision),
  };
}

/** The posted form's values; a resource row is `resource-<n>-title` and `resource-<n>-url`. */
export function readPracticeForm(body: Record<string, unknown>): PracticeFormValues {
  const resources: { title: string; url: string }[] = [];
  for (let n = 1; n <= MAX_RESOURCES; n += 1) {
    const title = single(body[`resource-${n}-title`]);
    const url = single(body[`resource-${n}-url`]);
    if (`resource-${n}-title` in body || `resource-${n}-url` in body) resources.push({ title, url });
  }
  return {
    title: single(body.title),
    summary: textOf(body.summary),
    problem: textOf(body.problem),
    approach: textOf(body.approach),
    outcomes: textOf(body.outcomes),
    resources: resourceRows(resources),
    tags: single(body.tags),
    language: single(body.language),
    visibility: single(body.visibility),
    audience: many(body.audience),
    expectedRevision: single(body.expectedRevision),
  };
}

/**
 * The rows the form shows: the given ones in their places (errors name rows by number), then empty ones up to
 * RESOURCE_ROWS, or one spare after the last filled row, up to the API's limit.
 */
function resourceRows(given: readonly PracticeResource[]): { title: string; url: string }[] {
  const rows = given.map((r) => ({ title: r.title, url: r.url }));
  const lastFilled = rows.findLastIndex((r) => r.title !== '' || r.url !== '');
  const wanted = Math.min(MAX_RESOURCES, Math.max(RESOURCE_ROWS, rows.length, lastFilled + 2));
  while (rows.length < wanted) rows.push({ title: '', url: '' });
  return rows;
}

/** Topics typed as "Phishing, Postal votes": the labels, without empty ones. */
export function tagLabelsOf(typed: string): string[] {
  return typed
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);
}

const RULES: Record<string, FieldRule> = {
  title: { field: 'title', empty: 'write.errors.titleEmpty', invalid: 'write.errors.titleTooLong' },
  summary: { field: 'summary', empty: 'write.errors.summaryEmpty', invalid: 'write.errors.summaryTooLong' },
  problem: { field: 'problem', empty: 'write.errors.problemEmpty', invalid: 'write.errors.problemTooLong' },
  approach: { field: 'approach', empty: 'write.errors.approachEmpty', invalid: 'write.errors.approachTooLong' },
  outcomes: { field: 'outcomes', empty: 'write.errors.outcomesEmpty', invalid: 'write.errors.outcomesTooLong' },
  tags: { field: 'tags', invalid: 'write.errors.tags' },
  language: { field: 'language', invalid: 'write.errors.language' },
  visibility: { field: 'visibility', empty: 'write.errors.visibilityEmpty', invalid: 'write.errors.visibilityEmpty' },
  audienceOrganisationSlugs: { field: 'audience', invalid: 'write.errors.audience' },
};

/** The API's input for the form's values: the rows left empty dropped, the audience only for TLP:AMBER. */
function inputOf(values: PracticeFormValues): { plain: Record<string, unknown>; rows: number[] } {
  const rows: number[] = [];
  const resources = values.resources.filter((row, i) => {
    const used = row.title !== '' || row.url !== '';
    if (used) rows.push(i + 1);
    return used;
  });
  return {
    plain: {
      title: values.title,
      summary: values.summary,
      problem: values.problem,
      approach: values.approach,
      outcomes: values.outcomes,
      resources,
      tags: tagLabelsOf(values.tags),
      language: values.language || undefined,
      visibility: values.visibility || undefined,
      // The organisations are asked under the TLP:AMBER choice; ticked under another choice, they mean nothing.
      audienceOrganisationSlugs: takesAudience(values.visibility as Visibility) ? values.audience : [],
    },
    rows,
  };
}

/** Errors of the resource rows: ValidateNested reports them by their place in the list sent. */
function resourceErrors(errors: ValidationError[], rows: number[], t: Translate): FieldError[] {
  const found: FieldError[] = [];
  const nested = errors.find((e) => e.property === 'resources');
  for (const child of nested?.children ?? []) {
    const row = rows[Number(child.property)];
    if (row === undefined) continue;
    for (const error of child.children ?? []) {
      if (error.property === 'title') {
        const key = isEmpty(error.value) ? 'write.errors.resourceTitleEmpty' : 'write.errors.resourceTitleTooLong';
        found.push({ field: `resource-${row}-title`, text: t(key, { number: row }) });
      } else if (error.property === 'url') {
        const key = isEmpty(error.value) ? 'write.errors.resourceUrlEmpty' : 'write.errors.resourceUrlInvalid';
        found.push({ field: `resource-${row}-url`, text: t(key, { number: row }) });
      }
    }
  }
  return found;
}

/**
 * The form as the API's CreatePracticeInput (the fields UpdatePracticeInput shares with it), checked with its
 * class-validator rules; errors in the order of the form, in the page's language.
 */
export async function checkPracticeForm(values: PracticeFormValues, t: Translate): Promise<{ input: CreatePracticeInput; errors: FieldError[] }> {
  const { plain, rows } = inputOf(values);
  const { input, errors } = await asInput(CreatePracticeInput, plain);
  const found = fieldErrors(errors, RULES, t);
  // The resource rows come after the main text in the form, so in the summary too.
  const resources = resourceErrors(errors, rows, t);
  const at = found.findIndex((e) => !['title', 'summary', 'problem', 'approach', 'outcomes'].includes(e.field));
  found.splice(at < 0 ? found.length : at, 0, ...resources);
  return { input, errors: found };
}

/**
 * A PracticeError the form can explain (a field the service refused), as a field error; undefined for any other
 * error, which the caller rethrows (a refusal becomes the 404 page).
 */
export function serviceFieldError(error: unknown, t: Translate): FieldError | undefined {
  if (!(error instanceof PracticeError)) return undefined;
  if (error.code === PracticeErrorCode.INVALID_INPUT && error.field === 'tags') return { field: 'tags', text: t('write.errors.tagNoLetters') };
  if (error.code === PracticeErrorCode.INVALID_INPUT && error.field === 'audienceOrganisationSlugs')
    return { field: 'audience', text: t('write.errors.audienceUnknown') };
  if (error.code === PracticeErrorCode.INVALID_STATE) return { field: 'title', text: t('write.errors.archived') };
  return undefined;
}

/** The visibility levels in the order the form offers them, widest first. */
export const VISIBILITIES = [Visibility.TLP_CLEAR, Visibility.TLP_GREEN, Visibility.TLP_AMBER, Visibility.TLP_AMBER_STRICT];

/** Languages the form offers first; a practice's own language is added when it is another. */
const LANGUAGE_CODES = ['en', 'cy', 'gd', 'ga', 'et', 'lt', 'lv', 'fi', 'sv', 'pl', 'de', 'fr', 'nl', 'es', 'pt', 'uk'];

/** The language choices, named in the page's language. */
export function languageOptions(lang: Language, current: string): { value: string; text: string }[] {
  const names = new Intl.DisplayNames([lang === 'cy' ? 'cy' : 'en-GB'], { type: 'language', fallback: 'code' });
  const name = (code: string) => {
    try {
      return names.of(code) ?? code;
    } catch {
      return code;
    }
  };
  const codes = current && !LANGUAGE_CODES.includes(current) ? [...LANGUAGE_CODES, current] : LANGUAGE_CODES;
  const [english, welsh, ...rest] = codes.map((code) => ({ value: code, text: name(code) }));
  return [english!, welsh!, ...rest.sort((a, b) => a.text.localeCompare(b.text, lang))];
}
