import { deepStrictEqual } from 'node:assert/strict'
import type { JsonValue, RecordedEvent } from '@coord/eventstore'
import fc from 'fast-check'
import t from 'tap'
import { fromMessage, toMessage } from '../src/index.ts'
import { dataArbitraries, envelopes } from './fixtures/arbitraries.ts'
import { mappedTypes, sampleEvent, streamOf, type MappedType } from './fixtures/samples.ts'

function roundTrip(event: RecordedEvent): RecordedEvent {
  const mapped = toMessage(event)
  if (mapped === null) throw new Error(`${event.type} was not mapped`)
  return fromMessage(event.type, mapped.bytes)
}

t.test('every event type bureaus receive comes back from its bytes as it was recorded', async (t) => {
  for (const type of mappedTypes) {
    const event = sampleEvent(type)
    const mapped = toMessage(event)
    t.equal(mapped?.dataschema, `coord.v1.${type}`, `${type} travels as coord.v1.${type}`)
    t.equal(mapped?.schema.typeName, `coord.v1.${type}`, `${type} has its own message`)
    t.strictSame(roundTrip(event), event, `${type} round-trips`)
  }
})

t.test('any data and envelope of every mapped type survive the round trip (property)', async (t) => {
  for (const type of mappedTypes) {
    const data = dataArbitraries[type] as fc.Arbitrary<unknown>
    fc.assert(
      fc.property(envelopes, data, (envelope, data) => {
        const event = { ...envelope, streamId: streamOf(type), type, data: data as JsonValue }
        deepStrictEqual(roundTrip(event), event)
      }),
      { numRuns: 150 },
    )
    t.pass(`${type}: 150 generated events round-trip`)
  }
})

t.test('a message decodes with the generated classes alone: field 1 is the envelope', async (t) => {
  const mapped = toMessage(sampleEvent('TaskAssigned'))
  const message = mapped?.message as
    { meta?: { eventId: string; type: string; revision: bigint } } | undefined
  t.equal(message?.meta?.eventId, '01890a5d-ac96-774b-bcce-b302099a8057')
  t.equal(message?.meta?.type, 'TaskAssigned')
  t.equal(message?.meta?.revision, 3n)
})

t.test('only the public metadata travels: extra keys a writer kept stay inside the platform', async (t) => {
  const event = sampleEvent('TaskAcknowledged')
  const withExtras = {
    ...event,
    metadata: { ...event.metadata, idempotencyKey: 'retry-1', requestId: 'r-9' },
  }
  t.strictSame(roundTrip(withExtras), event)
})

t.test(
  'a reader built from an older contract reads a newer message: unknown fields are skipped',
  async (t) => {
    const event = sampleEvent('DeadlineSet' satisfies MappedType)
    const bytes = toMessage(event)?.bytes ?? new Uint8Array()
    // Field 99, length-delimited, the string "x": as a later version of DeadlineSet might add.
    const newer = new Uint8Array([...bytes, 0x9a, 0x06, 0x01, 0x78])
    t.strictSame(fromMessage('DeadlineSet', newer), event)
  },
)

t.test('decoding refuses bytes that are not the named event', async (t) => {
  const bytes = toMessage(sampleEvent('TaskClosed'))?.bytes ?? new Uint8Array()
  t.throws(
    () => fromMessage('TaskSuspended', bytes),
    /a TaskSuspended message whose envelope says 'TaskClosed'/,
  )
  t.throws(() => fromMessage('TaskClosed', new Uint8Array()), /no envelope/)
  t.throws(() => fromMessage('NoSuchEvent', bytes), /no message for event type 'NoSuchEvent'/)
})
