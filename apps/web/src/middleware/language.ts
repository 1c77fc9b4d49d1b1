import type { NextFunction, Request, Response } from 'express';
import { formatsFor } from '../i18n/formats.js';
import { LANGUAGES, isLanguage, translator, type Catalogue, type Language } from '../i18n/messages.js';
import type { LanguageLink } from '../page-context.js';

export const LANGUAGE_COOKIE = 'pe_lang';

/** The names of the languages, each written in itself, as the language navigation shows them. */
const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', cy: 'Cymraeg' };

function cookieLanguage(req: Request): Language | undefined {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === LANGUAGE_COOKIE && isLanguage(value)) return value;
  }
  return undefined;
}

/** `url` (a path with its query) with `lang` set, every other parameter kept. */
export function withLanguage(url: string, lang: Language): string {
  const parsed = new URL(url, 'http://page.local');
  parsed.searchParams.set('lang', lang);
  return `${parsed.pathname}${parsed.search}`;
}

export interface LanguageOptions {
  catalogues: Record<Language, Catalogue>;
  secureCookies: boolean;
}

/**
 * Picks the page's language (`?lang=` sets the cookie that remembers it), and gives the templates `t()`, the Intl
 * formats and the language navigation's links to this same page. A form's answer (POST) links to `/`, as its own
 * address shows no page.
 */
export function applyLanguage(req: Request, res: Response, options: LanguageOptions): void {
  const asked = req.query.lang;
  let lang: Language = cookieLanguage(req) ?? LANGUAGES[0];
  if (isLanguage(asked)) {
    lang = asked;
    res.cookie(LANGUAGE_COOKIE, lang, { httpOnly: true, sameSite: 'lax', secure: options.secureCookies, path: '/', maxAge: 365 * 24 * 3_600_000 });
  }
  setPageLanguage(res, lang, options.catalogues, req.method === 'GET' ? req.originalUrl : '/');
}

/** Sets the page context's language and the language navigation's links for the page at `pageUrl`. */
export function setPageLanguage(res: Response, lang: Language, catalogues: Record<Language, Catalogue>, pageUrl: string): void {
  res.locals.lang = lang;
  res.locals.t = translator(catalogues[lang], lang);
  res.locals.formats = formatsFor(lang);
  res.locals.languageLinks = LANGUAGES.map((other): LanguageLink => ({
    lang: other,
    text: LANGUAGE_NAMES[other],
    href: withLanguage(pageUrl, other),
    current: other === lang,
  }));
  res.setHeader('Content-Language', lang);
}

export function language(options: LanguageOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    applyLanguage(req, res, options);
    next();
  };
}
