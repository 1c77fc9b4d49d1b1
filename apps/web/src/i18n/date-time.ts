import type { Language } from './messages.js';

const LOCALES: Record<Language, string> = { en: 'en-GB', cy: 'cy' };

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Language, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

/**
 * A moment with its time and the zone's short name ("1 December 2026 at 07:00 GMT"), in the page's language: what a
 * log of deliveries or token uses needs, where the day alone is not enough.
 */
export function formatDateTime(lang: Language, value: Date | null | undefined, timeZone = 'Europe/London'): string {
  if (!value) return '';
  return formatter(lang, timeZone, { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(value);
}

/**
 * A day of the week's name in the page's language; 0 is Monday. `inSentence` gives the form used mid-sentence, which
 * differs in Welsh ("bob dydd Llun", where a list shows "Dydd Llun").
 */
export function weekdayName(lang: Language, index: number, inSentence = false): string {
  // 5 January 2026 was a Monday.
  const name = formatter(lang, 'UTC', { weekday: 'long' }).format(new Date(Date.UTC(2026, 0, 5 + index)));
  return inSentence && lang === 'cy' ? name.charAt(0).toLowerCase() + name.slice(1) : name;
}
