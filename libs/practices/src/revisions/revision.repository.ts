import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { visibleRevisionPredicate } from '../visibility/visibility.predicate.js';
import { PracticeRevisionEntity } from './practice-revision.entity.js';

@Injectable()
export class RevisionRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(PracticeRevisionEntity);
  }

  async insert(values: Omit<PracticeRevisionEntity, 'id' | 'createdAt' | 'practice' | 'editor'>): Promise<void> {
    await this.repo.insert(values);
  }

  /**
   * Revisions of a practice the viewer may read under both their own level and the practice's, newest first,
   * `first + 1` rows below `beforeRevision`.
   */
  listVisible(viewer: Viewer, practiceId: string, first: number, beforeRevision?: number): Promise<PracticeRevisionEntity[]> {
    const visible = visibleRevisionPredicate(viewer, 'r', 'p');
    const qb = this.repo
      .createQueryBuilder('r')
      .innerJoin('practice', 'p', 'p.id = r.practice_id')
      .where('r.practice_id = :practiceId', { practiceId })
      .andWhere(visible.sql, visible.params);
    if (beforeRevision !== undefined) qb.andWhere('r.revision < :before', { before: beforeRevision });
    return qb
      .orderBy('r.revision', 'DESC')
      .limit(first + 1)
      .getMany();
  }

  /**
   * The revisions of a practice with these numbers that the viewer may read under both their own level and the
   * practice's: what a comparison of two revisions shows. Numbers the viewer may not read are simply missing.
   */
  findVisibleByNumbers(viewer: Viewer, practiceId: string, numbers: readonly number[]): Promise<PracticeRevisionEntity[]> {
    if (!numbers.length) return Promise.resolve([]);
    const visible = visibleRevisionPredicate(viewer, 'r', 'p');
    return this.repo
      .createQueryBuilder('r')
      .innerJoin('practice', 'p', 'p.id = r.practice_id')
      .where('r.practice_id = :practiceId AND r.revision IN (:...numbers)', { practiceId, numbers: [...numbers] })
      .andWhere(visible.sql, visible.params)
      .orderBy('r.revision', 'ASC')
      .getMany();
  }

  /** The revision, when the viewer may read it under both its own level and its practice's. */
  async findVisibleById(viewer: Viewer, id: string): Promise<PracticeRevisionEntity | null> {
    const visible = visibleRevisionPredicate(viewer, 'r', 'p');
    return this.repo
      .createQueryBuilder('r')
      .innerJoin('practice', 'p', 'p.id = r.practice_id')
      .where('r.id = :id', { id })
      .andWhere(visible.sql, visible.params)
      .getOne();
  }
}
