import { Injectable } from '@nestjs/common';
import { entityColumns, queryEntities, queryRows, TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';
import { CommentEntity } from './comment.entity.js';

/**
 * Which comments of a readable practice are read, as SQL over `c` and its parent `parent` (left-joined): hidden comments
 * and replies to them are read by nobody. Used by every comment read and by the practices' counts.
 */
export const READABLE_COMMENT = 'c.hidden_at IS NULL AND parent.hidden_at IS NULL';

/** Comments follow their practice's read rule; hidden comments (and replies to them) are read by nobody. */
@Injectable()
export class CommentRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(CommentEntity);
  }

  /** The FROM and WHERE of a read of readable comments `c`, for hand-written SQL; `extra` conditions are ANDed. */
  private readable(viewer: Viewer, extra: string[]): { from: string; params: Record<string, unknown> } {
    const visible = visiblePracticePredicate(viewer, 'p');
    return {
      from: `comment c JOIN practice p ON p.id = c.practice_id LEFT JOIN comment parent ON parent.id = c.parent_id WHERE ${[READABLE_COMMENT, visible.sql, ...extra].join(' AND ')}`,
      params: visible.params,
    };
  }

  /** Readable comments among `ids`. */
  async findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<CommentEntity[]> {
    if (!ids.length) return [];
    return this.entities(viewer, ['c.id IN (:...ids)'], { ids: [...ids] });
  }

  /** Top-level comments of a practice (or replies to `parentId`), oldest first, `first + 1` rows after the key. */
  listVisible(viewer: Viewer, practiceId: string, parentId: string | null, first: number, after?: { createdAt: string; id: string }): Promise<CommentEntity[]> {
    const conditions = ['c.practice_id = :practiceId', parentId ? 'c.parent_id = :parentId' : 'c.parent_id IS NULL'];
    if (after) conditions.push('(c.created_at, c.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))');
    return this.entities(
      viewer,
      conditions,
      { practiceId, parentId, afterAt: after?.createdAt, afterId: after?.id, limit: first + 1 },
      'ORDER BY c.created_at, c.id LIMIT :limit',
    );
  }

  /** Readable comments meeting `conditions`, as entities, with `tail` (order, limit) after the WHERE. */
  private async entities(viewer: Viewer, conditions: string[], params: Record<string, unknown>, tail = ''): Promise<CommentEntity[]> {
    const manager = this.tx.manager;
    const read = this.readable(viewer, conditions);
    const rows = await queryEntities(manager, CommentEntity, `SELECT ${entityColumns(manager, CommentEntity, 'c')} FROM ${read.from} ${tail}`, {
      ...read.params,
      ...params,
    });
    return rows.map((r) => r.entity);
  }

  /**
   * The first page (`first + 1` rows, oldest first) of top-level comments of several practices, or of replies to
   * several comments, in one statement: what a list of parents asks for without a cursor.
   */
  async firstPagesVisible(viewer: Viewer, of: 'practice' | 'parent', ids: readonly string[], first: number): Promise<CommentEntity[]> {
    if (!ids.length) return [];
    const column = of === 'practice' ? 'c.practice_id' : 'c.parent_id';
    const manager = this.tx.manager;
    const read = this.readable(viewer, [`${column} IN (:...pageIds)`, of === 'practice' ? 'c.parent_id IS NULL' : 'TRUE']);
    const sql = `SELECT * FROM (SELECT ${entityColumns(manager, CommentEntity, 'c')}, row_number() OVER (PARTITION BY ${column} ORDER BY c.created_at, c.id) AS position FROM ${read.from}) ranked
      WHERE ranked.position <= :limit ORDER BY ranked."createdAt", ranked.id`;
    const rows = await queryEntities<CommentEntity, { position: string }>(manager, CommentEntity, sql, { ...read.params, pageIds: [...ids], limit: first + 1 });
    return rows.map((r) => r.entity);
  }

  /** Counts of readable replies per parent comment, in one statement. */
  async countReplies(viewer: Viewer, parentIds: readonly string[]): Promise<Map<string, number>> {
    if (!parentIds.length) return new Map();
    const read = this.readable(viewer, ['c.parent_id IN (:...parentIds)', 'c.deleted_at IS NULL']);
    const rows = await queryRows<{ parent_id: string; count: number }>(
      this.tx.manager,
      `SELECT c.parent_id, COUNT(*)::int AS count FROM ${read.from} GROUP BY c.parent_id`,
      {
        ...read.params,
        parentIds: [...parentIds],
      },
    );
    return new Map(rows.map((r) => [r.parent_id, Number(r.count)]));
  }

  /** For writes after an access check. */
  findById(id: string): Promise<CommentEntity> {
    return this.repo.findOneByOrFail({ id });
  }

  async insert(values: Pick<CommentEntity, 'practiceId' | 'parentId' | 'authorId' | 'body'>): Promise<CommentEntity> {
    const result = await this.repo.insert(values);
    return this.findById(result.identifiers[0]!.id as string);
  }

  async edit(id: string, body: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { body, editedAt: at });
  }

  async softDelete(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { deletedAt: at });
  }

  async hide(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { hiddenAt: at });
  }

  /** Brings a hidden comment back; false when it was not hidden. */
  async unhide(id: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(CommentEntity)
      .set({ hiddenAt: null })
      .where('id = :id AND hidden_at IS NOT NULL', { id })
      .execute();
    return (result.affected ?? 0) === 1;
  }
}
