/** Counts, for each key, the items that carry it (an item counts once per distinct key). */
export function countBy<T>(items: Iterable<T>, keysOf: (item: T) => Iterable<string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) {
    for (const key of new Set(keysOf(item))) counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
