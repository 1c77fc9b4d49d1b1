import MarkdownIt from 'markdown-it';
import { trustedHtml, type TrustedHtml } from './trusted-html.js';

/** Links may go to web pages and e-mail addresses only: no javascript:, data:, file: or relative tricks. */
const ALLOWED_LINK = /^(https?:\/\/|mailto:)/i;

/** GOV.UK classes for what markdown produces, so practice text reads like the rest of the page. */
const CLASSES: Record<string, string> = {
  paragraph_open: 'govuk-body',
  bullet_list_open: 'govuk-list govuk-list--bullet',
  ordered_list_open: 'govuk-list govuk-list--number',
  link_open: 'govuk-link',
  heading_open: 'govuk-heading-s',
  blockquote_open: 'govuk-inset-text',
  hr: 'govuk-section-break govuk-section-break--m govuk-section-break--visible',
  table_open: 'govuk-table',
  thead_open: 'govuk-table__head',
  tbody_open: 'govuk-table__body',
  tr_open: 'govuk-table__row',
  th_open: 'govuk-table__header',
  td_open: 'govuk-table__cell',
};

function createRenderer(): InstanceType<typeof MarkdownIt> {
  // html: false turns raw HTML in the text into escaped text.
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.validateLink = (url) => ALLOWED_LINK.test(url.trim());
  // Images would load from anywhere (and the CSP refuses them anyway).
  md.disable('image');
  md.core.ruler.push('govuk', (state) => {
    const walk = (tokens: typeof state.tokens) => {
      for (const token of tokens) {
        const classes = CLASSES[token.type];
        if (classes) token.attrJoin('class', classes);
        if (token.type === 'heading_open' || token.type === 'heading_close') {
          // The page gives each section an h2, so the text's own headings start at h3.
          token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
        }
        if (token.type === 'link_open') token.attrSet('rel', 'noreferrer noopener');
        if (token.children) walk(token.children);
      }
    };
    walk(state.tokens);
  });
  return md;
}

const renderer = createRenderer();

/**
 * The one way practice and comment text becomes HTML: markdown with raw HTML off and only http(s) and mailto links.
 * Its result is the only kind of HTML (besides search snippets) the views pass to a macro's `html:`.
 */
export function renderMarkdown(text: string | null | undefined): TrustedHtml {
  return trustedHtml(text ? renderer.render(text) : '');
}
