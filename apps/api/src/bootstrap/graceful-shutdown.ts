import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

let draining = false;

/**
 * True once the process has been asked to stop: it finishes what it accepted and takes nothing new. A readiness check
 * fails while this is true, so a load balancer stops sending here before the listening socket closes.
 */
export function isDraining(): boolean {
  return draining;
}

/** Tells each client whose request arrives during the drain (on a kept-alive connection) to reconnect elsewhere. */
export function closeConnectionsWhileDraining(_req: Request, res: Response, next: NextFunction): void {
  if (draining) res.setHeader('connection', 'close');
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
