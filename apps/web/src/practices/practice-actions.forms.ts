import { FlagReason, PracticeStatus } from '#practices';
import type { FieldRule } from './form-rules.js';

/** What the comment, reply and comment-edit forms say about their one field (AddCommentInput / EditCommentInput). */
export const COMMENT_RULES: Record<string, FieldRule> = {
  body: { field: 'body', empty: 'practiceActions.errors.commentEmpty', invalid: 'practiceActions.errors.commentTooLong' },
};

/** The adoption form's fields (RecordAdoptionInput), in the form's order. */
export const ADOPTION_RULES: Record<string, FieldRule> = {
  outcome: { field: 'outcome', empty: 'practiceActions.errors.outcomeEmpty', invalid: 'practiceActions.errors.outcomeTooLong' },
  note: { field: 'note', empty: 'practiceActions.errors.noteEmpty', invalid: 'practiceActions.errors.noteTooLong' },
};

/** The flag form's fields (FlagContentInput). */
export const FLAG_RULES: Record<string, FieldRule> = {
  reason: { field: 'reason', invalid: 'practiceActions.errors.reasonEmpty' },
  note: { field: 'note', invalid: 'practiceActions.errors.flagNoteTooLong' },
};

/** The reasons a flag may give, in the form's order, with their label and hint. */
export const FLAG_REASONS: { value: FlagReason; text: string; hint: string }[] = [
  { value: FlagReason.PARTY_POLITICAL, text: 'practiceActions.flag.reasons.PARTY_POLITICAL', hint: 'practiceActions.flag.hints.PARTY_POLITICAL' },
  { value: FlagReason.ABUSIVE, text: 'practiceActions.flag.reasons.ABUSIVE', hint: 'practiceActions.flag.hints.ABUSIVE' },
  { value: FlagReason.FALSE_INFORMATION, text: 'practiceActions.flag.reasons.FALSE_INFORMATION', hint: 'practiceActions.flag.hints.FALSE_INFORMATION' },
  { value: FlagReason.OTHER, text: 'practiceActions.flag.reasons.OTHER', hint: 'practiceActions.flag.hints.OTHER' },
];

/** The success banner after a form, by the `done` value of the practice page's address. */
export const DONE_MESSAGES: Record<string, string> = {
  created: 'practiceActions.done.created',
  saved: 'practiceActions.done.saved',
  published: 'practiceActions.done.published',
  archived: 'practiceActions.done.archived',
  commented: 'practiceActions.done.commented',
  replied: 'practiceActions.done.replied',
  'comment-edited': 'practiceActions.done.commentEdited',
  'comment-deleted': 'practiceActions.done.commentDeleted',
  adopted: 'practiceActions.done.adopted',
  flagged: 'practiceActions.done.flagged',
};

/** What a revision's recorded status is called in the history. */
export const REVISION_STATUS: Record<PracticeStatus, string> = {
  [PracticeStatus.DRAFT]: 'practiceActions.revisions.status.DRAFT',
  [PracticeStatus.PUBLISHED]: 'practiceActions.revisions.status.PUBLISHED',
  [PracticeStatus.ARCHIVED]: 'practiceActions.revisions.status.ARCHIVED',
};

/** The id of a comment's element on the practice page, for links back to it. */
export function commentAnchor(commentGlobalId: string): string {
  return `comment-${commentGlobalId}`;
}
