import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, type Viewer } from '#identity';
import { PracticeError, PracticeErrorCode } from '../practices.errors.js';
import { PracticeStatus } from '../visibility/visibility.enum.js';
import type { PracticeFilter } from './dto/practices.args.js';
import { normalisePracticeFilter } from './practice-filter.normalise.js';
import { toPractice, type PracticeConnection } from './practice.object.js';
import { PracticeOrder, PracticeRepository } from './practice.repository.js';
import { renderSnippet } from './snippet.js';

/** Lists and searches practices for a viewer: filter normalisation, keyset cursors and safe snippets. */
@Injectable()
export class PracticeQueryService {
  constructor(private readonly practices: PracticeRepository) {}

  async list(
    viewer: Viewer,
    filter: PracticeFilter | undefined,
    orderBy: PracticeOrder | undefined,
    first: number,
    after?: string | null,
    organisationId?: string,
  ): Promise<PracticeConnection> {
    const normalised = normalisePracticeFilter(filter);
    const query = normalised.query;
    const order = orderBy ?? (query ? PracticeOrder.RELEVANCE : PracticeOrder.NEWEST);
    if (order === PracticeOrder.RELEVANCE && !query) {
      throw new PracticeError(PracticeErrorCode.INVALID_INPUT, 'orderBy: RELEVANCE needs filter.query', 'orderBy');
    }
    const cursor = after ? decodeCursor(after, [order === PracticeOrder.RELEVANCE ? 'number' : 'timestamp', 'uuid']) : undefined;
    const rows = await this.practices.listVisible(
      viewer,
      {
        ...normalised,
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
