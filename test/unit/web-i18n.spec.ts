import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { OrganisationKind } from '#identity';
import { PracticeStatus, Visibility } from '#practices';
import { LANGUAGES, loadCatalogues, translator, type Catalogue } from '../../apps/web/src/i18n/messages.js';

/**
 * The message catalogues of the web pages: both languages have every key, the same placeholders and every plural form
 * their language needs; every key the views and controllers use exists, and every key is used.
 */
const WEB = path.join(process.cwd(), 'apps', 'web');
const catalogues = loadCatalogues(path.join(WEB, 'locales'));

/** Keys the views build from a prefix and a value (`t("tlp.label." + visibility)`): the values each prefix takes. */
const DYNAMIC: Record<string, string[]> = {
  'errors.': ['notFound', 'signInNeeded', 'formExpired', 'badRequest', 'serverError'].flatMap((kind) => [`${kind}.title`, `${kind}.heading`]),
  'tlp.label.': Object.values(Visibility),
  'tlp.meaning.': Object.values(Visibility),
  'help.tlp.who.': Object.values(Visibility),
  'help.tlp.use.': Object.values(Visibility),
  'organisationKinds.': Object.values(OrganisationKind),
  // Published practices show no status.
  'practice.status.': [PracticeStatus.DRAFT, PracticeStatus.ARCHIVED],
};

function files(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    return statSync(full).isDirectory() ? files(full, ext) : ext.test(entry) ? [full] : [];
  });
}

const placeholders = (message: Catalogue[string]) =>
  [...new Set((typeof message === 'string' ? [message] : Object.values(message)).flatMap((text) => [...text!.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

describe('web message catalogues', () => {
  const namespaces = new Set(Object.keys(catalogues.en).map((key) => key.split('.')[0]));

  function usedKeys(): { literal: Set<string>; prefixes: Set<string> } {
    const literal = new Set<string>();
    const prefixes = new Set<string>();
    for (const file of [...files(path.join(WEB, 'views'), /\.njk$/), ...files(path.join(WEB, 'src'), /\.ts$/)]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*["']([\w.]+)["']\s*\+/g)) prefixes.add(match[1]!);
      for (const match of text.matchAll(/\bt\(\s*`([\w.]+)\$\{/g)) prefixes.add(match[1]!);
      for (const match of text.matchAll(/["']([a-zA-Z]+(?:\.[\w]+)+)["']/g)) {
        if (namespaces.has(match[1]!.split('.')[0]!) && !/\.(njk|m?js|ts|css|json)$/.test(match[1]!)) literal.add(match[1]!);
      }
    }
    return { literal, prefixes };
  }

  it('have the same keys in English and Welsh', () => {
    expect(Object.keys(catalogues.cy).sort()).toEqual(Object.keys(catalogues.en).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(catalogues.en)) expect([key, placeholders(catalogues.cy[key]!)]).toEqual([key, placeholders(catalogues.en[key]!)]);
  });

  it("give every plural form each language's rules ask for", () => {
    for (const lang of LANGUAGES) {
      const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories;
      for (const [key, message] of Object.entries(catalogues[lang])) {
        if (typeof message !== 'string') expect([lang, key, Object.keys(message).sort()]).toEqual([lang, key, [...categories].sort()]);
      }
    }
    expect(translator(catalogues.cy, 'cy')('practice.adoptions.heading', { count: 2 })).toBe("Wedi'i fabwysiadu gan 2 sefydliad");
    expect(translator(catalogues.en, 'en')('practice.adoptions.heading', { count: 1 })).toBe('Adopted by 1 organisation');
  });

  it('have every key the views and controllers use, and no key nobody uses', () => {
    const { literal, prefixes } = usedKeys();
    expect([...prefixes].filter((prefix) => !DYNAMIC[prefix])).toEqual([]);
    const used = new Set([...literal, ...[...prefixes].flatMap((prefix) => DYNAMIC[prefix]!.map((value) => `${prefix}${value}`))]);
    expect([...used].filter((key) => catalogues.en[key] === undefined)).toEqual([]);
    expect(Object.keys(catalogues.en).filter((key) => !used.has(key))).toEqual([]);
  });

  it('throws on a key that is missing, rather than showing it', () => {
    expect(() => translator(catalogues.en, 'en')('no.such.key')).toThrow('No "no.such.key" in the en message catalogue');
  });
});
