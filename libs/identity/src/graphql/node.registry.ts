import { Injectable } from '@nestjs/common';
import type { RequestContext } from './request-context.js';
import { parseGlobalId } from './global-id.js';

/** Loads objects of one type by row id, applying that type's read rule for the request's actor. */
export type NodeFetcher = (id: string, context: RequestContext) => Promise<object | null>;

/**
 * Where each library registers how to load its node types, so `node(id:)` answers every type with the same read
 * rule as that type's own queries.
 */
@Injectable()
export class NodeRegistry {
  private readonly fetchers = new Map<string, NodeFetcher>();

  register(type: string, fetcher: NodeFetcher): void {
    this.fetchers.set(type, fetcher);
  }

  get types(): string[] {
    return [...this.fetchers.keys()].sort();
  }

  /** The object, or null when the ID is unknown, malformed or not visible to the caller. */
  async resolve(globalId: string, context: RequestContext): Promise<object | null> {
    const parsed = parseGlobalId(globalId);
    const fetcher = parsed && this.fetchers.get(parsed.type);
    return fetcher ? fetcher(parsed.id, context) : null;
  }
}
