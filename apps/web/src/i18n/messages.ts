import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** The languages the pages are written in; the first is the default. */
export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** One sentence, or one sentence per plural category (`one`, `other`, and Welsh's `zero`, `two`, `few`, `many`). */
export type Message = string | Partial<Record<Intl.LDMLPluralRule, string>>;
export type Catalogue = Record<string, Message>;

/** Translates a key with `{name}` placeholders; `count` also picks the plural form. */
export type Translate = (key: string, params?: Record<string, string | number>) => string;

/**
 * Reads `<dir>/<lang>.json` and each page area's own `<dir>/<lang>/<area>.json` for every language, so areas keep
 * their sentences apart; a key defined twice is an error, not a silent override.
 */
export function loadCatalogues(dir: string): Record<Language, Catalogue> {
  const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Catalogue;
  const read = (lang: Language): Catalogue => {
    const catalogue = readJson(path.join(dir, `${lang}.json`));
    const areaDir = path.join(dir, lang);
    const areas = existsSync(areaDir)
      ? readdirSync(areaDir)
          .filter((f) => f.endsWith('.json'))
          .sort()
      : [];
    for (const area of areas) {
      for (const [key, message] of Object.entries(readJson(path.join(areaDir, area)))) {
        if (key in catalogue) throw new Error(`The message key ${key} is defined twice (${lang}/${area}).`);
        catalogue[key] = message;
      }
    }
    return catalogue;
  };
  return Object.fromEntries(LANGUAGES.map((lang) => [lang, read(lang)])) as Record<Language, Catalogue>;
}

/**
 * The translate function of one language. A key missing from the catalogue throws: a test checks that every key the
 * views and controllers use exists in both languages, so this only fires for a mistake in development.
 */
export function translator(catalogue: Catalogue, lang: Language): Translate {
  const plurals = new Intl.PluralRules(lang);
  return (key, params = {}) => {
    const message = catalogue[key];
    if (message === undefined) throw new Error(`No "${key}" in the ${lang} message catalogue`);
    let text: string | undefined;
    if (typeof message === 'string') text = message;
    else {
      const count = Number(params.count ?? 0);
      text = message[plurals.select(count)] ?? message.other;
    }
    if (text === undefined) throw new Error(`"${key}" in the ${lang} message catalogue has no "other" form`);
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
  };
}
