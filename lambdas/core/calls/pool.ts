// The one bounded-concurrency helper: the sync's pushes, its receipt writes and the DynamoDB adapters' batched
// writes all run through it.

/**
 * Runs `fn` over `items` in order with at most `limit` in flight. No item starts after a failure, or once
 * `canStart` (asked before each item) has said no; the items in flight settle, then the first failure is
 * rethrown. Answers how many items were started, so a caller knows which ones never were.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  canStart: () => boolean = () => true,
): Promise<number> {
  let next = 0;
  let stopped = false;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!stopped && next < items.length) {
      if (!canStart()) {
        stopped = true;
        break;
      }
      const index = next++;
      try {
        await fn(items[index] as T, index);
      } catch (error) {
        stopped = true;
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
  return next;
}
