/**
 * Runs `work` on every item, `lanes` at a time, each lane taking the next item when it is free;
 * resolves with the results in the items' order. On a PostgreSQL pool each lane is a connection of
 * its own, so the statements of a large job (a replay's indexes, a digest) use more than one of the
 * server's cores; on PGlite they take turns. When one fails, the others still running are waited
 * for (nothing is left running on the connection after this returns) and the first failure thrown.
 */
export async function inLanes<T, R>(
  items: readonly T[],
  lanes: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++
      try {
        results[index] = await work(items[index] as T)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane))
  if (failure) throw failure.error
  return results
}
