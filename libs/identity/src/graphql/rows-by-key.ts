/** Rows in the order of `ids`, null where a row was not found (or not visible): what a DataLoader batch returns. */
export function byIds<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

/** Rows grouped by `keyOf`, as `valueOf` of each, every group in the rows' order; one pass over the rows. */
export function groupBy<T, K, V = T>(rows: Iterable<T>, keyOf: (row: T) => K, valueOf: (row: T) => V = (row) => row as unknown as V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(valueOf(row));
    else groups.set(key, [valueOf(row)]);
  }
  return groups;
}

/** Groups in the order of `ids`, empty where an id has none: what a DataLoader batch of lists returns. */
export function groupsByIds<V>(ids: readonly string[], groups: ReadonlyMap<string, V[]>): V[][] {
  return ids.map((id) => groups.get(id) ?? []);
}
