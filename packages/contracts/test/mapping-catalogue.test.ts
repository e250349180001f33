import { planningEventTypes } from '@coord/events'
import { meetingEventTypes } from '@coord/events/meetings'
import { responsibilityEventTypes } from '@coord/events/responsibility'
import t from 'tap'
import * as contract from '../src/index.ts'
import {
  excludedEventTypes,
  fromMessage,
  internalEventTypes,
  mappedEventTypes,
  schemaOf,
  toMessage,
} from '../src/index.ts'
import { mappedTypes, sampleEvent } from './fixtures/samples.ts'

// A new internal event must be decided on: mapped to a message bureaus receive, or excluded with
// a reason. These tests fail until it is.

const catalogue: readonly string[] = [
  ...planningEventTypes,
  ...meetingEventTypes,
  ...responsibilityEventTypes,
]

t.test('the mapped types are the internal catalogues minus the documented exclusions', async (t) => {
  const excluded = Object.keys(excludedEventTypes)
  t.strictSame([...internalEventTypes].sort(), [...catalogue].sort(), 'the contract reads every catalogue')
  t.strictSame(
    [...mappedEventTypes].sort(),
    catalogue.filter((type) => !excluded.includes(type)).sort(),
    'every internal event type is mapped or excluded',
  )
  t.strictSame(
    excluded.filter((type) => !catalogue.includes(type)),
    [],
    'every exclusion names an internal event type',
  )
  t.strictSame(excluded.sort(), ['BureauRenameDecided', 'ReorganisationCompleted'])
})

t.test('every exclusion says why bureaus never receive the event', async (t) => {
  for (const [type, reason] of Object.entries(excludedEventTypes)) {
    t.ok(reason.length > 40, `${type} has a reason`)
    t.equal(schemaOf(type), undefined, `${type} has no message`)
  }
})

t.test('events bureaus never receive map to null: the exclusions, and types of no catalogue', async (t) => {
  const event = sampleEvent('BureauRenamed')
  t.equal(toMessage({ ...event, type: 'BureauRenameDecided' }), null)
  t.equal(toMessage({ ...event, type: 'ReorganisationCompleted' }), null)
  t.equal(toMessage({ ...event, type: 'ScratchEvent' }), null)
  t.throws(() => fromMessage('BureauRenameDecided', new Uint8Array()), /bureaus never receive it/)
})

t.test('every event message of coord.v1 is named after an event type the platform records', async (t) => {
  // Messages with the envelope as field 1 are event messages; the others are their parts.
  const eventMessages = Object.values(contract)
    .filter(
      (value) => typeof value === 'object' && value !== null && 'kind' in value && value.kind === 'message',
    )
    .filter((schema) => (schema as { fields: { number: number; name: string }[] }).fields[0]?.name === 'meta')
    .map((schema) => (schema as { name: string }).name)
    .sort()
  t.strictSame(eventMessages, [...mappedEventTypes].sort())
  t.strictSame(
    [...mappedTypes].sort(),
    [...mappedEventTypes].sort(),
    'the test samples cover every mapped type',
  )
})

t.test('each event message carries its envelope as field 1 and only data after it', async (t) => {
  for (const type of mappedEventTypes) {
    const schema = schemaOf(type)
    const meta = schema?.fields.find((field) => field.number === 1)
    t.equal(meta?.name, 'meta', `${type}: field 1 is meta`)
    t.equal(meta?.message?.typeName, 'coord.v1.EventMeta', `${type}: meta is an EventMeta`)
  }
})
