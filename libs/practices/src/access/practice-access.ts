import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import { Actor, Permission, Role } from '#identity';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { PracticeStatus } from '../visibility/visibility.enum.js';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';

/** What an actor wants to do with specific rows. */
export enum PracticeAccess {
  /** Read the practice. */
  PRACTICE_READ = 'PRACTICE_READ',
  /** Edit, publish or archive: the author's organisation, with the practice:write permission. */
  PRACTICE_EDIT = 'PRACTICE_EDIT',
  /** Comment on, adopt or flag: any reader of a published practice. */
  PRACTICE_ENGAGE = 'PRACTICE_ENGAGE',
  /** Read the comment (its practice readable, it and its parent not hidden). */
  COMMENT_READ = 'COMMENT_READ',
  /** Edit or delete: the comment's author, while they can still read it. */
  COMMENT_EDIT = 'COMMENT_EDIT',
  /** Reply to or flag the comment: readable and not deleted. */
  COMMENT_ENGAGE = 'COMMENT_ENGAGE',
  /** Resolve: moderators on content they can read, organisation admins on their organisation's content. */
  FLAG_RESOLVE = 'FLAG_RESOLVE',
  /** Hide or bring back the practice: whoever may resolve its flags, whether or not it is hidden now. */
  PRACTICE_MODERATE = 'PRACTICE_MODERATE',
  /** Hide or bring back the comment: whoever may resolve its flags, whether or not it is hidden now. */
  COMMENT_MODERATE = 'COMMENT_MODERATE',
}

const NOT_FOUND: Record<PracticeAccess, [PracticeErrorCode, string]> = {
  [PracticeAccess.PRACTICE_READ]: [PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice with this ID is visible to you.'],
  [PracticeAccess.PRACTICE_EDIT]: [PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice with this ID is visible to you.'],
  [PracticeAccess.PRACTICE_ENGAGE]: [PracticeErrorCode.PRACTICE_NOT_FOUND, 'No published practice with this ID is visible to you.'],
  [PracticeAccess.COMMENT_READ]: [PracticeErrorCode.COMMENT_NOT_FOUND, 'No comment with this ID is visible to you.'],
  [PracticeAccess.COMMENT_EDIT]: [PracticeErrorCode.COMMENT_NOT_FOUND, 'No comment with this ID is visible to you.'],
  [PracticeAccess.COMMENT_ENGAGE]: [PracticeErrorCode.COMMENT_NOT_FOUND, 'No comment with this ID is visible to you.'],
  [PracticeAccess.FLAG_RESOLVE]: [PracticeErrorCode.FLAG_NOT_FOUND, 'No flag with this ID is open to you.'],
  [PracticeAccess.PRACTICE_MODERATE]: [PracticeErrorCode.PRACTICE_NOT_FOUND, 'No practice with this ID is open to your moderation.'],
  [PracticeAccess.COMMENT_MODERATE]: [PracticeErrorCode.COMMENT_NOT_FOUND, 'No comment with this ID is open to your moderation.'],
};

/** The weaker access whose holders already know the row exists, so refusing them may say "forbidden". */
const KNOWN_BY: Partial<Record<PracticeAccess, PracticeAccess>> = {
  [PracticeAccess.PRACTICE_EDIT]: PracticeAccess.PRACTICE_READ,
  [PracticeAccess.PRACTICE_ENGAGE]: PracticeAccess.PRACTICE_READ,
  [PracticeAccess.COMMENT_EDIT]: PracticeAccess.COMMENT_READ,
  [PracticeAccess.COMMENT_ENGAGE]: PracticeAccess.COMMENT_READ,
  [PracticeAccess.PRACTICE_MODERATE]: PracticeAccess.PRACTICE_READ,
  [PracticeAccess.COMMENT_MODERATE]: PracticeAccess.COMMENT_READ,
};

/**
 * Row access for writes, answered in SQL: one set-based query per check over all the ids, one case per access.
 */
@Injectable()
export class PracticeAccessService {
  constructor(private readonly tx: TransactionHost) {}

  /** The ids among `ids` that `actor` may act on with `access`. */
  async allowed(actor: Actor, access: PracticeAccess, ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const visible = visiblePracticePredicate(actor.viewer, 'p');
    const params: Record<string, unknown> = {
      ...visible.params,
      ids: [...ids],
      actorOrg: actor.organisationId,
      actorMember: actor.memberId,
      published: PracticeStatus.PUBLISHED,
    };
    let sql: string;
    switch (access) {
      case PracticeAccess.PRACTICE_READ:
        sql = `SELECT p.id FROM practice p WHERE p.id IN (:...ids) AND ${visible.sql}`;
        break;
      case PracticeAccess.PRACTICE_EDIT:
        if (!actor.can(Permission.PRACTICE_WRITE)) return new Set();
        sql = `SELECT p.id FROM practice p WHERE p.id IN (:...ids) AND ${visible.sql} AND p.organisation_id = :actorOrg`;
        break;
      case PracticeAccess.PRACTICE_ENGAGE:
        if (!actor.signedIn) return new Set();
        sql = `SELECT p.id FROM practice p WHERE p.id IN (:...ids) AND ${visible.sql} AND p.status = :published`;
        break;
      case PracticeAccess.COMMENT_READ:
        sql = `SELECT c.id FROM comment c JOIN practice p ON p.id = c.practice_id LEFT JOIN comment parent ON parent.id = c.parent_id
               WHERE c.id IN (:...ids) AND c.hidden_at IS NULL AND parent.hidden_at IS NULL AND ${visible.sql}`;
        break;
      case PracticeAccess.COMMENT_EDIT:
        if (!actor.memberId) return new Set();
        sql = `SELECT c.id FROM comment c JOIN practice p ON p.id = c.practice_id LEFT JOIN comment parent ON parent.id = c.parent_id
               WHERE c.id IN (:...ids) AND c.hidden_at IS NULL AND parent.hidden_at IS NULL AND c.deleted_at IS NULL
                 AND c.author_id = :actorMember AND ${visible.sql}`;
        break;
      case PracticeAccess.COMMENT_ENGAGE:
        if (!actor.signedIn) return new Set();
        sql = `SELECT c.id FROM comment c JOIN practice p ON p.id = c.practice_id LEFT JOIN comment parent ON parent.id = c.parent_id
               WHERE c.id IN (:...ids) AND c.hidden_at IS NULL AND parent.hidden_at IS NULL AND c.deleted_at IS NULL
                 AND p.status = :published AND ${visible.sql}`;
        break;
      case PracticeAccess.FLAG_RESOLVE: {
        const moderated = moderationScope(actor);
        if (!moderated) return new Set();
        Object.assign(params, moderated.params);
        // Flags of hidden content stay in reach, so resolving one again says "already resolved", not "not found".
        sql = `SELECT f.id FROM flag f JOIN practice p ON p.id = f.practice_id LEFT JOIN comment c ON c.id = f.comment_id
               WHERE f.id IN (:...ids) AND ${moderated.sql}`;
        break;
      }
      case PracticeAccess.PRACTICE_MODERATE: {
        const moderated = moderationScope(actor);
        if (!moderated) return new Set();
        Object.assign(params, moderated.params);
        sql = `SELECT p.id FROM practice p WHERE p.id IN (:...ids) AND ${moderated.sql}`;
        break;
      }
      case PracticeAccess.COMMENT_MODERATE: {
        const moderated = moderationScope(actor);
        if (!moderated) return new Set();
        Object.assign(params, moderated.params);
        sql = `SELECT c.id FROM comment c JOIN practice p ON p.id = c.practice_id WHERE c.id IN (:...ids) AND ${moderated.sql}`;
        break;
      }
      default: {
        const unreachable: never = access;
        throw new Error(`Unhandled access ${String(unreachable)}`);
      }
    }
    const [query, values] = this.tx.manager.connection.driver.escapeQueryWithParameters(sql, params);
    const rows = (await this.tx.manager.query(query, values)) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Throws unless `actor` may act on every id. A row the actor cannot read is "not found", never "forbidden", so
   * the answer does not reveal that it exists.
   * @throws PracticeError NOT_FOUND or PERMISSION_DENIED.
   */
  async requireAccess(actor: Actor, access: PracticeAccess, ids: string[]): Promise<void> {
    const allowed = await this.allowed(actor, access, ids);
    const missing = ids.filter((id) => !allowed.has(id));
    if (!missing.length) return;
    const weaker = KNOWN_BY[access];
    const known = weaker ? await this.allowed(actor, weaker, missing) : new Set<string>();
    if (missing.every((id) => known.has(id))) {
      throw new PracticeError(PracticeErrorCode.PERMISSION_DENIED, FORBIDDEN_MESSAGE[access] ?? 'You may not do this.');
    }
    const [code, message] = NOT_FOUND[access];
    throw new PracticeError(code, message, 'id');
  }
}

/**
 * The flag rule, the one place it is written: which practices `p` the actor moderates (works their flags and those of
 * their comments, hides them and brings them back), hidden or not. Moderators moderate what they could read were it
 * not hidden (a platform-wide role, but no bypass of the read rule), organisation admins their own organisation's;
 * either only while holding flag:resolve (a token needs the moderate scope). The access checks above and the flag
 * listings of FlagRepository both use it.
 * @returns the condition on `p` with its parameters, or null for an actor who moderates nothing.
 */
export function moderationScope(actor: Actor): { sql: string; params: Record<string, unknown> } | null {
  if (!actor.can(Permission.FLAG_RESOLVE)) return null;
  const moderator = actor.hasRole(Role.MODERATOR);
  if (!moderator && !actor.hasRole(Role.ORG_ADMIN)) return null;
  const readable = visiblePracticePredicate(actor.viewer, 'p', { includeHidden: true });
  if (moderator) return readable;
  return { sql: `${readable.sql} AND p.organisation_id = :moderatedOrg`, params: { ...readable.params, moderatedOrg: actor.organisationId } };
}

const FORBIDDEN_MESSAGE: Partial<Record<PracticeAccess, string>> = {
  [PracticeAccess.PRACTICE_EDIT]: "Only contributors and admins of the practice's own organisation may change it.",
  [PracticeAccess.PRACTICE_ENGAGE]: 'This practice is not published, so it cannot be commented on, adopted or flagged yet.',
  [PracticeAccess.COMMENT_EDIT]: 'Only the author of a comment may change or delete it.',
  [PracticeAccess.COMMENT_ENGAGE]: 'This comment was deleted, or its practice is not published.',
  [PracticeAccess.PRACTICE_MODERATE]: "Only moderators and the practice's own organisation's admins moderate it.",
  [PracticeAccess.COMMENT_MODERATE]: "Only moderators and the admins of the practice's organisation moderate this comment.",
};
