// Integration (embedded store): where every duty stands is folded once per process and brought up
// to date from where it stopped; it must equal a fold of the whole log after every append, also
// when several commands ask at once.
import t from 'tap'
import { dutyListStreamId, type DutyListEvent } from '@coord/events/responsibility'
import { openEmbeddedStore, uuidv7, type EventStore, type JsonValue } from '@coord/eventstore'
import { dutyListDecider } from '../../src/domain.ts'
import type { DutyList } from '../../src/duties/duty-list.ts'
import { allDutyLists } from '../../src/edge/facts.ts'
import { now, planner, published } from '../domain/fixtures.ts'

const metadata = () => ({ actor: planner, correlationId: uuidv7(), causationId: null, occurredAt: now })

async function append(store: EventStore, streamId: string, events: DutyListEvent[]) {
  await store.appendToStream(
    streamId,
    events.map((event) => ({
      id: uuidv7(),
      type: event.type,
      data: event.data as unknown as JsonValue,
      metadata: metadata(),
    })),
  )
}

/** The lists folded from the whole log by a reader of its own. */
async function foldedFromScratch(store: EventStore): Promise<Map<string, DutyList>> {
  const lists = new Map<string, DutyList>()
  for await (const event of store.readAll({ filter: { streamPrefix: 'duties-' } })) {
    const state = lists.get(event.streamId) ?? dutyListDecider.initialState
    lists.set(event.streamId, dutyListDecider.evolve(state, event as unknown as DutyListEvent))
  }
  return lists
}

const added = (n: number): DutyListEvent => ({
  type: 'DutyAdded',
  data: {
    dutyId: `IP-X-${n}`,
    title: `新增职责${n}`,
    category: '其他',
    legalBasis: '《专利法》',
    effectiveDate: '2018-01-01',
    reason: '补充',
  },
})

t.test('the kept fold of every duty list equals a fold of the whole log after each append', async (t) => {
  const store = await openEmbeddedStore()
  t.teardown(() => store.close())
  const ipPower = dutyListStreamId('ip-office', 'power')
  t.same(await allDutyLists(store), new Map(), 'no lists in an empty log')

  await append(store, ipPower, published)
  await store.appendToStream('task-p/1', [
    { id: uuidv7(), type: 'TaskPublished', data: {}, metadata: metadata() },
  ])
  t.same(await allDutyLists(store), await foldedFromScratch(store), 'after the publication')

  await append(store, ipPower, [added(1), added(2)])
  const after = await allDutyLists(store)
  t.same(after, await foldedFromScratch(store), 'after two more duties')
  const list = after.get(ipPower)
  t.equal(list?.status === 'open' ? list.duties['IP-X-1']?.length : 0, 1, 'each duty change folded once')

  // Ten appends while ten commands ask at once: the catch-ups take turns.
  await Promise.all([
    ...Array.from({ length: 10 }, (_, i) => append(store, ipPower, [added(10 + i)])),
    ...Array.from({ length: 10 }, () => allDutyLists(store)),
  ])
  t.same(await allDutyLists(store), await foldedFromScratch(store), 'after concurrent appends and reads')
})
