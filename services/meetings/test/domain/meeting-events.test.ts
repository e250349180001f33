import fc from 'fast-check'
import t from 'tap'
import { maxTaskIdLength } from '@coord/events'
import {
  isMeetingEventType,
  meetingEventTypes,
  meetingStreamId,
  parseMeetingStreamId,
  resolutionTaskId,
  type MeetingEvent,
  type MeetingEventType,
} from '@coord/events/meetings'
import { adopted, closed, corrected, meetingId, minuted } from './fixtures.ts'

t.test('the list of meeting event types is complete and recognised', async (t) => {
  const samples: MeetingEvent[] = corrected
  const seen = new Set<MeetingEventType>(samples.map((event) => event.type))
  t.same([...meetingEventTypes].sort(), [...seen].sort(), 'the fixtures hold one of each type')
  for (const type of meetingEventTypes) t.ok(isMeetingEventType(type), type)
  t.notOk(isMeetingEventType('TaskPublished'))
  t.notOk(isMeetingEventType('toString'), 'inherited names are not types')
})

t.test('meeting events are plain JSON and survive a round trip unchanged', async (t) => {
  for (const events of [adopted, minuted, closed, corrected])
    t.same(JSON.parse(JSON.stringify(events)), events)
})

t.test('a meeting stream id names its meeting, and only ids without a slash', async (t) => {
  t.equal(meetingStreamId(meetingId), 'meeting-jm-2018-1')
  t.throws(() => meetingStreamId(''), RangeError)
  t.throws(() => meetingStreamId('a/b'), RangeError)
  t.equal(parseMeetingStreamId('task-p/1'), undefined)
  t.equal(parseMeetingStreamId('meeting-'), undefined)
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }).filter((id) => !id.includes('/')),
      (id) => parseMeetingStreamId(meetingStreamId(id)) === id,
    ),
  )
})

t.test('the default task of a resolution is named after the meeting and the resolution', async (t) => {
  t.equal(resolutionTaskId(meetingId, 'R3'), 'R-jm-2018-1-R3')
  const fitting = `m${'x'.repeat(53)}`
  t.equal(resolutionTaskId(fitting, 'R999999'), `R-${fitting}-R999999`, 'an id that fits is kept whole')
})

t.test(
  'a default task id never exceeds what the planning routes accept, and names one meeting',
  async (t) => {
    const longId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/)
    const resolutionId = fc.integer({ min: 1, max: 999_999 }).map((n) => `R${n}`)
    fc.assert(
      fc.property(longId, longId, resolutionId, (a, b, r) => {
        const id = resolutionTaskId(a, r)
        if (id.length > maxTaskIdLength || !id.endsWith(`-${r}`)) return false
        return a === b || id !== resolutionTaskId(b, r)
      }),
    )
    const cut = resolutionTaskId(`m${'x'.repeat(63)}`, 'R1')
    t.match(cut, /^R-mx+~[0-9a-f]{10}-R1$/, 'a long meeting id is cut and marked with its hash')
    t.ok(cut.length <= maxTaskIdLength)
  },
)
