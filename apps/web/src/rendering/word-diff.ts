import { escapeHtml } from '#config';
import { diffWordsWithSpace } from 'diff';
import { trustedHtml, type TrustedHtml } from './trusted-html.js';

/** What a screen reader hears around each change (ins and del are not announced by most of them). */
export interface DiffLabels {
  added: string;
  removed: string;
}

/** A stretch of text both versions share, or a change: what was removed and what was added in its place. */
type Piece = { same: string } | { removed: string; added: string };

/**
 * The word diff in readable pieces. `diffWordsWithSpace` keeps every character of both versions (line breaks too) but
 * alternates one-word removals and additions around the spaces between them; a space between two changes is taken
 * into the change, so a rewritten phrase reads as one removal followed by one addition.
 */
function pieces(before: string, after: string): Piece[] {
  const parts = diffWordsWithSpace(before, after);
  const out: Piece[] = [];
  let change: { removed: string; added: string } | null = null;
  parts.forEach((part, i) => {
    const changed = part.added || part.removed;
    const between = !changed && /^[ \t]+$/.test(part.value) && change !== null && !!(parts[i + 1]?.added || parts[i + 1]?.removed);
    if (changed || between) {
      change ??= { removed: '', added: '' };
      if (!part.added) change.removed += part.value;
      if (!part.removed) change.added += part.value;
      return;
    }
    if (change) out.push(...settled(change));
    change = null;
    out.push({ same: part.value });
  });
  if (change) out.push(...settled(change));
  return out;
}

/** A change with the spaces both sides begin or end with moved out of it: only what differs is marked. */
function settled(change: { removed: string; added: string }): Piece[] {
  const { removed, added } = change;
  let start = 0;
  while (start < removed.length && start < added.length && removed[start] === added[start] && /\s/.test(removed[start]!)) start += 1;
  let end = 0;
  while (end < removed.length - start && end < added.length - start && removed.at(-1 - end) === added.at(-1 - end) && /\s/.test(removed.at(-1 - end)!))
    end += 1;
  const out: Piece[] = [];
  if (start) out.push({ same: removed.slice(0, start) });
  out.push({ removed: removed.slice(start, removed.length - end), added: added.slice(start, added.length - end) });
  if (end) out.push({ same: removed.slice(removed.length - end) });
  return out;
}

/**
 * Two versions of a text as one: removed words in `<del>`, added ones in `<ins>`. Every piece of text is escaped before
 * any markup is added, so the result is safe whatever the versions say. The text is the markdown as written (not
 * rendered), which is what an editor changed.
 */
export function wordDiffHtml(before: string, after: string, labels: DiffLabels): TrustedHtml {
  const html = pieces(before, after)
    .map((piece) => {
      if ('same' in piece) return escapeHtml(piece.same);
      const removed = piece.removed ? `<del><span class="govuk-visually-hidden">${escapeHtml(labels.removed)} </span>${escapeHtml(piece.removed)}</del>` : '';
      const added = piece.added ? `<ins><span class="govuk-visually-hidden">${escapeHtml(labels.added)} </span>${escapeHtml(piece.added)}</ins>` : '';
      return removed + added;
    })
    .join('');
  return trustedHtml(html);
}
