import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';

/**
 * What to tell the person when a property of an API input class fails its class-validator rules: the id of the form
 * field, and catalogue keys for an empty value and for any other failure (too long, wrong format).
 */
export interface FieldRule {
  field: string;
  empty?: string;
  invalid: string;
  /** Placeholders of the messages. */
  params?: Record<string, string | number>;
}

/** A value a person left out: an empty string, no value at all, or an empty list. */
export function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** One error per failing property, in the order of `rules` (the order of the form's fields, as the summary lists them). */
export function fieldErrors(errors: ValidationError[], rules: Record<string, FieldRule>, t: Translate): FieldError[] {
  const found: FieldError[] = [];
  for (const [property, rule] of Object.entries(rules)) {
    const error = errors.find((e) => e.property === property);
    if (!error) continue;
    const key = rule.empty && isEmpty(error.value) ? rule.empty : rule.invalid;
    found.push({ field: rule.field, text: t(key, rule.params) });
  }
  for (const error of errors) {
    if (!rules[error.property] && !error.children?.length) found.push({ field: error.property, text: t('errors.fieldInvalid') });
  }
  return found;
}

/**
 * The form's fields as the API's own input class, checked with the class-validator rules GraphQL applies (unknown
 * properties stripped, as its validation pipe does).
 */
export async function asInput<T extends object>(type: new () => T, plain: Record<string, unknown>): Promise<{ input: T; errors: ValidationError[] }> {
  const input = plainToInstance(type, plain);
  const errors = await validate(input, { whitelist: true, forbidUnknownValues: false });
  return { input, errors };
}

/** A textarea's text as typed, with the browser's CRLF line ends as LF and the ends trimmed. */
export function textOf(value: unknown): string {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' ? text.replace(/\r\n?/g, '\n').trim() : '';
}
