import type { Viewer } from '#identity';
import { PracticeStatus, Visibility } from './visibility.enum.js';

/** A parameterised SQL condition; parameter names are prefixed so they never clash with the caller's. */
export interface SqlPredicate {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * THE read rule for practices, and through them for comments, adoptions, revisions, tags' counts, search, digests
 * and feeds: every read path adds this condition for its viewer. `alias` names the practice table in the query.
 *
 * - Hidden practices: nobody.
 * - The public: published TLP_CLEAR practices.
 * - A member: everything of their own organisation (drafts included); of other organisations, non-draft practices
 *   that are TLP_CLEAR or TLP_GREEN, or TLP_AMBER naming the member's organisation in its audience.
 *
 * `includeHidden` is for the moderation queue alone (flags on content already hidden); nothing that returns content
 * may pass it.
 */
export function visiblePracticePredicate(viewer: Viewer, alias = 'p', options: { includeHidden?: boolean } = {}): SqlPredicate {
  // Only the moderation queue passes includeHidden: it must keep the flags of what it hid, never their content.
  const hidden = options.includeHidden ? 'TRUE' : `${alias}.hidden_at IS NULL`;
  if (!viewer.organisationId) {
    return {
      sql: `(${hidden} AND ${alias}.status = :visPublished AND ${alias}.visibility = :visClear)`,
      params: { visPublished: PracticeStatus.PUBLISHED, visClear: Visibility.TLP_CLEAR },
    };
  }
  return {
    sql:
      `(${hidden} AND (${alias}.organisation_id = :visOrg OR (${alias}.status <> :visDraft AND (` +
      `${alias}.visibility IN (:visClear, :visGreen) OR (${alias}.visibility = :visAmber AND EXISTS (` +
      `SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = ${alias}.id AND vis_a.organisation_id = :visOrg))))))`,
    params: {
      visOrg: viewer.organisationId,
      visDraft: PracticeStatus.DRAFT,
      visClear: Visibility.TLP_CLEAR,
      visGreen: Visibility.TLP_GREEN,
      visAmber: Visibility.TLP_AMBER,
    },
  };
}
