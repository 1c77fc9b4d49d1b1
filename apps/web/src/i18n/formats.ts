import type { Language } from './messages.js';

const LOCALES: Record<Language, string> = { en: 'en-GB', cy: 'cy' };

/** Dates, countries and organisation kinds in the page's language, through Intl. */
export interface Formats {
  date(value: Date | null | undefined): string;
  /** A country's name from its ISO 3166 code. */
  country(code: string): string;
}

export function formatsFor(lang: Language): Formats {
  const dates = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: 'Europe/London' });
  const regions = new Intl.DisplayNames([LOCALES[lang]], { type: 'region', fallback: 'code' });
  return {
    date: (value) => (value ? dates.format(value) : ''),
    country: (code) => {
      try {
        return regions.of(code.toUpperCase()) ?? code;
      } catch {
        return code;
      }
    },
  };
}
