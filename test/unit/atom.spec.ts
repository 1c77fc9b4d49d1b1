import { parseFeed } from '@rowanmanning/feed-parser';
import { DOMParser } from '@xmldom/xmldom';
import { escapeXml, renderAtomFeed, type AtomEntry } from '../../libs/digests/src/feeds/atom.js';

/**
 * The Atom renderer: valid RFC 4287 for a real parser, every value escaped so stored text stays text, and AMBER stubs
 * that carry nothing but the organisation and a link.
 */

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const NASTY = `<script>alert("x") & co</script>`;

/** Parses strictly: any well-formedness error throws. */
function strictXml(xml: string) {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
}

function practice(overrides: Partial<Extract<AtomEntry, { stub?: false }>> = {}): AtomEntry {
  return {
    id: 'urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    title: 'Phishing drills for count staff',
    summary: 'We ran three drills.',
    url: 'https://px.example/practices/UHJhY3RpY2U6MQ',
    published: new Date('2025-03-01T09:00:00.000Z'),
    updated: new Date('2025-03-02T10:30:00.000Z'),
    organisationName: 'Leeds City Council',
    categories: [{ term: 'phishing', label: 'Phishing' }],
    language: 'en',
    rights: 'TLP:CLEAR',
    ...overrides,
  };
}

function feed(entries: AtomEntry[], overrides: Partial<Parameters<typeof renderAtomFeed>[0]> = {}) {
  return renderAtomFeed({
    id: 'https://px.example/feeds/practices.atom',
    title: 'Practice Exchange: public practices',
    selfUrl: 'https://px.example/feeds/practices.atom',
    alternateUrl: 'https://px.example/',
    updated: new Date('2025-03-02T10:30:00.000Z'),
    entries,
    ...overrides,
  });
}

describe('renderAtomFeed', () => {
  it('writes the feed and entry elements RFC 4287 requires, which a real parser reads back', () => {
    const xml = feed([practice()]);
    const doc = strictXml(xml);
    expect(doc.documentElement!.namespaceURI).toBe(ATOM_NS);
    expect(doc.documentElement!.localName).toBe('feed');

    const parsed = parseFeed(xml);
    expect(parsed.meta.type).toBe('atom');
    expect(parsed.title).toBe('Practice Exchange: public practices');
    expect(parsed.self).toBe('https://px.example/feeds/practices.atom');
    expect(parsed.url).toBe('https://px.example/');
    expect(parsed.updated?.toISOString()).toBe('2025-03-02T10:30:00.000Z');
    expect(parsed.authors.map((a) => a.name)).toEqual(['Practice Exchange']);
    expect(parsed.items).toHaveLength(1);
    const item = parsed.items[0]!;
    expect(item.id).toBe('urn:uuid:3f2504e0-4f89-41d3-9a0c-0305e82c3301');
    expect(item.title).toBe('Phishing drills for count staff');
    expect(item.description).toBe('We ran three drills.');
    expect(item.url).toBe('https://px.example/practices/UHJhY3RpY2U6MQ');
    expect(item.published?.toISOString()).toBe('2025-03-01T09:00:00.000Z');
    expect(item.updated?.toISOString()).toBe('2025-03-02T10:30:00.000Z');
    expect(item.authors.map((a) => a.name)).toEqual(['Leeds City Council']);
    expect(item.categories.map((c) => ({ term: c.term, label: c.label }))).toEqual([{ term: 'phishing', label: 'Phishing' }]);
    expect(xml).toContain('<summary type="text">We ran three drills.</summary>');
    expect(xml).toContain('<rights type="text">TLP:CLEAR</rights>');
    expect(xml).toContain('<entry xml:lang="en">');
  });

  it('escapes every value: titles, summaries, names, categories, URLs, ids and the feed title', () => {
    const xml = feed(
      [
        practice({
          id: `urn:x:${NASTY}`,
          title: NASTY,
          summary: `${NASTY} 'quoted'`,
          organisationName: `Smith & "Sons" <Council>`,
          url: `https://px.example/p?a=1&b="2"><script>`,
          categories: [{ term: `a"b<c>&'d`, label: `"><script>x</script>` }],
          rights: '<b>TLP:CLEAR</b>',
        }),
      ],
      { title: `Feed ${NASTY}`, selfUrl: 'https://px.example/feed?x=1&y=2' },
    );

    strictXml(xml);
    expect(xml).not.toMatch(/<script/i);
    expect(xml).not.toMatch(/<b>/);
    expect(xml).toContain('<title type="text">&lt;script&gt;alert(&quot;x&quot;) &amp; co&lt;/script&gt;</title>');
    expect(xml).toContain('<name>Smith &amp; &quot;Sons&quot; &lt;Council&gt;</name>');
    expect(xml).toContain('href="https://px.example/p?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;"');
    expect(xml).toContain('<category term="a&quot;b&lt;c&gt;&amp;&apos;d" label="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"/>');

    const item = parseFeed(xml).items[0]!;
    expect(item.title).toBe(NASTY);
    expect(item.id).toBe(`urn:x:${NASTY}`);
    expect(item.authors[0]!.name).toBe(`Smith & "Sons" <Council>`);
    expect(item.categories[0]!.term).toBe(`a"b<c>&'d`);
  });

  it('strips characters XML cannot carry (controls, lone surrogates, U+FFFE) and keeps tab, newline and astral ones', () => {
    const text = `a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\u0085i\uD800j\uFFFEk\tl\nm😀n`;
    expect(escapeXml(text)).toBe('abcdefghijk\tl\nm😀n');
    const xml = feed([practice({ title: text, summary: text, organisationName: `Org\u0000` })]);
    strictXml(xml);
    expect(parseFeed(xml).items[0]!.authors[0]!.name).toBe('Org');
  });

  it('writes xml:lang only for something shaped like a language tag', () => {
    expect(feed([practice({ language: 'pt-BR' })])).toContain('<entry xml:lang="pt-BR">');
    const xml = feed([practice({ language: 'en" onload="x' })]);
    expect(xml).toContain('<entry>');
    expect(xml).not.toContain('xml:lang');
  });

  it('renders a stub as "A TLP:AMBER practice from <organisation>" and a link, with nothing of the content', () => {
    const xml = feed([
      { stub: true, organisationName: 'Cardiff & <Vale>', url: 'https://px.example/practices/QW1iZXI', updated: new Date('2025-03-03T08:00:00.000Z') },
    ]);
    strictXml(xml);
    const entry = xml.slice(xml.indexOf('<entry'), xml.indexOf('</entry>'));
    expect(entry).not.toMatch(/<summary|<content|<category|<published|<rights|<author/);

    const item = parseFeed(xml).items[0]!;
    expect(item.title).toBe('A TLP:AMBER practice from Cardiff & <Vale>');
    expect(item.url).toBe('https://px.example/practices/QW1iZXI');
    expect(item.id).toBe('https://px.example/practices/QW1iZXI');
    expect(item.updated?.toISOString()).toBe('2025-03-03T08:00:00.000Z');
    expect(item.description).toBeNull();
    expect(item.categories).toEqual([]);
  });

  it('gives a stub its own id when one is passed', () => {
    const item = parseFeed(
      feed([{ stub: true, id: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', organisationName: 'Org', url: 'https://px.example/x', updated: new Date(0) }]),
    ).items[0]!;
    expect(item.id).toBe('urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427');
  });

  it('is deterministic: equal input, equal bytes (so the ETag is a content hash)', () => {
    expect(feed([practice(), practice({ id: 'urn:uuid:other' })])).toBe(feed([practice(), practice({ id: 'urn:uuid:other' })]));
  });

  it('renders an empty feed that is still valid', () => {
    const xml = feed([]);
    strictXml(xml);
    expect(parseFeed(xml).items).toEqual([]);
  });
});
