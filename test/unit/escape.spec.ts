import { escapeHtml, escapeXml } from '../../libs/config/src/text/escape.js';

describe('escaping', () => {
  it('escapes the five characters for HTML, with a numeric reference for the apostrophe', () => {
    expect(escapeHtml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &#39; f');
  });

  it('escapes the five characters for XML, with its own entity for the apostrophe', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
  });

  it('escapes an ampersand that already starts a reference, and leaves other text alone', () => {
    expect(escapeHtml('&amp; café')).toBe('&amp;amp; café');
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
  });
});
