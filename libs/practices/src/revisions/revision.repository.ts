import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';
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

  /** Revisions of a practice the viewer may read, newest first, `first + 1` rows below `beforeRevision`. */
  listVisible(viewer: Viewer, practiceId: string, first: number, beforeRevision?: number): Promise<PracticeRevisionEntity[]> {
    const visible = visiblePracticePredicate(viewer, 'p');
    const qb = this.repo
      .createQueryBuilder('r')
      .innerJoin('practice', 'p', 'p.id = r.practice_id')
      .where('r.practice_id = :practiceId', { practiceId })
      .andWhere(visible.sql, visible.params);
    if (beforeRevision !== undefined) qb.andWhere('r.revision < :before', { before: beforeRevision });
    return qb.orderBy('r.revision', 'DESC').limit(first + 1).getMany();
  }

  async findVisibleById(viewer: Viewer, id: string): Promise<PracticeRevisionEntity | null> {
    const visible = visiblePracticePredicate(viewer, 'p');
    return this.repo.createQueryBuilder('r').innerJoin('practice', 'p', 'p.id = r.practice_id').where('r.id = :id', { id }).andWhere(visible.sql, visible.params).getOne();
  }
}
