import { escapeHtml } from '../../libs/config/src/text/escape.js';
import { renderSnippet } from '../../libs/practices/src/practices/snippet.js';

/** Search snippets are escaped before matches are marked, so stored text can never become markup. */
describe('renderSnippet', () => {
  const START = '\u0001';
  const STOP = '\u0002';

  it('escapes the text, then turns the match markers into <mark>', () => {
    const raw = `Officers saw <script>alert("x")</script> in a ${START}phishing${STOP} e-mail & replied 'no'`;
    expect(renderSnippet(raw)).toBe(
      'Officers saw &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; in a <mark>phishing</mark> e-mail &amp; replied &#39;no&#39;',
    );
  });

  it('leaves no tag from the stored text: the only tags are <mark> and </mark>', () => {
    const raw = `<img src=x onerror=alert(1)>${START}<b>match</b>${STOP}<a href="javascript:alert(1)">x</a>`;
    const html = renderSnippet(raw);
    expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/[<>"']/);
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt;<mark>&lt;b&gt;match&lt;/b&gt;</mark>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;');
  });

  it('marks every match, and text typed as "<mark>" stays text', () => {
    expect(renderSnippet(`${START}one${STOP} and ${START}two${STOP}`)).toBe('<mark>one</mark> and <mark>two</mark>');
    expect(renderSnippet('<mark>fake</mark>')).toBe('&lt;mark&gt;fake&lt;/mark&gt;');
  });

  it('does not double-escape entities already in the text', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
    expect(renderSnippet('a &lt; b')).toBe('a &amp;lt; b');
  });
});
