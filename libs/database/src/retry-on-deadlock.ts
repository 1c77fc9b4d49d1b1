/** PostgreSQL's SQLSTATE for the transaction it aborted to break a deadlock. */
const DEADLOCK_DETECTED = '40P01';

/**
 * Runs `work`, and again when PostgreSQL aborted it to break a deadlock (SQLSTATE 40P01): the other side has gone
 * through by then, so another try normally succeeds. At most `attempts` tries, a short random pause between them; any
 * other error, or the last deadlock, is thrown. Only for work that is safe to repeat (the aborted attempt was rolled
 * back). pg-boss 10's `createQueue` needs it: two processes creating queues at the same moment deadlock on its queue
 * table, as N workers starting together on a new database (or after a release that adds a job) do.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || (error as { code?: unknown } | null)?.code !== DEADLOCK_DETECTED) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
    }
  }
}
