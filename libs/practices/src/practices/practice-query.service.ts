import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, type Viewer } from '#identity';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { tagSlug } from '../tags/tag-slug.js';
import { PracticeStatus } from '../visibility/visibility.enum.js';
import type { PracticeFilter } from './dto/practices.args.js';
import { toPractice, type PracticeConnection } from './practice.object.js';
import { PracticeOrder, PracticeRepository } from './practice.repository.js';
import { renderSnippet } from './snippet.js';

/** Lists and searches practices for a viewer: filter normalisation, keyset cursors and safe snippets. */
@Injectable()
export class PracticeQueryService {
  constructor(private readonly practices: PracticeRepository) {}

  async list(viewer: Viewer, filter: PracticeFilter | undefined, orderBy: PracticeOrder | undefined, first: number, after?: string | null, organisationId?: string): Promise<PracticeConnection> {
    const query = filter?.query?.trim() || undefined;
    const order = orderBy ?? (query ? PracticeOrder.RELEVANCE : PracticeOrder.NEWEST);
    if (order === PracticeOrder.RELEVANCE && !query) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'orderBy: RELEVANCE needs filter.query', 'orderBy');
    }
    const unusable = filter?.tags?.find((t) => tagSlug(t) === '');
    if (unusable !== undefined) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, `filter.tags: "${unusable}" has no letters or digits`, 'tags');
    }
    const cursor = after ? decodeCursor(after, [order === PracticeOrder.RELEVANCE ? 'number' : 'timestamp', 'uuid']) : undefined;
    const rows = await this.practices.listVisible(
      viewer,
      {
        query,
        tagSlugs: filter?.tags?.map(tagSlug).filter(Boolean),
        organisationSlugs: filter?.organisationSlugs?.map((s) => s.trim().toLowerCase()),
        organisationKinds: filter?.organisationKinds,
        countries: filter?.countries?.map((c) => c.toUpperCase()),
        status: filter?.status ?? PracticeStatus.PUBLISHED,
        publishedAfter: filter?.publishedAfter,
        organisationId,
      },
      order,
      first,
      cursor,
    );
    const page = rows.slice(0, first);
    const edges = page.map((row) => ({
      cursor: encodeCursor(row.key),
      node: toPractice(row.practice),
      snippet: row.rawSnippet === null ? null : renderSnippet(row.rawSnippet),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: cursor !== undefined,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}
