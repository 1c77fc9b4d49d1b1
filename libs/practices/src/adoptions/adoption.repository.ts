import { Injectable } from '@nestjs/common';
import { TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';
import { AdoptionEntity } from './adoption.entity.js';

/** Adoptions are read through their practice. */
@Injectable()
export class AdoptionRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(AdoptionEntity);
  }

  private visible(viewer: Viewer) {
    const visible = visiblePracticePredicate(viewer, 'p');
    return this.repo.createQueryBuilder('a').innerJoin('practice', 'p', 'p.id = a.practice_id').where(visible.sql, visible.params);
  }

  findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<AdoptionEntity[]> {
    return ids.length
      ? this.visible(viewer)
          .andWhere('a.id IN (:...ids)', { ids: [...ids] })
          .getMany()
      : Promise.resolve([]);
  }

  /** Newest first, `first + 1` rows after the key. */
  listVisible(viewer: Viewer, practiceId: string, first: number, after?: { createdAt: string; id: string }): Promise<AdoptionEntity[]> {
    const qb = this.visible(viewer).andWhere('a.practice_id = :practiceId', { practiceId });
    if (after) qb.andWhere('(a.created_at, a.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', { afterAt: after.createdAt, afterId: after.id });
    return qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(first + 1)
      .getMany();
  }

  /** One adoption per organisation and practice: recording again updates the note and outcome. */
  async upsert(values: Pick<AdoptionEntity, 'practiceId' | 'organisationId' | 'memberId' | 'note' | 'outcome'>): Promise<AdoptionEntity> {
    await this.repo
      .createQueryBuilder()
      .insert()
      .into(AdoptionEntity)
      .values(values)
      .orUpdate(['member_id', 'note', 'outcome', 'updated_at'], ['practice_id', 'organisation_id'])
      .execute();
    return this.repo.findOneByOrFail({ practiceId: values.practiceId, organisationId: values.organisationId });
  }
}
