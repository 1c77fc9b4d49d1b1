import nunjucks from 'nunjucks';

/**
 * HTML that a template outputs as it is (Nunjucks' SafeString). Only this folder makes it, from the markdown renderer
 * and from search snippets that the practices library has already escaped; the views never use `| safe`.
 */
export type TrustedHtml = nunjucks.runtime.SafeString;

export function trustedHtml(html: string): TrustedHtml {
  return new nunjucks.runtime.SafeString(html);
}

/**
 * A search snippet from PracticeQueryService: its text is escaped, only `<mark>` is markup. The extract is of the
 * markdown as written, so emphasis and code marks are dropped (removing `*`, `_` and backticks cannot make markup).
 */
export function snippetHtml(snippet: string | null): TrustedHtml | null {
  return snippet === null ? null : trustedHtml(snippet.replace(/\*\*|__|`/g, ''));
}
