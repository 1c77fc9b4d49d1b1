import { ConfigureIdentityProviderInput, Permission } from '#identity';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { single, validationErrors, type FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';
import type { UploadRequest, UploadRoute } from '../middleware/multipart.js';

/** The add-an-IdP form posts multipart (its metadata file) here; the web middleware reads it before the CSRF check. */
export const IDP_METADATA_UPLOAD: UploadRoute = { path: '/organisation/identity-providers', field: 'metadataFile', permission: Permission.IDP_MANAGE };

/** What the form holds, as typed (a file input cannot be filled in again: the person chooses the file again). */
export interface IdpFormValues {
  key: string;
  name: string;
  /** Which of the two the person gave: the address or a file ('' for neither or both). */
  source: '' | 'url' | 'file';
  metadataUrl: string;
}

/** Catalogue keys of the API input's errors, by ConfigureIdentityProviderInput property. */
const INPUT_MESSAGES: Record<string, { field: string; key: string }> = {
  key: { field: 'key', key: 'organisation.idps.errors.key' },
  name: { field: 'name', key: 'organisation.idps.errors.name' },
  metadataUrl: { field: 'metadataUrl', key: 'organisation.idps.errors.metadataUrl' },
  metadataXml: { field: 'metadataFile', key: 'organisation.idps.errors.fileTooLarge' },
  organisationSlug: { field: 'key', key: 'organisation.idps.errors.key' },
};

/** The form field a service error's `field` (named after the API's input) belongs to. */
export function idpFormField(apiField: string | undefined, source: IdpFormValues['source']): string {
  if (apiField === 'key' || apiField === 'name') return apiField;
  if (apiField === 'metadataUrl') return 'metadataUrl';
  return source === 'url' ? 'metadataUrl' : 'metadataFile';
}

/**
 * Reads the add-an-IdP form into the API's own ConfigureIdentityProviderInput, checked with the same class-validator
 * rules as the configureIdentityProvider mutation, plus what only the form can get wrong (neither an address nor a
 * file, or both; a file too large, empty or not text).
 */
export async function readIdpForm(
  req: UploadRequest,
  organisationSlug: string,
  t: Translate,
): Promise<{ values: IdpFormValues; input: ConfigureIdentityProviderInput; errors: FieldError[] }> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const metadataUrl = single(body.metadataUrl);
  // A file input left empty sends no file (multer skips a part without a file name).
  const fileGiven = !!req.file || req.uploadRefused === 'tooLarge';
  const values: IdpFormValues = {
    key: single(body.key),
    name: single(body.name),
    source: metadataUrl && !fileGiven ? 'url' : fileGiven && !metadataUrl ? 'file' : '',
    metadataUrl,
  };
  const errors: FieldError[] = [];
  let metadataXml: string | undefined;
  if (!metadataUrl && !fileGiven) errors.push({ field: 'metadataUrl', text: t('organisation.idps.errors.metadataMissing') });
  if (metadataUrl && fileGiven) errors.push({ field: 'metadataUrl', text: t('organisation.idps.errors.metadataBoth') });
  if (values.source === 'file') {
    if (req.uploadRefused === 'tooLarge') errors.push({ field: 'metadataFile', text: t('organisation.idps.errors.fileTooLarge') });
    else if (!req.file || req.file.size === 0) errors.push({ field: 'metadataFile', text: t('organisation.idps.errors.fileEmpty') });
    else {
      try {
        metadataXml = new TextDecoder('utf-8', { fatal: true }).decode(req.file.buffer);
      } catch {
        errors.push({ field: 'metadataFile', text: t('organisation.idps.errors.fileNotText') });
      }
    }
  }
  const input = plainToInstance(ConfigureIdentityProviderInput, {
    organisationSlug,
    key: values.key || undefined,
    name: values.name || undefined,
    metadataUrl: values.source === 'url' ? values.metadataUrl || undefined : undefined,
    metadataXml,
  });
  if (!errors.length) errors.push(...validationErrors(await validate(input), INPUT_MESSAGES, t));
  return { values, input, errors };
}
