import type { Viewer } from '#identity';
import { PracticeStatus, Visibility } from './visibility.enum.js';

/** A parameterised SQL condition; parameter names are prefixed so they never clash with the caller's. */
export interface SqlPredicate {
  sql: string;
  params: Record<string, unknown>;
}

/**
 * Where the read rule finds a row's level in a query: the columns of a practice, or those a revision recorded when
 * it was written. Each value is an SQL expression.
 */
export interface VisibilityColumns {
  /** The moderation hide; null for a row that cannot be hidden itself (a revision goes with its practice). */
  hiddenAt: string | null;
  status: string;
  visibility: string;
  /** The organisation that wrote it. */
  organisationId: string;
  /** True when the row's TLP_AMBER audience names the organisation bound to `:visOrg`. */
  audienceNamesViewer: string;
}

/** A practice's current level, on the practice table under `alias`. */
export function practiceColumns(alias = 'p'): VisibilityColumns {
  return {
    hiddenAt: `${alias}.hidden_at`,
    status: `${alias}.status`,
    visibility: `${alias}.visibility`,
    organisationId: `${alias}.organisation_id`,
    audienceNamesViewer: `EXISTS (SELECT 1 FROM practice_audience vis_a WHERE vis_a.practice_id = ${alias}.id AND vis_a.organisation_id = :visOrg)`,
  };
}

/**
 * The level a revision (under `alias`) was written with: its own status, visibility and audience, its practice's
 * (under `practiceAlias`) organisation, which never changes.
 */
export function revisionColumns(alias = 'r', practiceAlias = 'p'): VisibilityColumns {
  return {
    hiddenAt: null,
    status: `${alias}.status`,
    visibility: `${alias}.visibility`,
    organisationId: `${practiceAlias}.organisation_id`,
    audienceNamesViewer: `CAST(:visOrg AS uuid) = ANY(${alias}.audience_organisation_ids)`,
  };
}

/**
 * THE read rule for practices, and through them for comments, adoptions, revisions, tags' counts, search, digests
 * and feeds: every read path adds this condition for its viewer. `alias` names the practice table in the query, or
 * `columns` says where another row (a revision) keeps the same facts.
 *
 * - Hidden practices: nobody.
 * - The public: published TLP_CLEAR practices.
 * - A member: everything of their own organisation (drafts included); of other organisations, non-draft practices
 *   that are TLP_CLEAR or TLP_GREEN, or TLP_AMBER naming the member's organisation in its audience.
 *
 * `includeHidden` is for the moderation queue alone (flags on content already hidden); nothing that returns content
 * may pass it.
 */
export function visiblePracticePredicate(viewer: Viewer, alias: string | VisibilityColumns = 'p', options: { includeHidden?: boolean } = {}): SqlPredicate {
  const c = typeof alias === 'string' ? practiceColumns(alias) : alias;
  // Only the moderation queue passes includeHidden: it must keep the flags of what it hid, never their content.
  const hidden = options.includeHidden || c.hiddenAt === null ? '' : `${c.hiddenAt} IS NULL AND `;
  if (!viewer.organisationId) {
    return {
      sql: `(${hidden}${c.status} = :visPublished AND ${c.visibility} = :visClear)`,
      params: { visPublished: PracticeStatus.PUBLISHED, visClear: Visibility.TLP_CLEAR },
    };
  }
  return {
    sql:
      `(${hidden}(${c.organisationId} = :visOrg OR (${c.status} <> :visDraft AND (` +
      `${c.visibility} IN (:visClear, :visGreen) OR (${c.visibility} = :visAmber AND ${c.audienceNamesViewer})))))`,
    params: {
      visOrg: viewer.organisationId,
      visDraft: PracticeStatus.DRAFT,
      visClear: Visibility.TLP_CLEAR,
      visGreen: Visibility.TLP_GREEN,
      visAmber: Visibility.TLP_AMBER,
    },
  };
}

/**
 * The read rule for revisions: a revision is read only by a viewer who may read it under both the level, audience
 * and status it was written with and its practice's current ones (and the practice is not hidden), so text written
 * as a draft or under a stricter level stays there when the practice is later released. `alias` names the revision
 * table, `practiceAlias` its practice, joined by the caller.
 */
export function visibleRevisionPredicate(viewer: Viewer, alias = 'r', practiceAlias = 'p'): SqlPredicate {
  const current = visiblePracticePredicate(viewer, practiceAlias);
  const own = visiblePracticePredicate(viewer, revisionColumns(alias, practiceAlias));
  return { sql: `(${current.sql} AND ${own.sql})`, params: { ...current.params, ...own.params } };
}
