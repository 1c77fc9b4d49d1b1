import { Injectable } from '@nestjs/common';
import { entityColumns, queryEntities, TransactionHost } from '#database';
import type { Viewer } from '#identity';
import { In, type EntityManager } from 'typeorm';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';
import { PracticeTagEntity } from './practice-tag.entity.js';
import { tagLabel, tagSlug } from './tag-slug.js';
import { TagEntity } from './tag.entity.js';

export interface TagWithCount extends TagEntity {
  practiceCount: number;
}

@Injectable()
export class TagRepository {
  constructor(private readonly tx: TransactionHost) {}

  /** The tags for these labels, created when new; the first label seen for a slug becomes its label. */
  async ensure(labels: string[]): Promise<TagEntity[]> {
    const bySlug = new Map<string, string>();
    for (const label of labels) {
      const slug = tagSlug(label);
      if (slug && !bySlug.has(slug)) bySlug.set(slug, tagLabel(label));
    }
    if (bySlug.size === 0) return [];
    await this.tx.manager
      .createQueryBuilder()
      .insert()
      .into(TagEntity)
      .values([...bySlug].map(([slug, label]) => ({ slug, label, curated: false })))
      .orIgnore()
      .execute();
    return this.tx.manager.getRepository(TagEntity).find({ where: { slug: In([...bySlug.keys()]) }, order: { slug: 'ASC' } });
  }

  async replaceOfPractice(practiceId: string, tagIds: string[]): Promise<void> {
    const repo = this.tx.manager.getRepository(PracticeTagEntity);
    await repo.delete({ practiceId });
    if (tagIds.length) await repo.insert(tagIds.map((tagId) => ({ practiceId, tagId })));
  }

  /** Tags of several practices in one statement; the caller has already applied the practice read rule. */
  async ofPractices(practiceIds: readonly string[]): Promise<{ practiceId: string; tag: TagEntity }[]> {
    if (!practiceIds.length) return [];
    const manager = this.tx.manager;
    const sql = `SELECT ${entityColumns(manager, TagEntity, 't')}, pt.practice_id AS "practiceId" FROM practice_tag pt JOIN tag t ON t.id = pt.tag_id WHERE pt.practice_id IN (:...ids) ORDER BY t.slug`;
    const rows = await queryEntities<TagEntity, { practiceId: string }>(manager, TagEntity, sql, { ids: [...practiceIds] });
    return rows.map((r) => ({ practiceId: r.extra.practiceId, tag: r.entity }));
  }

  /**
   * Tags ordered by slug, each with the number of practices the viewer may see; free tags on no visible practice
   * are left out, so a hidden practice's tags do not reveal it.
   */
  listVisible(viewer: Viewer, first: number, afterSlug?: string, search?: string): Promise<TagWithCount[]> {
    // A list that tolerates a second of lag: the read replica when there is one.
    return this.tx.onReplica((manager) => this.listVisibleOn(manager, viewer, first, afterSlug, search));
  }

  private async listVisibleOn(manager: EntityManager, viewer: Viewer, first: number, afterSlug?: string, search?: string): Promise<TagWithCount[]> {
    const visible = visiblePracticePredicate(viewer, 'p');
    // Every tag's count in one grouped pass over the visible practices; a count per tag row would scan them per tag.
    const qb = manager
      .getRepository(TagEntity)
      .createQueryBuilder('t')
      .select(['t.id', 't.slug', 't.label', 't.curated'])
      .leftJoin(
        (sub) =>
          sub
            .select('pt.tag_id', 'tag_id')
            .addSelect('COUNT(*)::int', 'n')
            .from(PracticeTagEntity, 'pt')
            .innerJoin('practice', 'p', 'p.id = pt.practice_id')
            .where(visible.sql)
            .groupBy('pt.tag_id'),
        'c',
        'c.tag_id = t.id',
      )
      .addSelect('COALESCE(c.n, 0)', 'practice_count')
      .setParameters(visible.params)
      .where('(t.curated OR c.n > 0)')
      .orderBy('t.slug', 'ASC')
      .limit(first + 1);
    if (afterSlug !== undefined) qb.andWhere('t.slug > :after', { after: afterSlug });
    if (search) qb.andWhere('t.slug LIKE :search', { search: `%${tagSlug(search).replace(/[%_]/g, '')}%` });
    const { entities, raw } = await qb.getRawAndEntities<{ practice_count: number }>();
    return entities.map((t, i) => ({ ...t, practiceCount: Number(raw[i]!.practice_count) }));
  }
}
