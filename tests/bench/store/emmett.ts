import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql'
import { throughput } from '../report.ts'
import { benchEvent, streamFor } from './events.ts'

/** The peer: Emmett's PostgreSQL event store appending the same events at the same concurrency. */
export async function emmettAppends(url: string, total: number, concurrency: number): Promise<number> {
  const store = getPostgreSQLEventStore(url)
  const toEmmett = (i: number) => {
    const e = benchEvent(i)
    return {
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata: e.metadata as Record<string, unknown>,
    }
  }
  try {
    await store.appendToStream('emmett-warmup', [toEmmett(0)]) // creates its schema
    return await throughput(total, concurrency, async (i) => {
      await store.appendToStream(`emmett-${streamFor(i, concurrency)}-${concurrency}`, [toEmmett(i)])
    })
  } finally {
    await store.close()
  }
}
