import type { ValidationError } from 'class-validator';
import type { Translate } from '../i18n/messages.js';

/** One problem with a form: the id of the field at fault (the summary links to it) and what to do, translated. */
export interface FieldError {
  field: string;
  text: string;
}

/** What the GOV.UK error summary and the fields' inline errors need; empty when the form is fine. */
export interface FormErrors {
  list: { text: string; href: string }[];
  /** Inline error of each field by id, as `errorMessage` of its macro. */
  byField: Record<string, { text: string }>;
}

export function formErrors(errors: FieldError[]): FormErrors {
  const byField: Record<string, { text: string }> = {};
  for (const error of errors) byField[error.field] ??= { text: error.text };
  return { list: errors.map((e) => ({ text: e.text, href: `#${e.field}` })), byField };
}

/**
 * class-validator's failures as field errors: `messages` names, per property, the catalogue key of what to tell
 * the person (the classes' own messages are written for API clients, in English).
 */
export function validationErrors(errors: ValidationError[], messages: Record<string, { field: string; key: string }>, t: Translate): FieldError[] {
  const found: FieldError[] = [];
  for (const error of errors) {
    const message = messages[error.property];
    found.push(message ? { field: message.field, text: t(message.key) } : { field: error.property, text: t('errors.fieldInvalid') });
  }
  return found;
}

/** A query or form value as one trimmed string ('' when absent or repeated oddly). */
export function single(value: unknown): string {
  if (Array.isArray(value)) return single(value[0]);
  return typeof value === 'string' ? value.trim() : '';
}

/** A query or form value as a list of non-empty strings (checkboxes send one value per ticked box). */
export function many(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .filter((v): v is string => typeof v === 'string')
    .map((v) => v.trim())
    .filter(Boolean);
}
