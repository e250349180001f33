import type { RecordedEvent } from '@coord/eventstore'
import t from 'tap'
import { cloudEventHeaders, fromMessage, ListKind, toMessage, type EventMeta } from '../src/index.ts'
import { isoOf, timestampOf } from '../src/mapping/envelope.ts'
import { metadata, sampleEvent, type MappedType } from './fixtures/samples.ts'

function metaOf(event: RecordedEvent): EventMeta | undefined {
  return (toMessage(event)?.message as { meta?: EventMeta } | undefined)?.meta
}

t.test('the envelope says what the event is about, so consumers need not parse stream ids', async (t) => {
  const subject = (type: MappedType) => metaOf(sampleEvent(type))?.subject
  t.match(subject('PlanIssued'), { case: 'planId', value: 'pudong-ip-2017' })
  t.match(subject('TaskAssigned'), { case: 'task', value: { planId: 'pudong-ip-2017', taskId: '三.(二).7' } })
  t.match(subject('MinutesIssued'), { case: 'meetingId', value: 'jm-2018-1' })
  t.match(subject('BureauRenamed'), { case: 'bureauId', value: 'ip-office' })
  t.match(subject('DutyAdded'), {
    case: 'dutyList',
    value: { bureauId: 'ip-office', listKind: ListKind.RESPONSIBILITY },
  })
  t.match(subject('BureauSplit'), { case: 'reorganisationId', value: 'reorg-2018' })
  const elsewhere = { ...sampleEvent('TaskClosed'), streamId: 'scratch' }
  t.equal(metaOf(elsewhere)?.subject.case, undefined, 'a stream of no known kind: no subject')
})

t.test('actors, causation and schema versions come back as recorded', async (t) => {
  const base = sampleEvent('ProgressReported')
  const variants: RecordedEvent[] = [
    { ...base, metadata: { ...metadata, actor: { role: 'system', user: 'deadline-watcher' } } },
    { ...base, metadata: { ...metadata, causationId: '01890a5d-0000-7000-8000-000000000001' } },
    { ...base, schemaVersion: 2, revision: 1, position: Number.MAX_SAFE_INTEGER },
  ]
  for (const event of variants)
    t.strictSame(fromMessage(event.type, toMessage(event)?.bytes ?? new Uint8Array()), event)
})

t.test(
  'an actor whose role the contract does not know is refused, not published as unspecified',
  async (t) => {
    const event = sampleEvent('TaskClosed')
    t.throws(
      () => toMessage({ ...event, metadata: { ...metadata, actor: { role: 'mayor', user: 'x' } } }),
      /no role/,
    )
  },
)

t.test('times keep their instant to the nanosecond; the offset a client gave is not kept', async (t) => {
  const cases: [string, string][] = [
    ['2018-03-15T01:30:02.417Z', '2018-03-15T01:30:02.417Z'],
    ['2018-03-15T09:30:00+08:00', '2018-03-15T01:30:00.000Z'],
    ['2018-03-15T09:30+08:00', '2018-03-15T01:30:00.000Z'],
    ['2018-03-15T01:30:02.417123Z', '2018-03-15T01:30:02.417123Z'],
    ['2018-03-15T01:30:02.417123456-05:00', '2018-03-15T06:30:02.417123456Z'],
    ['2018-03-15T01:30:02.5Z', '2018-03-15T01:30:02.500Z'],
    ['1969-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z'],
    ['Thu, 15 Mar 2018 01:30:02 GMT', '2018-03-15T01:30:02.000Z'],
  ]
  for (const [written, read] of cases) t.equal(isoOf(timestampOf(written)), read, written)
  t.throws(() => timestampOf('yesterday'), /not an ISO date-time/)

  const event = sampleEvent('JointMeetingScheduled')
  const given = { ...event, metadata: { ...metadata, occurredAt: '2018-03-15T09:30:00+08:00' } }
  const back = fromMessage(given.type, toMessage(given)?.bytes ?? new Uint8Array())
  t.equal(back.metadata.occurredAt, '2018-03-15T01:30:00.000Z')
  t.equal(Date.parse(back.metadata.occurredAt), Date.parse(given.metadata.occurredAt), 'the same instant')
})

t.test('the CloudEvents headers of an event (binary mode)', async (t) => {
  const event = sampleEvent('TaskAssigned')
  const mapped = toMessage(event)
  if (mapped === null) throw new Error('TaskAssigned is mapped')
  t.strictSame(cloudEventHeaders(event, mapped), {
    ce_specversion: '1.0',
    ce_id: event.id,
    ce_type: 'TaskAssigned',
    ce_source: '/coord/task',
    ce_subject: 'task-pudong-ip-2017/三.(二).7',
    ce_time: '2018-03-15T01:30:02.417Z',
    'content-type': 'application/protobuf',
    ce_dataschema: 'coord.v1.TaskAssigned',
  })
  const sources = (['DutyAdded', 'BureauSplit', 'ResolutionAdopted', 'GoalDefined'] as const).map((type) => {
    const sample = sampleEvent(type)
    const message = toMessage(sample)
    return message && cloudEventHeaders(sample, message).ce_source
  })
  t.strictSame(sources, ['/coord/duties', '/coord/reorganisation', '/coord/meeting', '/coord/plan'])
})
