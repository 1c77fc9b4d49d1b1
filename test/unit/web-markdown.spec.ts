import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { renderMarkdown } from '../../apps/web/src/rendering/markdown.js';

const html = (text: string) => String(renderMarkdown(text));

describe('renderMarkdown', () => {
  it('turns raw HTML into text', () => {
    expect(html('<script>alert(1)</script>')).toBe('<p class="govuk-body">&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(html('Hi <img src=x onerror="alert(1)">')).not.toContain('<img');
  });

  it('links to web pages and e-mail addresses only', () => {
    expect(html('[guide](https://example.org/a?b=1)')).toContain('<a href="https://example.org/a?b=1" class="govuk-link" rel="noreferrer noopener">guide</a>');
    expect(html('[mail](mailto:elections@kent.gov.uk)')).toContain('href="mailto:elections@kent.gov.uk"');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox',
      'file:///etc/passwd',
      '/relative/path',
      '//evil.example/x',
    ]) {
      expect([bad, html(`[x](${bad})`)]).toEqual([bad, expect.not.stringContaining('<a ')]);
    }
    expect(html('See https://www.ncsc.gov.uk/collection/elections')).toContain('<a href="https://www.ncsc.gov.uk/collection/elections"');
  });

  it("shows no images and starts headings below the page's sections", () => {
    expect(html('![tracker](https://evil.example/pixel.gif)')).not.toContain('<img');
    expect(html('# Steps\n\n### Detail')).toBe('<h3 class="govuk-heading-s">Steps</h3>\n<h5 class="govuk-heading-s">Detail</h5>\n');
  });

  it('gives lists, quotes and tables the GOV.UK classes', () => {
    expect(html('- one\n- two')).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html('1. one')).toContain('<ol class="govuk-list govuk-list--number">');
    expect(html('> quoted')).toContain('<blockquote class="govuk-inset-text">');
    expect(html('| a |\n| - |\n| b |')).toContain('<table class="govuk-table">');
  });

  it('renders nothing for empty text', () => {
    expect(html('')).toBe('');
  });
});

describe('web views', () => {
  const views = path.join(process.cwd(), 'apps', 'web', 'views');
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((e) => (statSync(path.join(dir, e)).isDirectory() ? walk(path.join(dir, e)) : [path.join(dir, e)]));
  const templates = walk(views).map((file) => ({ file: path.relative(views, file), text: readFileSync(file, 'utf8') }));

  it('never mark a value safe: only the markdown renderer and search snippets make HTML', () => {
    expect(templates.filter((t) => /\|\s*safe\b/.test(t.text)).map((t) => t.file)).toEqual([]);
  });

  it('pass a macro `html:` only what our renderers or GOV.UK macros produced', () => {
    // languageNavigation is the output of govukLanguageNavigation, built from text options only.
    const allowed = /^(\w+Html|languageNavigation)$/;
    const uses = templates.flatMap((t) => [...t.text.matchAll(/\bhtml:\s*([\w.]+)/g)].map((m) => ({ file: t.file, value: m[1]! })));
    expect(uses.filter((use) => !allowed.test(use.value.split('.').pop()!))).toEqual([]);
  });

  it('have no inline event handlers or inline styles, which the CSP refuses', () => {
    expect(templates.filter((t) => /\son[a-z]+\s*=|\sstyle\s*=|<style/i.test(t.text)).map((t) => t.file)).toEqual([]);
  });
});
