import { OrganisationKind, UpsertOrganisationInput } from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { single, validationErrors, type FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';

/** Catalogue keys of the kinds, one organisation each (the practices filter names them in the plural). */
export const KIND_KEYS: Record<OrganisationKind, string> = {
  [OrganisationKind.UK_COUNCIL]: 'platform.kinds.ukCouncil',
  [OrganisationKind.UK_CENTRAL_GOVERNMENT]: 'platform.kinds.ukCentralGovernment',
  [OrganisationKind.OVERSEAS_AUTHORITY]: 'platform.kinds.overseasAuthority',
  [OrganisationKind.OTHER_PUBLIC_BODY]: 'platform.kinds.otherPublicBody',
};

/** What the organisation form holds, as typed. */
export interface OrganisationFormValues {
  slug: string;
  name: string;
  kind: string;
  country: string;
  region: string;
  /** As typed: one domain a line (commas and spaces separate too). */
  emailDomains: string;
}

/** Catalogue keys of the API input's errors, by UpsertOrganisationInput property. */
const INPUT_MESSAGES: Record<string, { field: string; key: string }> = {
  slug: { field: 'slug', key: 'platform.errors.slug' },
  name: { field: 'name', key: 'platform.errors.name' },
  kind: { field: 'kind', key: 'platform.errors.kind' },
  country: { field: 'country', key: 'platform.errors.country' },
  region: { field: 'region', key: 'platform.errors.region' },
  emailDomains: { field: 'emailDomains', key: 'platform.errors.domainsTooMany' },
};

export function splitDomains(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((d) => d.trim())
    .filter(Boolean);
}

/**
 * Reads the organisation form into the API's own UpsertOrganisationInput, checked with the same class-validator rules
 * as the upsertOrganisation mutation. `slug` is the edited organisation's when editing (the form does not change it).
 */
export async function readOrganisationForm(
  body: Record<string, unknown>,
  slug: string | null,
  t: Translate,
): Promise<{ values: OrganisationFormValues; input: UpsertOrganisationInput; errors: FieldError[] }> {
  const values: OrganisationFormValues = {
    slug: slug ?? single(body.slug),
    name: single(body.name),
    kind: single(body.kind),
    country: single(body.country).toUpperCase(),
    region: single(body.region),
    emailDomains: typeof body.emailDomains === 'string' ? body.emailDomains.trim() : '',
  };
  const input = plainToInstance(UpsertOrganisationInput, {
    slug: values.slug,
    name: values.name,
    kind: values.kind,
    country: values.country,
    region: values.region || null,
    emailDomains: splitDomains(values.emailDomains),
  });
  const errors = validationErrors(await validate(input), INPUT_MESSAGES, t);
  // What the person left empty gets the GOV.UK "Enter ..." wording rather than "must be ...".
  for (const error of errors) {
    if (error.field === 'name' && !values.name) error.text = t('platform.errors.nameMissing');
    if (error.field === 'slug' && !values.slug) error.text = t('platform.errors.slugMissing');
    if (error.field === 'kind' && !values.kind) error.text = t('platform.errors.kindMissing');
    if (error.field === 'country' && !values.country) error.text = t('platform.errors.countryMissing');
  }
  return { values, input, errors };
}
