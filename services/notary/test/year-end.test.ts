import pg from 'pg'
import t from 'tap'
import { MerkleTree, leafBytes, toHex } from '@coord/audit'
import { appendEvents, setup } from './helpers.ts'
import { cstYear, yearEndInstant } from '../src/index.ts'

// Year ends are China Standard Time. The store stamps recordedAt itself (never decreasing), so the
// test moves the store's clock forward in its position row to record events around 2030's end.

async function recordFrom(connectionString: string, schema: string, iso: string): Promise<void> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query(`update "${schema}".es_position set recorded_at = $1 where id = 1`, [iso])
  } finally {
    await client.end()
  }
}

t.test('2030 ends at 2030-12-31T16:00Z', async (t) => {
  t.equal(new Date(yearEndInstant(2030)).toISOString(), '2030-12-31T16:00:00.000Z')
  t.equal(cstYear('2030-12-31T15:59:59.999Z'), 2030)
  t.equal(cstYear('2030-12-31T16:00:00.000Z'), 2031)
})

t.test(
  'the first head covering exactly the events recorded up to a year end is signed and kept',
  async (t) => {
    const { store, notary: make, postgres } = await setup(t, 'postgres')
    const { connectionString, schema } = postgres as { connectionString: string; schema: string }
    const notary = make({ batchSize: 3 })
    await notary.start()
    await appendEvents(store, 4)
    await recordFrom(connectionString, schema, '2030-12-31T15:59:58.000Z')
    await appendEvents(store, 5, 4)
    await recordFrom(connectionString, schema, '2030-12-31T16:00:00.000Z')
    await appendEvents(store, 3, 9)
    await notary.waitFor(12)
    const events = []
    for await (const event of store.readAll()) events.push(event)
    t.equal(events[8]?.metadata.recordedAt.slice(0, 4), '2030')
    t.equal(events[9]?.metadata.recordedAt, '2030-12-31T16:00:00.000Z')
    const tree = new MerkleTree()
    for (const event of events) tree.append(leafBytes(event))

    const yearEnds = (await notary.treeHeads()).filter((h) => h.reason === 'year-end')
    const thisYear = cstYear(events[0]?.metadata.recordedAt as string)
    const expectedYears = Array.from({ length: 2030 - thisYear + 1 }, (_, i) => thisYear + i)
    t.same(
      yearEnds.map((h) => h.yearEnd),
      expectedYears,
      'one head for each year that ended, the empty years between included',
    )
    const last = yearEnds.at(-1)
    t.match(
      last,
      { yearEnd: 2030, treeSize: 9, rootHash: toHex(tree.root(9)) },
      '2030 covers exactly nine events',
    )
    t.equal(yearEnds[0]?.treeSize, 4, `${thisYear} covers the four events recorded in it`)
  },
)

t.test('with no event after a year end, the head is signed once the grace period passed', async (t) => {
  const { store, notary: make } = await setup(t, 'embedded')
  await appendEvents(store, 3)
  let now = new Date()
  const notary = make({ now: () => now, yearEndGraceMs: 60_000 })
  await notary.start()
  await notary.waitFor(3)
  const year = cstYear(now.getTime())
  t.same(await notary.signDueYearEnds(), [], 'nothing is due before the year ends')
  now = new Date(yearEndInstant(year) + 30_000)
  t.same(await notary.signDueYearEnds(), [], 'nor within the grace period')
  now = new Date(yearEndInstant(year) + 61_000)
  const [head] = await notary.signDueYearEnds()
  t.match(head, { yearEnd: year, treeSize: 3, reason: 'year-end' })
  t.same(await notary.signDueYearEnds(), [], 'each year gets one year-end head')
})
