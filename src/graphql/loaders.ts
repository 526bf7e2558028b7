import DataLoader from "dataloader";

// Bounds the `= ANY($1)` array of one batch.
export const MAX_BATCH_SIZE = 500;

/** A loader of one row per key from one `WHERE key = ANY($1)` query; missing or foreign keys give null. */
export function rowLoader<K extends string, V>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const byKey = new Map((await load(keys)).map((row) => [keyOf(row), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

/** A loader of all rows per key (a to-many relation) from one `WHERE key = ANY($1)` query. */
export function groupLoader<K extends string, V>(
  load: (keys: readonly K[]) => Promise<V[]>,
  keyOf: (row: V) => K,
): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const groups = new Map<K, V[]>(keys.map((key) => [key, []]));
      for (const row of await load(keys)) groups.get(keyOf(row))?.push(row);
      return keys.map((key) => groups.get(key)!);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}
