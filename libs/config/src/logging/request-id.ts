import { randomUUID } from 'node:crypto';
import { currentRequestId } from './logger.js';

/** An incoming X-Request-Id is kept only when it is short and made of characters no log or page needs to escape. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The id of a request: the caller's X-Request-Id when sane, otherwise a new one. */
export function requestIdFrom(header: unknown): string {
  return typeof header === 'string' && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The id of this request (set by the request logger), or of the context in force when there is no request at hand. */
export function requestIdOf(req?: { id?: unknown }): string | undefined {
  return typeof req?.id === 'string' ? req.id : currentRequestId();
}

/** Job data that remembers the request (or the job) which sent it, so the job's lines carry the same request id. */
export function withRequestId<T extends object>(data: T): T & { requestId?: string } {
  const requestId = currentRequestId();
  return requestId ? { ...data, requestId } : data;
}

/** The request id a job was sent with, if it carries a sane one. */
export function requestIdOfJob(data: unknown): string | undefined {
  const id = typeof data === 'object' && data !== null ? (data as { requestId?: unknown }).requestId : undefined;
  return typeof id === 'string' && SANE_REQUEST_ID.test(id) ? id : undefined;
}
