import { Injectable } from '@nestjs/common';
import { byIds, groupBy, groupsByIds, loadersOf, type RequestContext } from '#identity';
import DataLoader from 'dataloader';
import type { AdoptionEntity } from '../adoptions/adoption.entity.js';
import { AdoptionRepository } from '../adoptions/adoption.repository.js';
import type { CommentEntity } from '../comments/comment.entity.js';
import { CommentRepository } from '../comments/comment.repository.js';
import type { PracticeEntity } from '../practices/practice.entity.js';
import { PracticeRepository } from '../practices/practice.repository.js';
import type { TagEntity } from '../tags/tag.entity.js';
import { TagRepository } from '../tags/tag.repository.js';

export interface PracticeLoaderGroup {
  /** Applies the practice read rule: ids the viewer may not read load as null. */
  practice: DataLoader<string, PracticeEntity | null>;
  comment: DataLoader<string, CommentEntity | null>;
  adoption: DataLoader<string, AdoptionEntity | null>;
  tags: DataLoader<string, TagEntity[]>;
  audience: DataLoader<string, string[]>;
  /** Comment and adoption counts of a practice, both in one statement for a page. */
  counts: DataLoader<string, { comments: number; adoptions: number }>;
  commentCount: DataLoader<string, number>;
  adoptionCount: DataLoader<string, number>;
  replyCount: DataLoader<string, number>;
  /** First pages of comments: key from {@link commentPageKey}. */
  commentPage: DataLoader<string, CommentEntity[]>;
}

/** Top-level comments of a practice (`practice`) or replies to a comment (`parent`), first page of `first`. */
export function commentPageKey(of: 'practice' | 'parent', id: string, first: number): string {
  return `${of}|${id}|${first}`;
}

/**
 * Per-request loaders for practices and what hangs off them, so a page's SQL does not grow with its size. Counts
 * and child rows are only asked for practices the viewer already loaded through the read rule, and each count
 * applies the rule again.
 */
@Injectable()
export class PracticeLoaders {
  constructor(
    private readonly practices: PracticeRepository,
    private readonly comments: CommentRepository,
    private readonly adoptions: AdoptionRepository,
    private readonly tags: TagRepository,
  ) {}

  for(context: RequestContext): PracticeLoaderGroup {
    const viewer = context.actor.viewer;
    return loadersOf(context, PracticeLoaders, () => {
      const counts = new DataLoader<string, { comments: number; adoptions: number }>(async (ids) => {
        const found = await this.practices.countsVisible(viewer, ids);
        return ids.map((id) => found.get(id) ?? { comments: 0, adoptions: 0 });
      });
      return {
        practice: new DataLoader(async (ids) => byIds(ids, await this.practices.findVisibleByIds(viewer, ids))),
        comment: new DataLoader(async (ids) => byIds(ids, await this.comments.findVisibleByIds(viewer, ids))),
        adoption: new DataLoader(async (ids) => byIds(ids, await this.adoptions.findVisibleByIds(viewer, ids))),
        tags: new DataLoader(async (ids) =>
          groupsByIds(
            ids,
            groupBy(
              await this.tags.ofPractices(ids),
              (r) => r.practiceId,
              (r) => r.tag,
            ),
          ),
        ),
        audience: new DataLoader(async (ids) =>
          groupsByIds(
            ids,
            groupBy(
              await this.practices.audienceOf(ids),
              (r) => r.practiceId,
              (r) => r.organisationId,
            ),
          ),
        ),
        counts,
        commentCount: new DataLoader(async (ids) => (await counts.loadMany(ids)).map((c) => (c instanceof Error ? c : c.comments))),
        adoptionCount: new DataLoader(async (ids) => (await counts.loadMany(ids)).map((c) => (c instanceof Error ? c : c.adoptions))),
        commentPage: new DataLoader(async (keys) => {
          const groups = new Map<string, { of: 'practice' | 'parent'; first: number; ids: string[] }>();
          for (const key of keys) {
            const [of, id, first] = key.split('|') as ['practice' | 'parent', string, string];
            const group = groups.get(`${of}|${first}`) ?? { of, first: Number(first), ids: [] };
            group.ids.push(id);
            groups.set(`${of}|${first}`, group);
          }
          const pages = new Map<string, CommentEntity[]>();
          for (const { of, first, ids } of groups.values()) {
            const rows = await this.comments.firstPagesVisible(viewer, of, ids, first);
            for (const [key, page] of groupBy(rows, (row) => commentPageKey(of, of === 'practice' ? row.practiceId : row.parentId!, first)))
              pages.set(key, page);
          }
          return keys.map((key) => pages.get(key) ?? []);
        }),
        replyCount: new DataLoader(async (ids) => {
          const counts = await this.comments.countReplies(viewer, ids);
          return ids.map((id) => counts.get(id) ?? 0);
        }),
      };
    });
  }
}
