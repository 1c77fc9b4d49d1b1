import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

let draining = false;

/** Answers not yet sent; told at the drain's start to close their connection. */
const inFlight = new Set<Response>();

/**
 * Tells each client answered during the drain to reconnect elsewhere rather than reuse its connection, which is about
 * to close: requests in flight when it starts, and any that arrives on a kept-alive connection after.
 */
export function closeConnectionsWhileDraining(_req: Request, res: Response, next: NextFunction): void {
  if (draining) {
    res.setHeader('connection', 'close');
  } else {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  }
  next();
}

/** How often idle kept-alive connections are closed during a drain (a busy one becomes idle when its answer is sent). */
const IDLE_SWEEP_MS = 100;

/**
 * Stops accepting connections and waits for the requests in flight to be answered, closing each kept-alive connection
 * once it is idle; after `graceSeconds`, closes whatever is still open.
 * @returns whether every request was answered (`drained`) or some were cut off (`forced`).
 */
export async function drainHttpServer(server: Server, graceSeconds: number): Promise<'drained' | 'forced'> {
  draining = true;
  for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  inFlight.clear();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceSeconds * 1000)));
  try {
    if ((await Promise.race([closed, late])) !== 'late') return 'drained';
    server.closeAllConnections();
    await closed;
    return 'forced';
  } finally {
    clearInterval(sweep);
    clearTimeout(timer);
  }
}
