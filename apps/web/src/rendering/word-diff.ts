import { escapeHtml } from '#practices';
import { diffWordsWithSpace } from 'diff';
import { trustedHtml, type TrustedHtml } from './trusted-html.js';

/** What a screen reader hears around each change (ins and del are not announced by most of them). */
export interface DiffLabels {
  added: string;
  removed: string;
}

/**
 * Two versions of a text as one, word by word: removed words in `<del>`, added ones in `<ins>`. Every piece of text is
 * escaped before any markup is added, so the result is safe whatever the versions say. The text is the markdown as
 * written (not rendered), which is what an editor changed.
 */
export function wordDiffHtml(before: string, after: string, labels: DiffLabels): TrustedHtml {
  const html = diffWordsWithSpace(before, after)
    .map((part) => {
      const text = escapeHtml(part.value);
      if (part.added) return `<ins><span class="govuk-visually-hidden">${escapeHtml(labels.added)} </span>${text}</ins>`;
      if (part.removed) return `<del><span class="govuk-visually-hidden">${escapeHtml(labels.removed)} </span>${text}</del>`;
      return text;
    })
    .join('');
  return trustedHtml(html);
}
