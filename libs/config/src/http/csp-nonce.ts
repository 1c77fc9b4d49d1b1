import { randomBytes } from 'node:crypto';

/** The part of an HTTP response a nonce travels in (Express's `res.locals`). */
interface WithLocals {
  locals: Record<string, unknown>;
}

/** Gives a response a fresh Content-Security-Policy nonce; the security headers do it before any route runs. */
export function assignCspNonce(res: WithLocals): string {
  const nonce = randomBytes(16).toString('base64');
  res.locals.cspNonce = nonce;
  return nonce;
}

/**
 * The nonce this response's Content-Security-Policy admits: an HTML page's inline `<style>` and `<script>` elements
 * carry it as `nonce="…"`, or the browser ignores them.
 */
export function cspNonce(res: WithLocals): string {
  return typeof res.locals.cspNonce === 'string' ? res.locals.cspNonce : '';
}
