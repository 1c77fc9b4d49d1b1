import { CreateApiTokenInput, DEFAULT_TOKEN_DAYS, IdentityError, IdentityErrorCode } from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { many, single, type FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';

const DAY = 86_400_000;

/** How long a new token may last, in days: the service allows up to a year and a day. */
export const EXPIRY_CHOICES = ['7', '30', '90', '180', '365'] as const;

export interface TokenFormValues {
  name: string;
  scopes: string[];
  expiry: string;
}

export function emptyTokenForm(): TokenFormValues {
  return { name: '', scopes: [], expiry: String(DEFAULT_TOKEN_DAYS) };
}

export function readTokenForm(body: Record<string, unknown>): TokenFormValues {
  return { name: single(body.name), scopes: many(body.scopes), expiry: single(body.expiry) };
}

/** The moment a token made `now` with `days` of life expires. */
export function expiryOf(days: string, now: Date): Date {
  return new Date(now.getTime() + Number(days) * DAY);
}

/** The form as the API's CreateApiTokenInput, checked with the rules GraphQL applies, plus the expiry choice. */
export async function tokenInputOf(values: TokenFormValues, now: Date, t: Translate): Promise<{ input: CreateApiTokenInput; errors: FieldError[] }> {
  const expiryChosen = (EXPIRY_CHOICES as readonly string[]).includes(values.expiry);
  const input = plainToInstance(CreateApiTokenInput, {
    name: values.name,
    scopes: values.scopes,
    expiresAt: expiryChosen ? expiryOf(values.expiry, now) : undefined,
  });
  const errors: FieldError[] = [];
  for (const error of await validate(input, { whitelist: true, forbidUnknownValues: false })) {
    if (error.property === 'name') errors.push({ field: 'name', text: t(values.name ? 'tokens.errors.nameTooLong' : 'tokens.errors.nameRequired') });
    else if (error.property === 'scopes')
      errors.push({ field: 'scopes', text: t(values.scopes.length ? 'tokens.errors.scopesInvalid' : 'tokens.errors.scopesRequired') });
    else errors.push({ field: 'expiry', text: t('tokens.errors.expiry') });
  }
  if (!expiryChosen) errors.push({ field: 'expiry', text: t('tokens.errors.expiry') });
  return { input, errors };
}

/** An IdentityError the service gave for what the person chose, on the field at fault; undefined for any other. */
export function tokenServiceError(error: unknown, t: Translate): FieldError | undefined {
  if (!(error instanceof IdentityError)) return undefined;
  if (error.code === IdentityErrorCode.TOKEN_SCOPE_TOO_WIDE) return { field: 'scopes', text: t('tokens.errors.scopesTooWide') };
  if (error.code === IdentityErrorCode.TOKEN_EXPIRY_TOO_LATE) return { field: 'expiry', text: t('tokens.errors.expiryTooLate') };
  if (error.code === IdentityErrorCode.INVALID_INPUT && error.field === 'scopes') return { field: 'scopes', text: t('tokens.errors.scopesRequired') };
  if (error.code === IdentityErrorCode.INVALID_INPUT && error.field === 'expiresAt') return { field: 'expiry', text: t('tokens.errors.expiry') };
  return undefined;
}
