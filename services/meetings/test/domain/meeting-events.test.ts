import fc from 'fast-check'
import t from 'tap'
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
})
