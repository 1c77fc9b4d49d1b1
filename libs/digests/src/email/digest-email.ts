import { escapeHtml } from '#config';

/** One practice as a digest shows it; built for the subscriber at send time, so it holds only what they may see. */
export interface DigestEntryView {
  title: string;
  summary: string;
  organisationName: string;
  tags: { slug: string; label: string }[];
  /** The practice on the platform; anything but http(s) is left out. */
  url: string;
  /** The TLP level, e.g. `TLP_GREEN`; shown so a reader knows how far the entry may be shared. */
  visibility: string;
  publishedAt: Date;
}

export interface DigestEmailInput {
  recipientName: string;
  subscriptionName: string;
  entries: DigestEntryView[];
  /** The signed `/unsubscribe/:signedToken` link; must be http(s). */
  unsubscribeUrl: string;
  manageUrl: string;
  platformUrl: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface TopicGroup {
  label: string;
  entries: DigestEntryView[];
}

const OTHER = 'Other';
/** Summaries are the practice's own short text; the cap only keeps one runaway entry from swamping the mail. */
const MAX_SUMMARY_CHARS = 600;

/** The URL, normalised, when it is http(s); undefined otherwise (javascript:, data:, relative, malformed). */
function safeUrl(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Control characters (bar newline and tab) have no place in either part, and would garble the plain text. */
function clean(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function oneLine(value: string): string {
  return clean(value).replace(/\s+/g, ' ').trim();
}

function shorten(value: string, max: number): string {
  const chars = Array.from(value.trim());
  return chars.length <= max
    ? value.trim()
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** `TLP_AMBER_STRICT` → `TLP:AMBER+STRICT`, the spelling of TLP 2.0. */
function tlpLabel(visibility: string): string {
  return oneLine(visibility)
    .replace(/^TLP_/, 'TLP:')
    .replace(/_STRICT$/, '+STRICT');
}

const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function publishedOn(date: Date): string | undefined {
  return Number.isNaN(date.getTime()) ? undefined : DATE_FORMAT.format(date);
}

/** By the first tag, alphabetically, untagged entries last under "Other"; entries keep the caller's order. */
function groupByTopic(entries: DigestEntryView[]): TopicGroup[] {
  const groups = new Map<string, TopicGroup>();
  for (const entry of entries) {
    const tag = entry.tags[0];
    // Keyed by slug, so a tag that happens to be labelled "Other" does not merge with the untagged.
    const key = tag ? `tag:${tag.slug}` : 'untagged';
    const label = tag ? oneLine(tag.label) || oneLine(tag.slug) : OTHER;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { label, entries: [] }));
    group.entries.push(entry);
  }
  const untagged = groups.get('untagged');
  const tagged = [...groups.entries()].filter(([key]) => key !== 'untagged').map(([, group]) => group);
  tagged.sort((a, b) => a.label.localeCompare(b.label, 'en-GB', { sensitivity: 'base' }));
  return untagged ? [...tagged, untagged] : tagged;
}

function subjectOf(input: DigestEmailInput): string {
  const count = input.entries.length;
  const name = shorten(oneLine(input.subscriptionName), 80) || 'your digest';
  return `${name}: ${count} new ${count === 1 ? 'practice' : 'practices'} on Practice Exchange`;
}

function metaLine(entry: DigestEntryView): string[] {
  const parts = [`Organisation: ${oneLine(entry.organisationName)}`];
  const date = publishedOn(entry.publishedAt);
  if (date) parts.push(`Published ${date}`);
  const tlp = tlpLabel(entry.visibility);
  if (tlp) parts.push(tlp);
  return parts;
}

function greeting(recipientName: string): string {
  const name = oneLine(recipientName);
  return name ? `Hello ${name},` : 'Hello,';
}

function tagLabels(entry: DigestEntryView): string[] {
  return entry.tags.map((tag) => oneLine(tag.label) || oneLine(tag.slug)).filter(Boolean);
}

function renderHtml(input: DigestEmailInput, subject: string, groups: TopicGroup[], links: Links): string {
  const e = escapeHtml;
  const out: string[] = [];
  out.push(
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1b1b1b;background:#ffffff">',
    '<div style="max-width:640px;margin:0 auto">',
  );
  const platform = links.platform ? `<a href="${e(links.platform)}" style="color:#1d70b8">Practice Exchange</a>` : 'Practice Exchange';
  out.push(`<p style="margin:0 0 8px">${platform}</p>`);
  out.push(`<h1 style="font-size:24px;margin:0 0 16px">${e(oneLine(input.subscriptionName) || 'Your digest')}</h1>`);
  const count = input.entries.length;
  out.push(
    `<p>${e(greeting(input.recipientName))}</p>`,
    `<p>${count === 0 ? 'There are no new practices' : `${count} new ${count === 1 ? 'practice matches' : 'practices match'}`} this subscription.</p>`,
  );
  for (const group of groups) {
    out.push(`<h2 style="font-size:20px;margin:24px 0 8px;border-bottom:1px solid #b1b4b6">${e(group.label)}</h2>`);
    for (const entry of group.entries) {
      const url = safeUrl(entry.url);
      const title = e(oneLine(entry.title));
      out.push('<div style="margin:0 0 20px">');
      out.push(`<h3 style="font-size:18px;margin:0 0 4px">${url ? `<a href="${e(url)}" style="color:#1d70b8">${title}</a>` : title}</h3>`);
      const summary = shorten(clean(entry.summary), MAX_SUMMARY_CHARS);
      if (summary) out.push(`<p style="margin:0 0 4px">${e(summary).replace(/\n/g, '<br>')}</p>`);
      out.push(`<p style="margin:0 0 4px;font-size:14px;color:#505a5f">${metaLine(entry).map(e).join(' · ')}</p>`);
      const tags = tagLabels(entry);
      if (tags.length > 0) out.push(`<p style="margin:0 0 4px;font-size:14px;color:#505a5f">Tags: ${tags.map(e).join(', ')}</p>`);
      if (url) out.push(`<p style="margin:0"><a href="${e(url)}" style="color:#1d70b8">Read the practice on Practice Exchange</a></p>`);
      out.push('</div>');
    }
  }
  out.push('<hr style="border:0;border-top:1px solid #b1b4b6;margin:24px 0 12px">');
  out.push(
    `<p style="font-size:14px;color:#505a5f">You receive this because you subscribed to “${e(oneLine(input.subscriptionName))}” on Practice Exchange.</p>`,
  );
  if (links.manage) out.push(`<p style="font-size:14px"><a href="${e(links.manage)}" style="color:#1d70b8">Manage your subscriptions</a></p>`);
  // Last on purpose: the one link every digest must end with.
  out.push(`<p style="font-size:14px"><a href="${e(links.unsubscribe)}" style="color:#1d70b8">Unsubscribe from this digest</a></p>`);
  out.push('</div>', '</body>', '</html>');
  return `${out.join('\n')}\n`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

function renderText(input: DigestEmailInput, groups: TopicGroup[], links: Links): string {
  const out: string[] = [];
  const name = oneLine(input.subscriptionName);
  const count = input.entries.length;
  out.push(greeting(input.recipientName), '');
  out.push(
    `${count === 0 ? 'There are no new practices' : `${count} new ${count === 1 ? 'practice matches' : 'practices match'}`} your subscription "${name}" on Practice Exchange.`,
  );
  for (const group of groups) {
    out.push('', '', group.label, '='.repeat(Math.min(Array.from(group.label).length, 72)));
    for (const entry of group.entries) {
      const url = safeUrl(entry.url);
      out.push('', `* ${oneLine(entry.title)}`);
      const summary = shorten(clean(entry.summary), MAX_SUMMARY_CHARS);
      if (summary) out.push(indent(summary));
      out.push(indent(metaLine(entry).join(' · ')));
      const tags = tagLabels(entry);
      if (tags.length > 0) out.push(indent(`Tags: ${tags.join(', ')}`));
      if (url) out.push(indent(url));
    }
  }
  out.push('', '', '--', `You receive this because you subscribed to "${name}" on Practice Exchange.`);
  if (links.platform) out.push(`Practice Exchange: ${links.platform}`);
  if (links.manage) out.push(`Manage your subscriptions: ${links.manage}`);
  out.push(`Unsubscribe from this digest: ${links.unsubscribe}`);
  return `${out.join('\n')}\n`;
}

interface Links {
  unsubscribe: string;
  manage?: string;
  platform?: string;
}

/**
 * The digest mail, as HTML and plain text. Entries are grouped by topic (their first tag; untagged ones under
 * "Other"). Every value is HTML-escaped in the HTML part and only http(s) links are kept; the HTML is plain and
 * self-contained (no images, scripts or external styles). Both parts end with the unsubscribe link.
 * @throws Error when `unsubscribeUrl` is not http(s): a digest that cannot be unsubscribed from is never sent.
 */
export function renderDigestEmail(input: DigestEmailInput): RenderedEmail {
  const unsubscribe = safeUrl(input.unsubscribeUrl);
  if (!unsubscribe) throw new Error('A digest e-mail needs an http(s) unsubscribe link');
  const links: Links = { unsubscribe, manage: safeUrl(input.manageUrl), platform: safeUrl(input.platformUrl) };
  const subject = subjectOf(input);
  const groups = groupByTopic(input.entries);
  return { subject, html: renderHtml(input, subject, groups, links), text: renderText(input, groups, links) };
}
