import type { Language } from '../i18n/messages.js';

const LOCALES: Record<Language, string> = { en: 'en-GB', cy: 'cy' };

/**
 * A date with its time in the page's language, UK time: the moderation queue and the audit log say when, to the
 * minute (the shared formats give dates only).
 */
export function dateTimeFormat(lang: Language): (value: Date | null | undefined) => string {
  const format = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });
  return (value) => (value ? format.format(value) : '');
}
