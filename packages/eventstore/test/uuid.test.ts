// Unit: the UUIDv7 ids writers give their events (RFC 9562).
import t from 'tap'
import { uuidv7 } from '../src/index.ts'

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const millisOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16)

// First, before bursts of ids may have carried the counter into later milliseconds.
t.test('the first 48 bits hold the Unix time in milliseconds', async (t) => {
  const before = Date.now()
  const id = uuidv7()
  const after = Date.now()
  // A burst of ids in one millisecond may carry into the next; allow that much ahead.
  t.ok(millisOf(id) >= before && millisOf(id) <= after + 1, `${millisOf(id)} within [${before}, ${after}]`)
})

t.test('an id is a lowercase UUID with version 7 and the RFC 9562 variant', async (t) => {
  const bad = Array.from({ length: 10_000 }, () => uuidv7()).filter((id) => !FORMAT.test(id))
  t.same(bad, [])
  const id = uuidv7()
  t.equal(id.length, 36)
  t.equal(id[14], '7', 'version nibble 7')
  t.equal(parseInt(id[19] ?? '0', 16) >> 2, 0b10, 'variant bits 10')
})

t.test('100,000 ids are all different', async (t) => {
  const ids = new Set(Array.from({ length: 100_000 }, () => uuidv7()))
  t.equal(ids.size, 100_000)
})

t.test('ids made in sequence sort in the order they were made, also within one millisecond', async (t) => {
  const ids = Array.from({ length: 50_000 }, () => uuidv7())
  const outOfOrder = ids.filter((id, i) => i > 0 && id <= (ids[i - 1] ?? ''))
  t.same(outOfOrder, [], 'each id sorts after the one before')
  const perMs = new Map<number, number>()
  for (const id of ids) perMs.set(millisOf(id), (perMs.get(millisOf(id)) ?? 0) + 1)
  t.ok(
    [...perMs.values()].some((count) => count > 1),
    'some ids shared a millisecond, so the check covered that case',
  )
})

t.test('more ids in one millisecond than the 12-bit counter holds still sort in order', async (t) => {
  const now = Date.now() + 5
  const ids = Array.from({ length: 10_000 }, () => uuidv7(now))
  t.same(
    ids.filter((id, i) => i > 0 && id <= (ids[i - 1] ?? '')),
    [],
  )
  t.ok(ids.every((id) => FORMAT.test(id)))
})

t.test('a clock that steps back does not break the order', async (t) => {
  const first = uuidv7()
  const later = uuidv7(Date.now() - 60_000)
  t.ok(later > first, 'an id made after sorts after, even with an earlier clock reading')
})
