import { escapeXml as escapeXmlText } from '#config';

/** One practice in full: what a reader may see of it. */
export interface AtomPracticeEntry {
  stub?: false;
  /** A stable, permanent IRI for the practice (`urn:uuid:<practice id>`); never changes when the practice is edited. */
  id: string;
  title: string;
  summary: string;
  url: string;
  published: Date;
  updated: Date;
  organisationName: string;
  /** Tags as Atom categories: `term` is the slug, `label` what people read. */
  categories?: { term: string; label?: string }[];
  /** The practice's language; written as `xml:lang` only when it looks like a language tag. */
  language?: string;
  /** The sharing marking (`TLP:CLEAR`, `TLP:GREEN`), as the entry's `rights`. */
  rights?: string;
}

/**
 * A practice the feed's reader may know exists but whose content must not leave the platform (a TLP_AMBER entry in a
 * subscription feed, which third-party feed readers fetch): the organisation, a link and the time, nothing else.
 */
export interface AtomStubEntry {
  stub: true;
  organisationName: string;
  url: string;
  updated: Date;
  /** Defaults to `url`, which is already a permanent IRI of the practice. */
  id?: string;
}

export type AtomEntry = AtomPracticeEntry | AtomStubEntry;

export interface AtomFeed {
  /** A permanent IRI for the feed. */
  id: string;
  title: string;
  /** Where this feed is fetched (`rel="self"`). */
  selfUrl: string;
  /** The page it mirrors (`rel="alternate"`). */
  alternateUrl: string;
  /** Newest change among the entries; the same instant as the HTTP `Last-Modified`. */
  updated: Date;
  entries: AtomEntry[];
}

const FEED_AUTHOR = 'Practice Exchange';

/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab, newline and return, lone surrogates, U+FFFE and
 * U+FFFF), plus DEL and the C1 controls, which it allows but which no reader shows: removed, not escaped, since a
 * character reference to them is just as malformed.
 */
const NOT_XML_TEXT = /[^\t\n\r\u0020-\u007E\u00A0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe anywhere in an XML document, element content and quoted attribute values alike. */
export function escapeXml(value: string): string {
  return escapeXmlText(String(value).replace(NOT_XML_TEXT, ''));
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** RFC 3339 in UTC, as Atom date constructs require. */
function date(value: Date): string {
  return value.toISOString();
}

function element(name: string, value: string, attributes = ''): string {
  return `<${name}${attributes}>${escapeXml(value)}</${name}>`;
}

function link(rel: string, href: string, type?: string): string {
  return `<link rel="${rel}"${type ? ` type="${escapeXml(type)}"` : ''} href="${escapeXml(href)}"/>`;
}

function renderEntry(entry: AtomEntry): string {
  if (entry.stub) {
    return [
      '<entry>',
      element('id', entry.id ?? entry.url),
      element('title', `A TLP:AMBER practice from ${entry.organisationName}`, ' type="text"'),
      element('updated', date(entry.updated)),
      link('alternate', entry.url, 'text/html'),
      '</entry>',
    ].join('\n  ');
  }
  const lang = entry.language && LANGUAGE_TAG.test(entry.language) ? ` xml:lang="${escapeXml(entry.language)}"` : '';
  return [
    `<entry${lang}>`,
    element('id', entry.id),
    element('title', entry.title, ' type="text"'),
    element('updated', date(entry.updated)),
    element('published', date(entry.published)),
    link('alternate', entry.url, 'text/html'),
    `<author>${element('name', entry.organisationName)}</author>`,
    ...(entry.categories ?? []).map((c) => `<category term="${escapeXml(c.term)}"${c.label === undefined ? '' : ` label="${escapeXml(c.label)}"`}/>`),
    element('summary', entry.summary, ' type="text"'),
    ...(entry.rights ? [element('rights', entry.rights, ' type="text"')] : []),
    '</entry>',
  ].join('\n  ');
}

/**
 * An Atom 1.0 document (RFC 4287). Every value that came from data, text and URLs alike, is escaped here and every text
 * construct is `type="text"`, so stored text reaches feed readers as text and never as markup (README, "The API": text
 * is never returned as HTML). The output depends only on `feed`, so equal feeds give equal bytes and the caller may
 * hash them for an ETag.
 */
export function renderAtomFeed(feed: AtomFeed): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    element('id', feed.id),
    element('title', feed.title, ' type="text"'),
    element('updated', date(feed.updated)),
    link('self', feed.selfUrl, 'application/atom+xml'),
    link('alternate', feed.alternateUrl, 'text/html'),
    `<author>${element('name', FEED_AUTHOR)}</author>`,
    element('generator', FEED_AUTHOR),
    ...feed.entries.map(renderEntry),
    '</feed>',
    '',
  ].join('\n');
}
