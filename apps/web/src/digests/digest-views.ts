import {
  DeliveryStatus,
  DigestChannel,
  DigestFrequency,
  PAUSED_BY_OWNER,
  Weekday,
  composesAsPublic,
  type DigestDeliveryEntity,
  type DigestSubscriptionEntity,
} from '#digests';
import { toGlobalId } from '#identity';
import { formatDateTime, weekdayName } from '../i18n/date-time.js';
import type { Formats } from '../i18n/formats.js';
import type { Language, Translate } from '../i18n/messages.js';

export const CHANNEL_LABELS: Record<DigestChannel, string> = {
  [DigestChannel.EMAIL]: 'digests.channel.EMAIL',
  [DigestChannel.WEBHOOK]: 'digests.channel.WEBHOOK',
  [DigestChannel.ATOM]: 'digests.channel.ATOM',
};

export const WEEKDAYS = Object.values(Weekday);

/** What a page needs to name tags and organisations by their slugs (a slug nobody knows is shown as it is). */
export interface FilterNames {
  tags: Map<string, string>;
  organisations: Map<string, string>;
}

/** The page's language tools, as the views of this area use them. */
export interface DigestViewContext {
  t: Translate;
  lang: Language;
  formats: Formats;
  names: FilterNames;
}

export interface DigestSummaryView {
  id: string;
  href: string;
  name: string;
  channel: DigestChannel;
  channelText: string;
  webhookUrl: string | null;
  schedule: string;
  /** One row per filter field that is set; none means every new practice the owner may read. */
  filter: { label: string; value: string }[];
  paused: boolean;
  /** Why it is paused: translated when its owner paused it, else the service's own words (in English). */
  pause: { text: string; lang: string | null } | null;
  publicOnly: boolean;
  created: string;
  lastDelivery: string;
}

export interface DeliveryView {
  started: string;
  status: string;
  /** GOV.UK tag colour of the status. */
  tagClass: string;
  attempts: number;
  /** When it was sent, or when the next attempt is due. */
  sent: string;
  /** The last attempt's error, in the service's own words (English). */
  lastError: string | null;
}

function hourText(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** "Every day at 07:00 (Europe/London)" and the like. */
export function scheduleText(
  subscription: Pick<DigestSubscriptionEntity, 'frequency' | 'hour' | 'weekday' | 'timeZone'>,
  { t, lang }: Pick<DigestViewContext, 't' | 'lang'>,
): string {
  const params = { time: hourText(subscription.hour), zone: subscription.timeZone };
  switch (subscription.frequency) {
    case DigestFrequency.IMMEDIATE:
      return t('digests.schedule.immediate');
    case DigestFrequency.DAILY:
      return t('digests.schedule.daily', params);
    case DigestFrequency.WEEKLY:
      return t('digests.schedule.weekly', { ...params, weekday: weekdayName(lang, WEEKDAYS.indexOf(subscription.weekday ?? Weekday.MONDAY), true) });
  }
}

function filterRows(subscription: DigestSubscriptionEntity, { t, formats, names }: DigestViewContext): DigestSummaryView['filter'] {
  const { filter } = subscription;
  const rows: DigestSummaryView['filter'] = [];
  const list = (values: string[]) => values.join(', ');
  if (filter.query) rows.push({ label: t('digests.filter.query'), value: filter.query });
  if (filter.tags?.length) rows.push({ label: t('digests.filter.tags'), value: list(filter.tags.map((slug) => names.tags.get(slug) ?? slug)) });
  if (filter.organisationKinds?.length)
    rows.push({ label: t('digests.filter.kinds'), value: list(filter.organisationKinds.map((kind) => t(`organisationKinds.${kind}`))) });
  if (filter.countries?.length) rows.push({ label: t('digests.filter.countries'), value: list(filter.countries.map((code) => formats.country(code))) });
  if (filter.organisationSlugs?.length)
    rows.push({ label: t('digests.filter.organisations'), value: list(filter.organisationSlugs.map((slug) => names.organisations.get(slug) ?? slug)) });
  return rows;
}

function deliveryState(delivery: DigestDeliveryEntity): 'SENT' | 'FAILED' | 'RETRYING' | 'SENDING' {
  if (delivery.status === DeliveryStatus.SENT) return 'SENT';
  if (delivery.status === DeliveryStatus.FAILED) return 'FAILED';
  return delivery.nextAttemptAt ? 'RETRYING' : 'SENDING';
}

function lastDeliveryText(delivery: DigestDeliveryEntity | undefined, subscription: DigestSubscriptionEntity, { t, lang }: DigestViewContext): string {
  if (!delivery) return t('digests.lastDelivery.none');
  const at = (date: Date | null) => formatDateTime(lang, date, subscription.timeZone);
  switch (deliveryState(delivery)) {
    case 'SENT':
      return t('digests.lastDelivery.sent', { time: at(delivery.sentAt ?? delivery.createdAt) });
    case 'FAILED':
      return t('digests.lastDelivery.failed', { time: at(delivery.createdAt) });
    case 'RETRYING':
      return t('digests.lastDelivery.retrying', { time: at(delivery.nextAttemptAt) });
    case 'SENDING':
      return t('digests.lastDelivery.sending', { time: at(delivery.createdAt) });
  }
}

export function digestSummary(
  subscription: DigestSubscriptionEntity,
  lastDelivery: DigestDeliveryEntity | undefined,
  context: DigestViewContext,
): DigestSummaryView {
  const { t, lang, formats } = context;
  const id = toGlobalId('DigestSubscription', subscription.id);
  const byOwner = subscription.pauseReason === PAUSED_BY_OWNER;
  return {
    id,
    href: `/digests/${id}`,
    name: subscription.name,
    channel: subscription.channel,
    channelText: t(CHANNEL_LABELS[subscription.channel]),
    webhookUrl: subscription.webhookUrl,
    schedule: scheduleText(subscription, context),
    filter: filterRows(subscription, context),
    paused: subscription.pausedAt !== null,
    pause: subscription.pausedAt
      ? byOwner || !subscription.pauseReason
        ? { text: t('digests.pause.byYou', { time: formatDateTime(lang, subscription.pausedAt, subscription.timeZone) }), lang: null }
        : { text: subscription.pauseReason, lang: lang === 'en' ? null : 'en' }
      : null,
    publicOnly: composesAsPublic(subscription),
    created: formats.date(subscription.createdAt),
    lastDelivery: lastDeliveryText(lastDelivery, subscription, context),
  };
}

const DELIVERY_STATES = {
  SENT: { key: 'digests.deliveries.status.sent', tagClass: 'govuk-tag--green' },
  FAILED: { key: 'digests.deliveries.status.failed', tagClass: 'govuk-tag--red' },
  RETRYING: { key: 'digests.deliveries.status.retrying', tagClass: 'govuk-tag--yellow' },
  SENDING: { key: 'digests.deliveries.status.sending', tagClass: 'govuk-tag--blue' },
} as const;

export function deliveryView(
  delivery: DigestDeliveryEntity,
  subscription: DigestSubscriptionEntity,
  { t, lang }: Pick<DigestViewContext, 't' | 'lang'>,
): DeliveryView {
  const state = DELIVERY_STATES[deliveryState(delivery)];
  const at = (date: Date | null) => formatDateTime(lang, date, subscription.timeZone);
  return {
    started: at(delivery.createdAt),
    status: t(state.key),
    tagClass: state.tagClass,
    attempts: delivery.attempts,
    sent: delivery.sentAt
      ? at(delivery.sentAt)
      : delivery.status === DeliveryStatus.PENDING && delivery.nextAttemptAt
        ? t('digests.deliveries.nextTry', { time: at(delivery.nextAttemptAt) })
        : '–',
    lastError: delivery.lastError,
  };
}
