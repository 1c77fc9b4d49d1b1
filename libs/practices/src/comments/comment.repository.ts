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

  private visible(viewer: Viewer) {
    const visible = visiblePracticePredicate(viewer, 'p');
    return this.repo
      .createQueryBuilder('c')
      .innerJoin('practice', 'p', 'p.id = c.practice_id')
      .leftJoin('comment', 'parent', 'parent.id = c.parent_id')
      .where(READABLE_COMMENT)
      .andWhere(visible.sql, visible.params);
  }

  findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<CommentEntity[]> {
    return ids.length
      ? this.visible(viewer)
          .andWhere('c.id IN (:...ids)', { ids: [...ids] })
          .getMany()
      : Promise.resolve([]);
  }

  /** Top-level comments of a practice (or replies to `parentId`), oldest first, `first + 1` rows after the key. */
  listVisible(viewer: Viewer, practiceId: string, parentId: string | null, first: number, after?: { createdAt: string; id: string }): Promise<CommentEntity[]> {
    const qb = this.visible(viewer).andWhere('c.practice_id = :practiceId', { practiceId });
    if (parentId) qb.andWhere('c.parent_id = :parentId', { parentId });
    else qb.andWhere('c.parent_id IS NULL');
    if (after) qb.andWhere('(c.created_at, c.id) > (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.createdAt, afterId: after.id });
    return qb
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .limit(first + 1)
      .getMany();
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
