import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

export const ATOM_CONTENT_TYPE = 'application/atom+xml; charset=utf-8';

/** A strong validator: the SHA-256 of the exact bytes, so equal documents share it across API processes. */
export function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body, 'utf8').digest('base64url')}"`;
}

function opaqueTag(tag: string): string {
  return tag.trim().replace(/^W\//, '');
}

/**
 * Whether the client's copy is current (RFC 9110 §13.2.2): `If-None-Match` when it is sent (weak comparison, `*`
 * matches), and only otherwise `If-Modified-Since`, compared at the one-second resolution of HTTP dates. An
 * unparseable date is ignored.
 */
export function isNotModified(req: Pick<Request, 'headers'>, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const tags = ifNoneMatch.split(',').map(opaqueTag);
    return tags.includes('*') || tags.includes(opaqueTag(etag));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
}

/**
 * Sends a rendered feed with its validators, or a bodiless 304 when the client's copy is current. The validators
 * and caching headers go out on the 304 too, as RFC 9110 §15.4.5 asks.
 */
export function sendFeed(req: Request, res: Response, body: string, lastModified: Date, cacheControl: string): void {
  const etag = strongEtag(body);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', lastModified.toUTCString());
  res.setHeader('Cache-Control', cacheControl);
  if (isNotModified(req, etag, lastModified)) {
    res.status(304).end();
    return;
  }
  res.status(200);
  res.setHeader('Content-Type', ATOM_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
  res.end(body);
}
