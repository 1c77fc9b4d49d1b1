import {
  CreateDigestSubscriptionInput,
  DigestChannel,
  DigestError,
  DigestErrorCode,
  DigestFrequency,
  UpdateDigestSubscriptionInput,
  Weekday,
  type DigestSubscriptionEntity,
} from '#digests';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { many, single, type FieldError } from '../forms/form-errors.js';
import type { Translate } from '../i18n/messages.js';
import { DEFAULT_TIME_ZONE } from './time-zones.js';

/** What the digest form holds, as typed, to show again. */
export interface DigestFormValues {
  name: string;
  q: string;
  tags: string[];
  organisations: string[];
  kinds: string[];
  countries: string[];
  frequency: string;
  hour: string;
  weekday: string;
  timeZone: string;
  channel: string;
  webhookUrl: string;
}

/** The field of the form (its id, which the error summary links to) in the order the form shows them. */
const FIELD_ORDER = ['name', 'q', 'tags', 'kinds', 'countries', 'organisations', 'frequency', 'hour', 'weekday', 'time-zone', 'channel', 'webhook-url'];

export function emptyDigestForm(): DigestFormValues {
  return {
    name: '',
    q: '',
    tags: [],
    organisations: [],
    kinds: [],
    countries: [],
    frequency: '',
    hour: '7',
    weekday: Weekday.MONDAY,
    timeZone: DEFAULT_TIME_ZONE,
    channel: '',
    webhookUrl: '',
  };
}

/** A subscription's settings as the form shows them to change. */
export function digestFormOf(subscription: DigestSubscriptionEntity): DigestFormValues {
  const { filter } = subscription;
  return {
    name: subscription.name,
    q: filter.query ?? '',
    tags: filter.tags ?? [],
    organisations: filter.organisationSlugs ?? [],
    kinds: filter.organisationKinds ?? [],
    countries: filter.countries ?? [],
    frequency: subscription.frequency,
    hour: String(subscription.hour),
    weekday: subscription.weekday ?? Weekday.MONDAY,
    timeZone: subscription.timeZone,
    channel: subscription.channel,
    webhookUrl: subscription.webhookUrl ?? '',
  };
}

export function readDigestForm(body: Record<string, unknown>): DigestFormValues {
  return {
    name: single(body.name),
    q: single(body.q),
    tags: many(body.tags),
    organisations: many(body.organisations),
    kinds: many(body.kinds),
    countries: many(body.countries),
    frequency: single(body.frequency),
    hour: single(body.hour),
    weekday: single(body.weekday),
    timeZone: single(body['time-zone']),
    channel: single(body.channel),
    webhookUrl: single(body['webhook-url']),
  };
}

/**
 * The form's answers as the API's input: the hour only for daily and weekly digests, the day only for weekly ones, and
 * the web address only for a webhook (the form shows those fields to everyone, each labelled with whom it is for).
 */
function plainInput(values: DigestFormValues): Record<string, unknown> {
  const hour = (text: string) => (/^\d{1,2}$/.test(text) ? Number(text) : text === '' ? undefined : Number.NaN);
  return {
    name: values.name,
    filter: {
      query: values.q || undefined,
      tags: values.tags.length ? values.tags : undefined,
      organisationSlugs: values.organisations.length ? values.organisations : undefined,
      organisationKinds: values.kinds.length ? values.kinds : undefined,
      countries: values.countries.length ? values.countries : undefined,
    },
    frequency: values.frequency || undefined,
    hour: values.frequency === DigestFrequency.DAILY || values.frequency === DigestFrequency.WEEKLY ? hour(values.hour) : undefined,
    weekday: values.frequency === DigestFrequency.WEEKLY ? values.weekday || undefined : undefined,
    timeZone: values.timeZone || undefined,
    channel: values.channel || undefined,
    // Empty is "no address": the service then says a webhook needs one.
    webhookUrl: values.channel === DigestChannel.WEBHOOK ? values.webhookUrl || null : undefined,
  };
}

/** The API's create input from the form, checked with the same class-validator rules GraphQL applies. */
export async function createInputOf(values: DigestFormValues, t: Translate): Promise<{ input: CreateDigestSubscriptionInput; errors: FieldError[] }> {
  const input = plainToInstance(CreateDigestSubscriptionInput, plainInput(values));
  return { input, errors: inputErrors(await validate(input, { whitelist: true, forbidUnknownValues: false }), values, t) };
}

/** The API's update input (every setting, since the form shows them all), checked as GraphQL checks it. */
export async function updateInputOf(
  id: string,
  values: DigestFormValues,
  t: Translate,
): Promise<{ input: UpdateDigestSubscriptionInput; errors: FieldError[] }> {
  const input = plainToInstance(UpdateDigestSubscriptionInput, { id, ...plainInput(values) });
  return { input, errors: inputErrors(await validate(input, { whitelist: true, forbidUnknownValues: false }), values, t) };
}

/** What to tell the person about each input property class-validator refused, on the field that holds it. */
function messageOf(property: string, values: DigestFormValues): { field: string; key: string } {
  switch (property) {
    case 'name':
      return { field: 'name', key: values.name ? 'digests.errors.nameTooLong' : 'digests.errors.nameRequired' };
    case 'query':
      return { field: 'q', key: 'digests.errors.queryTooLong' };
    case 'tags':
      return { field: 'tags', key: 'digests.errors.tags' };
    case 'organisationSlugs':
      return { field: 'organisations', key: 'digests.errors.organisations' };
    case 'organisationKinds':
      return { field: 'kinds', key: 'digests.errors.kinds' };
    case 'countries':
      return { field: 'countries', key: 'digests.errors.countries' };
    case 'frequency':
      return { field: 'frequency', key: values.frequency ? 'digests.errors.frequencyInvalid' : 'digests.errors.frequencyRequired' };
    case 'hour':
      return { field: 'hour', key: 'digests.errors.hour' };
    case 'weekday':
      return { field: 'weekday', key: 'digests.errors.weekday' };
    case 'timeZone':
      return { field: 'time-zone', key: 'digests.errors.timeZone' };
    case 'channel':
      return { field: 'channel', key: values.channel ? 'digests.errors.channelInvalid' : 'digests.errors.channelRequired' };
    case 'webhookUrl':
      return { field: 'webhook-url', key: 'digests.errors.webhookUrlInvalid' };
    default:
      return { field: 'name', key: 'errors.fieldInvalid' };
  }
}

function inputErrors(errors: ValidationError[], values: DigestFormValues, t: Translate): FieldError[] {
  const flat = errors.flatMap((error) => (error.property === 'filter' && error.children?.length ? error.children : [error]));
  return sortByField(flat.map((error) => messageOf(error.property, values)).map(({ field, key }) => ({ field, text: t(key) })));
}

export function sortByField(errors: FieldError[]): FieldError[] {
  const rank = (field: string) => (FIELD_ORDER.includes(field) ? FIELD_ORDER.indexOf(field) : FIELD_ORDER.length);
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field));
}

/**
 * A DigestError the service gave for what the person chose, as an error on the field at fault; undefined for one that
 * is not about the form (not found: the error page answers it).
 */
export function serviceError(error: unknown, values: DigestFormValues, t: Translate): FieldError | undefined {
  if (!(error instanceof DigestError)) return undefined;
  if (error.code === DigestErrorCode.CHANNEL_UNAVAILABLE) return { field: 'channel', text: t('digests.errors.channelUnavailable') };
  if (error.code !== DigestErrorCode.INVALID_INPUT) return undefined;
  switch (error.field) {
    case 'timeZone':
      return { field: 'time-zone', text: t('digests.errors.timeZone') };
    case 'webhookUrl':
      if (values.channel !== DigestChannel.WEBHOOK) return { field: 'channel', text: t('digests.errors.channelInvalid') };
      return { field: 'webhook-url', text: t(values.webhookUrl ? 'digests.errors.webhookUrlInvalid' : 'digests.errors.webhookUrlRequired') };
    case 'tags':
      return { field: 'tags', text: t('digests.errors.tags') };
    case 'channel':
      return { field: 'channel', text: t('digests.errors.channelInvalid') };
    default:
      return undefined;
  }
}
