import { Injectable } from '@nestjs/common';
import { entityColumns, queryEntities, queryRows, TransactionHost } from '#database';
import type { CursorKey, Viewer } from '#identity';
import { In, type EntityManager } from 'typeorm';
import { READABLE_COMMENT } from '../comments/comment.repository.js';
import { PracticeStatus } from '../visibility/visibility.enum.js';
import { practiceFilterPredicate, type PracticeFilterValues } from './practice-filter.predicate.js';
import { visiblePracticePredicate } from '../visibility/visibility.predicate.js';
import { PracticeAudienceEntity } from './practice-audience.entity.js';
import { PracticeEntity, type PracticeResource } from './practice.entity.js';

export enum PracticeOrder {
  /** Newest publication first (drafts by creation). */
  NEWEST = 'NEWEST',
  RECENTLY_UPDATED = 'RECENTLY_UPDATED',
  /** Best full-text match first; needs `query`. */
  RELEVANCE = 'RELEVANCE',
}

export interface PracticeQuery extends PracticeFilterValues {
  status: PracticeStatus;
}

export interface ListedPractice {
  practice: PracticeEntity;
  /** Sort key of this row, for its cursor. */
  key: CursorKey;
  /** Matched words between \u0001 and \u0002 in raw text; the caller escapes, then marks. */
  rawSnippet: string | null;
}

export type PracticeContent = Pick<PracticeEntity, 'title' | 'summary' | 'problem' | 'approach' | 'outcomes' | 'resources' | 'language' | 'visibility'>;

/** Start and stop markers for ts_headline; removed from the text first, so only PostgreSQL places them. */
export const MARK_START = '\u0001';
export const MARK_STOP = '\u0002';
/** Stand-ins for < and > while PostgreSQL builds a snippet. */
export const ANGLE_OPEN = '\uE000';
export const ANGLE_CLOSE = '\uE001';

const ORDER_KEY: Record<PracticeOrder, string> = {
  [PracticeOrder.NEWEST]: 'COALESCE(p.published_at, p.created_at)',
  [PracticeOrder.RECENTLY_UPDATED]: 'p.updated_at',
  [PracticeOrder.RELEVANCE]: "ts_rank_cd(p.search_vector, websearch_to_tsquery('english', :query))",
};

@Injectable()
export class PracticeRepository {
  constructor(private readonly tx: TransactionHost) {}

  private get repo() {
    return this.tx.manager.getRepository(PracticeEntity);
  }

  /** The practices among `ids` that `viewer` may read. */
  async findVisibleByIds(viewer: Viewer, ids: readonly string[]): Promise<PracticeEntity[]> {
    if (!ids.length) return [];
    const visible = visiblePracticePredicate(viewer, 'p');
    const manager = this.tx.manager;
    const sql = `SELECT ${entityColumns(manager, PracticeEntity, 'p')} FROM practice p WHERE p.id IN (:...ids) AND ${visible.sql}`;
    return (await queryEntities(manager, PracticeEntity, sql, { ...visible.params, ids: [...ids] })).map((r) => r.entity);
  }

  /**
   * Readable, undeleted comments and adoptions of each of the practices among `ids` that `viewer` may read, in one
   * statement (a page of practices asks for both); practices the viewer may not read are left out.
   */
  async countsVisible(viewer: Viewer, ids: readonly string[]): Promise<Map<string, { comments: number; adoptions: number }>> {
    if (!ids.length) return new Map();
    const visible = visiblePracticePredicate(viewer, 'p');
    const sql = `SELECT p.id,
        (SELECT COUNT(*) FROM comment c LEFT JOIN comment parent ON parent.id = c.parent_id WHERE c.practice_id = p.id AND ${READABLE_COMMENT} AND c.deleted_at IS NULL)::int AS comments,
        (SELECT COUNT(*) FROM adoption a WHERE a.practice_id = p.id)::int AS adoptions
      FROM practice p WHERE p.id IN (:...ids) AND ${visible.sql}`;
    const rows = await queryRows<{ id: string; comments: number; adoptions: number }>(this.tx.manager, sql, { ...visible.params, ids: [...ids] });
    return new Map(rows.map((r) => [r.id, { comments: Number(r.comments), adoptions: Number(r.adoptions) }]));
  }

  /**
   * One page of the practices `viewer` may read that match `filter`, in `order`, after the cursor `after`;
   * `first + 1` rows so the caller can tell whether more follow.
   */
  listVisible(viewer: Viewer, filter: PracticeQuery, order: PracticeOrder, first: number, after?: CursorKey): Promise<ListedPractice[]> {
    // Lists, search and the public feed tolerate a second of lag: the read replica when there is one.
    return this.tx.onReplica((manager) => this.listVisibleOn(manager, viewer, filter, order, first, after));
  }

  private async listVisibleOn(
    manager: EntityManager,
    viewer: Viewer,
    filter: PracticeQuery,
    order: PracticeOrder,
    first: number,
    after?: CursorKey,
  ): Promise<ListedPractice[]> {
    const visible = visiblePracticePredicate(viewer, 'p');
    const filtered = practiceFilterPredicate(filter, 'p');
    const key = ORDER_KEY[order];
    const conditions = [visible.sql, 'p.status = :status', filtered.sql];
    const params: Record<string, unknown> = { ...visible.params, ...filtered.params, status: filter.status };
    const columns = [
      entityColumns(manager, PracticeEntity, 'p'),
      `${order === PracticeOrder.RELEVANCE ? key : `to_char(${key} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`} AS sort_key`,
    ];
    if (filter.query) {
      columns.push(
        `ts_headline('english', translate(concat_ws(' ', p.summary, p.problem, p.approach, p.outcomes), :marks, :angles), websearch_to_tsquery('english', :query), :headline) AS snippet`,
      );
      // ts_headline drops anything shaped like an HTML tag; angle brackets travel as private-use characters and
      // our markers are removed from the text, so only PostgreSQL places them.
      params.marks = `<>${MARK_START}${MARK_STOP}`;
      params.angles = `${ANGLE_OPEN}${ANGLE_CLOSE}`;
      params.headline = `StartSel=${MARK_START}, StopSel=${MARK_STOP}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
    }
    if (after) {
      const cast = order === PracticeOrder.RELEVANCE ? 'real' : 'timestamptz';
      conditions.push(`(${key}, p.id) < (CAST(:afterKey AS ${cast}), CAST(:afterId AS uuid))`);
      params.afterKey = after[0];
      params.afterId = after[1];
    }
    const sql = `SELECT ${columns.join(', ')} FROM practice p WHERE ${conditions.join(' AND ')} ORDER BY ${key} DESC, p.id DESC LIMIT :limit`;
    params.limit = first + 1;
    const rows = await queryEntities<PracticeEntity, { sort_key: string | number; snippet?: string }>(manager, PracticeEntity, sql, params);
    return rows.map(({ entity, extra }) => ({
      practice: entity,
      key: [order === PracticeOrder.RELEVANCE ? Number(extra.sort_key) : String(extra.sort_key), entity.id],
      rawSnippet: extra.snippet ?? null,
    }));
  }

  /** For write checks only: the row whatever its visibility, locked until the transaction ends. */
  findForUpdate(id: string): Promise<PracticeEntity | null> {
    return this.repo.createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
  }

  async insert(values: PracticeContent & Pick<PracticeEntity, 'organisationId' | 'authorId'>): Promise<PracticeEntity> {
    const result = await this.repo.insert({ ...values, status: PracticeStatus.DRAFT, revision: 1 });
    return this.repo.findOneByOrFail({ id: result.identifiers[0]!.id as string });
  }

  /** Applies an edit only if nobody changed the practice since `expectedRevision`; false when someone did. */
  async updateIfRevision(id: string, expectedRevision: number, values: Partial<PracticeContent>): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(PracticeEntity)
      .set({ ...values, revision: () => 'revision + 1' })
      .where('id = :id AND revision = :expectedRevision', { id, expectedRevision })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** The next revision number, for a change that writes a revision without editing the content (publication). */
  async advanceRevision(id: string): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update(PracticeEntity)
      .set({ revision: () => 'revision + 1' })
      .where('id = :id', { id })
      .execute();
  }

  async setStatus(id: string, status: PracticeStatus, publishedAt?: Date): Promise<void> {
    await this.repo.update({ id }, publishedAt ? { status, publishedAt } : { status });
  }

  async hide(id: string, at: Date): Promise<void> {
    await this.repo.update({ id }, { hiddenAt: at });
  }

  /** Brings a hidden practice back; false when it was not hidden. */
  async unhide(id: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(PracticeEntity)
      .set({ hiddenAt: null })
      .where('id = :id AND hidden_at IS NOT NULL', { id })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  findById(id: string): Promise<PracticeEntity> {
    return this.repo.findOneByOrFail({ id });
  }

  async audienceOf(practiceIds: readonly string[]): Promise<PracticeAudienceEntity[]> {
    return practiceIds.length ? this.tx.manager.getRepository(PracticeAudienceEntity).findBy({ practiceId: In([...practiceIds]) }) : [];
  }

  async replaceAudience(practiceId: string, organisationIds: string[]): Promise<void> {
    const repo = this.tx.manager.getRepository(PracticeAudienceEntity);
    await repo.delete({ practiceId });
    if (organisationIds.length) await repo.insert(organisationIds.map((organisationId) => ({ practiceId, organisationId })));
  }
}

export type { PracticeResource };
