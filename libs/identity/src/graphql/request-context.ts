import type { Request } from 'express';
import type { Actor } from '../auth/actor.js';

/** The GraphQL context: built once per request; `loaders` holds that request's DataLoaders, made on first use. */
export interface RequestContext {
  req: Request;
  actor: Actor;
  loaders: Map<unknown, unknown>;
}

/** The loader group `key` of this request, created by `create` the first time it is asked for. */
export function loadersOf<T>(context: RequestContext, key: unknown, create: () => T): T {
  let group = context.loaders.get(key) as T | undefined;
  if (!group) {
    group = create();
    context.loaders.set(key, group);
  }
  return group;
}
