// Grouping rows by a composite key, for the benchmark tables and figures.

/** The items grouped by `key` (its parts joined), groups in first-seen order. */
export function groupBy<T>(items: Iterable<T>, key: (item: T) => readonly unknown[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item).join("|");
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}
