/**
 * Decides when a credential's "last used" time is written: at most once a minute per token or session. The time read
 * with the credential says whether it is stale (so several processes write it once a minute between them, their
 * UPDATE's own condition settling races); within a process, requests that read the same stale time at once write it
 * only once. Bounded: past `maxEntries` ids the memory starts afresh, which costs at most one more write each.
 */
export class UseThrottle {
  private readonly recent = new Map<string, number>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  due(id: string, lastUsed: Date | null, now: Date): boolean {
    const at = now.getTime();
    if (lastUsed && at - lastUsed.getTime() < this.intervalMs) return false;
    const mine = this.recent.get(id);
    if (mine !== undefined && at >= mine && at - mine < this.intervalMs) return false;
    if (this.recent.size >= this.maxEntries) this.recent.clear();
    this.recent.set(id, at);
    return true;
  }
}
