import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { AppConfig } from '#config';
import { cookieValue, SESSION_COOKIE, type AuthenticatedRequest, type RequestContext } from '#identity';
import type { NextFunction, Response } from 'express';
import { Kind } from 'graphql';

/**
 * Root fields whose anonymous answer is the same for every anonymous caller: lists read under the anonymous viewer's
 * rule, which returns published TLP_CLEAR practices only. An operation with any other root field is never cached.
 */
const PUBLIC_LIST_FIELDS = new Set(['practices', 'tags', '__typename']);

/** At most this many answers, and this many bytes of them, are kept; the oldest go first. */
const MAX_ENTRIES = 500;
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_ENTRY_BYTES = 512 * 1024;

interface Entry {
  body: string;
  contentType: string;
  generation: number;
  expiresAt: number;
}

/** What the middleware and the Apollo plugin tell each other about one request. */
interface CacheNote {
  key: string | null;
  generation: number;
  /** Set by the plugin: an anonymous query of public lists only, answered without errors. */
  cacheable: boolean;
  /** Set by the plugin: the operation was a mutation, so this process's cached answers may be out of date. */
  wrote: boolean;
}

type CachedRequest = AuthenticatedRequest & { publicCache?: CacheNote };

/**
 * Answers to anonymous public list queries, kept a few seconds (PUBLIC_CACHE_SECONDS) in this process. Only a caller
 * with no Authorization header and no session cookie is served from it or adds to it; only successful queries of
 * {@link PUBLIC_LIST_FIELDS} are kept, keyed by their query text, variables, operation name and Accept header. Any
 * write this process handles (a mutation, a web form) empties it: an answer that was being computed while the write
 * happened is not kept. Writes by other processes show within the time set.
 */
@Injectable()
export class PublicResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = 0;
  readonly ttlMs: number;

  constructor(config: AppConfig) {
    this.ttlMs = config.publicCacheSeconds * 1000;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get currentGeneration(): number {
    return this.generation;
  }

  get(key: string, now = Date.now()): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== this.generation || entry.expiresAt <= now) {
      this.delete(key, entry);
      return undefined;
    }
    return entry;
  }

  /** Keeps an answer computed since `generation`, unless a write happened meanwhile. */
  set(key: string, body: string, contentType: string, generation: number, now = Date.now()): void {
    if (generation !== this.generation || body.length > MAX_ENTRY_BYTES) return;
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    while (this.entries.size >= MAX_ENTRIES || (this.bytes + body.length > MAX_BYTES && this.entries.size)) {
      const [oldestKey, oldest] = this.entries.entries().next().value!;
      this.delete(oldestKey, oldest);
    }
    this.entries.set(key, { body, contentType, generation, expiresAt: now + this.ttlMs });
    this.bytes += body.length;
  }

  /** Something was written: nothing kept so far may be served again. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.bytes = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.body.length;
  }
}

/** The cache key of an anonymous GraphQL POST, or null when the request must not be served from the cache. */
function anonymousKey(req: CachedRequest): string | null {
  if (req.method !== 'POST' || req.header('authorization') !== undefined || cookieValue(req, SESSION_COOKIE) !== undefined) return null;
  if (req.authError || req.actor?.memberId) return null;
  if (!/^application\/json\b/i.test(req.header('content-type') ?? '')) return null;
  const body = req.body as { query?: unknown; variables?: unknown; operationName?: unknown; extensions?: unknown } | undefined;
  if (!body || typeof body.query !== 'string' || body.extensions !== undefined) return null;
  return JSON.stringify([body.query, body.variables ?? null, body.operationName ?? null, req.header('accept') ?? '']);
}

/**
 * Serves anonymous public list queries from {@link PublicResponseCache}, keeps new answers the plugin marked
 * cacheable, and empties the cache after any write. Runs after authentication and rate limits, so a cached answer
 * still counts against the caller's limit.
 */
@Injectable()
export class PublicResponseCacheMiddleware implements NestMiddleware {
  constructor(private readonly cache: PublicResponseCache) {}

  use(req: CachedRequest, res: Response, next: NextFunction): void {
    if (!this.cache.enabled) return next();
    // Nest mounts middleware per route, so `req.path` is relative to it; the original URL is the whole path.
    const graphql = req.originalUrl.split('?')[0] === '/graphql';
    if (!graphql) {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') res.on('finish', () => this.cache.invalidate());
      return next();
    }
    const key = anonymousKey(req);
    if (key) {
      const hit = this.cache.get(key);
      if (hit) {
        res.status(200).setHeader('content-type', hit.contentType);
        res.send(hit.body);
        return;
      }
    }
    const note: CacheNote = { key, generation: this.cache.currentGeneration, cacheable: false, wrote: false };
    req.publicCache = note;
    if (key) {
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        const contentType = res.getHeader('content-type');
        if (note.cacheable && res.statusCode === 200 && typeof body === 'string' && typeof contentType === 'string') {
          this.cache.set(key, body, contentType, note.generation);
        }
        return send(body);
      };
    }
    res.on('finish', () => {
      if (note.wrote) this.cache.invalidate();
    });
    next();
  }
}

/**
 * Tells the cache middleware what Apollo learned: whether an operation was a mutation (the cache is emptied once it is
 * answered) and whether an anonymous query touched public lists only and succeeded (its answer may be kept).
 */
export function publicResponseCachePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart(): Promise<GraphQLRequestListener<RequestContext>> {
      return {
        async didResolveOperation({ operation, contextValue }) {
          const note = (contextValue.req as CachedRequest).publicCache;
          if (!note || !operation) return;
          if (operation.operation === 'mutation') {
            note.wrote = true;
            return;
          }
          note.cacheable =
            note.key !== null &&
            operation.operation === 'query' &&
            !contextValue.actor.memberId &&
            operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && PUBLIC_LIST_FIELDS.has(s.name.value));
        },
        async willSendResponse({ contextValue, errors, response }) {
          const note = (contextValue.req as CachedRequest | undefined)?.publicCache;
          if (!note) return;
          const failed = errors?.length || (response.body.kind === 'single' ? response.body.singleResult.errors?.length : true);
          if (failed) note.cacheable = false;
        },
      };
    },
  };
}
