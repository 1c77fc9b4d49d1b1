import { Injectable } from '@nestjs/common';
import { accessAllows, type AccessRule } from '../auth/auth.decorators.js';
import type { RequestContext } from './request-context.js';
import { parseGlobalId } from './global-id.js';

/** Loads objects of one type by row id, applying that type's read rule for the request's actor. */
export type NodeFetcher = (id: string, context: RequestContext) => Promise<object | null>;

interface NodeType {
  fetcher: NodeFetcher;
  access: AccessRule;
}

/**
 * Where each library registers how to load its node types, so `node(id:)` answers every type with the same read
 * rule as that type's own queries: each type names the access rule of the query that lists it (see
 * `accessRuleOf`), and a caller that rule refuses (a token without the scope that query needs) gets null.
 */
@Injectable()
export class NodeRegistry {
  private readonly registered = new Map<string, NodeType>();

  register(type: string, fetcher: NodeFetcher, access: AccessRule): void {
    this.registered.set(type, { fetcher, access });
  }

  get types(): string[] {
    return [...this.registered.keys()].sort();
  }

  /** Each type with the access rule it checks, for the endpoint-permission snapshot. */
  get accessRules(): Map<string, AccessRule> {
    return new Map([...this.registered].map(([type, { access }]) => [type, access]));
  }

  /** The object, or null when the ID is unknown, malformed or not visible to the caller. */
  async resolve(globalId: string, context: RequestContext): Promise<object | null> {
    const parsed = parseGlobalId(globalId);
    const type = parsed && this.registered.get(parsed.type);
    if (!parsed || !type || !accessAllows(type.access, context.actor)) return null;
    return type.fetcher(parsed.id, context);
  }
}
