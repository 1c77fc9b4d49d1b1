import type { PracticeRevisionEntity } from '#practices';
import type { Translate } from '../i18n/messages.js';
import type { TrustedHtml } from '../rendering/trusted-html.js';
import { wordDiffHtml } from '../rendering/word-diff.js';

/** One field that changed between two revisions: its name and both versions as one text, word by word. */
export interface FieldChange {
  label: string;
  diffHtml: TrustedHtml;
}

/**
 * The fields a revision records, as text to compare: what the API's Revision object shows (the audience is not part of
 * it). Resources one a line, topics by their slugs, the level by its label.
 */
function comparable(revision: PracticeRevisionEntity, t: Translate): [string, string][] {
  return [
    ['practiceActions.diff.fields.title', revision.title],
    ['practiceActions.diff.fields.summary', revision.summary],
    ['practiceActions.diff.fields.problem', revision.problem],
    ['practiceActions.diff.fields.approach', revision.approach],
    ['practiceActions.diff.fields.outcomes', revision.outcomes],
    ['practiceActions.diff.fields.resources', revision.resources.map((r) => `${r.title} <${r.url}>`).join('\n')],
    ['practiceActions.diff.fields.tags', revision.tagSlugs.join(', ')],
    ['practiceActions.diff.fields.language', revision.language],
    ['practiceActions.diff.fields.visibility', t(`tlp.label.${revision.visibility}`)],
  ];
}

/** The fields that differ from `from` to `to`, in the practice's order. */
export function revisionChanges(from: PracticeRevisionEntity, to: PracticeRevisionEntity, t: Translate): FieldChange[] {
  const before = comparable(from, t);
  const after = comparable(to, t);
  const labels = { added: t('practiceActions.diff.added'), removed: t('practiceActions.diff.removed') };
  return before
    .map(([key, text], i) => ({ key, before: text, after: after[i]![1] }))
    .filter((field) => field.before !== field.after)
    .map((field) => ({ label: t(field.key), diffHtml: wordDiffHtml(field.before, field.after, labels) }));
}
