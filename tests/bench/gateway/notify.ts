import pg from 'pg'
import { milliseconds } from './measure.ts'

/**
 * The limit of command-to-view lag: a PostgreSQL notification's round trip, the fastest way one
 * process can learn of another's commit. One connection listens, another sends `pg_notify`; each
 * sample is the time from sending to receiving, taken `count` times at `perSecond`.
 */
export async function notifyRoundTrips(
  connectionString: string,
  perSecond: number,
  count: number,
): Promise<number[]> {
  const listener = new pg.Client({ connectionString })
  const sender = new pg.Client({ connectionString })
  await listener.connect()
  await sender.connect()
  try {
    await listener.query('listen coord_bench_round_trip')
    const samples: number[] = []
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint()
      const received = new Promise<void>((resolve) => listener.once('notification', () => resolve()))
      await sender.query(`select pg_notify('coord_bench_round_trip', $1)`, [String(i)])
      await received
      samples.push(milliseconds(started))
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 / perSecond - samples.at(-1)!)))
    }
    return samples
  } finally {
    await listener.end()
    await sender.end()
  }
}
