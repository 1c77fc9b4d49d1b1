import { wordDiffHtml } from '../../apps/web/src/rendering/word-diff.js';

/** The comparison of two revisions: word by word, readable, exact, and safe whatever the text says. */
describe('word diff of two revisions', () => {
  const labels = { added: 'Added:', removed: 'Removed:' };
  const diff = (before: string, after: string) => String(wordDiffHtml(before, after, labels));
  /** The text of one side: the other side's changes and the hidden labels left out, entities decoded. */
  const side = (html: string, drop: 'ins' | 'del') =>
    html
      .replace(new RegExp(`<${drop}>[\\s\\S]*?</${drop}>`, 'g'), '')
      .replace(/<span class="govuk-visually-hidden">[^<]*<\/span>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');

  it('marks a rewritten phrase as one removal followed by one addition', () => {
    expect(diff('Two officers check every card.', 'Two officers, one a Welsh speaker, check each card.')).toBe(
      'Two officers<ins><span class="govuk-visually-hidden">Added: </span>, one a Welsh speaker,</ins> check <del><span class="govuk-visually-hidden">Removed: </span>every</del><ins><span class="govuk-visually-hidden">Added: </span>each</ins> card.',
    );
  });

  it('keeps every character of both versions, line breaks included', () => {
    const before = 'Line one\n\n- item a\n- item b\n\nThe end.';
    const after = 'Line one changed\n\n- item a\n- item c\n- item d\n\nThe  end!';
    const html = diff(before, after);
    expect(side(html, 'ins')).toBe(before);
    expect(side(html, 'del')).toBe(after);
  });

  it('escapes both versions before marking them', () => {
    const html = diff('Safe <b>text</b>', 'Safe <script>alert("x")</script> & more');
    expect(html).not.toMatch(/<(b|script)>/);
    expect(html).toContain('alert(&quot;x&quot;)');
    expect(side(html, 'ins')).toBe('Safe <b>text</b>');
    expect(side(html, 'del')).toBe('Safe <script>alert("x")</script> & more');
  });

  it('is the text itself when nothing changed', () => {
    expect(diff('Same & same', 'Same & same')).toBe('Same &amp; same');
  });
});
