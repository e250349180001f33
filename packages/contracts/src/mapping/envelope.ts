import { create } from '@bufbuild/protobuf'
import { TimestampSchema, type Timestamp } from '@bufbuild/protobuf/wkt'
import { parsePlanningStreamId } from '@coord/events'
import { parseMeetingStreamId } from '@coord/events/meetings'
import { parseResponsibilityStreamId } from '@coord/events/responsibility'
import type { Actor, RecordedEvent, RecordedMetadata } from '@coord/eventstore'
import {
  DutyListRefSchema,
  EventMetaSchema,
  Role,
  TaskRefSchema,
  type EventMeta,
} from '../gen/coord/v1/envelope_pb.ts'
import { enumMap } from './codec.ts'
import { listKind } from './enums.ts'

/** The envelope of an event as `fromMessage` gives it back: a RecordedEvent without type and data. */
export type Envelope = Omit<RecordedEvent, 'type' | 'data'>

/** The roles of service-kit's tokens (BRIEF section 2), as actors carry them. */
type RoleName = 'planner' | 'secretariat' | 'supervisor' | 'bureau' | 'auditor' | 'system'

export const role = enumMap<RoleName, Role>('role', {
  planner: Role.PLANNER,
  secretariat: Role.SECRETARIAT,
  supervisor: Role.SUPERVISOR,
  bureau: Role.BUREAU,
  auditor: Role.AUDITOR,
  system: Role.SYSTEM,
})

/**
 * The envelope message of an event. Only the metadata BRIEF section 4 names is public: extra keys
 * writers keep with an event (the idempotency key, say) stay inside the platform.
 */
export function toEventMeta(event: RecordedEvent): EventMeta {
  const { actor, correlationId, causationId, occurredAt, recordedAt } = event.metadata
  return create(EventMetaSchema, {
    eventId: event.id,
    streamId: event.streamId,
    revision: BigInt(event.revision),
    position: BigInt(event.position),
    type: event.type,
    schemaVersion: event.schemaVersion,
    actor: { role: role.toProto(actor.role as RoleName), bureauId: actor.bureauId, user: actor.user },
    correlationId,
    causationId: causationId ?? undefined,
    occurredAt: timestampOf(occurredAt),
    recordedAt: timestampOf(recordedAt),
    subject: subjectOf(event.streamId),
  })
}

/** The envelope back from its message; the subject is left out, the stream id says it all. */
export function fromEventMeta(meta: EventMeta | undefined): Envelope {
  if (meta === undefined) throw new TypeError('the message has no envelope (field 1, meta)')
  const { actor, occurredAt, recordedAt } = meta
  if (actor === undefined || occurredAt === undefined || recordedAt === undefined) {
    throw new TypeError('the envelope lacks its actor, occurred_at or recorded_at')
  }
  const metadata: RecordedMetadata = {
    actor: actorOf(actor.role, actor.bureauId, actor.user),
    correlationId: meta.correlationId,
    causationId: meta.causationId ?? null,
    occurredAt: isoOf(occurredAt),
    recordedAt: isoOf(recordedAt),
  }
  return {
    id: meta.eventId,
    streamId: meta.streamId,
    revision: safeNumber(meta.revision, 'revision'),
    position: safeNumber(meta.position, 'position'),
    schemaVersion: meta.schemaVersion,
    metadata,
  }
}

function actorOf(value: Role, bureauId: string | undefined, user: string): Actor {
  const name = role.fromProto(value)
  return bureauId === undefined ? { role: name, user } : { role: name, bureauId, user }
}

function subjectOf(streamId: string): EventMeta['subject'] {
  const planning = parsePlanningStreamId(streamId)
  if (planning?.kind === 'plan') return { case: 'planId', value: planning.planId }
  if (planning?.kind === 'task') {
    return {
      case: 'task',
      value: create(TaskRefSchema, { planId: planning.planId, taskId: planning.taskId }),
    }
  }
  const meetingId = parseMeetingStreamId(streamId)
  if (meetingId !== undefined) return { case: 'meetingId', value: meetingId }
  const other = parseResponsibilityStreamId(streamId)
  switch (other?.kind) {
    case 'bureau':
      return { case: 'bureauId', value: other.bureauId }
    case 'reorganisation':
      return { case: 'reorganisationId', value: other.reorganisationId }
    case 'duties':
      return {
        case: 'dutyList',
        value: create(DutyListRefSchema, {
          bureauId: other.bureauId,
          listKind: listKind.toProto(other.listKind),
        }),
      }
    case undefined:
      return { case: undefined }
  }
}

// ISO date-times as service-kit accepts them (seconds and fraction optional, an offset required).
const isoDateTime = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/

/**
 * A Timestamp of the instant an ISO string names, to the nanosecond (Date keeps milliseconds).
 * The offset is not kept: `2018-03-05T09:00:00+08:00` comes back as `2018-03-05T01:00:00.000Z`.
 */
export function timestampOf(iso: string): Timestamp {
  const match = isoDateTime.exec(iso)
  const wholeSeconds = match ? Date.parse(`${match[1]}:${match[2] ?? '00'}${match[4]}`) : Number.NaN
  if (match && !Number.isNaN(wholeSeconds)) {
    const nanos = Number((match[3] ?? '').padEnd(9, '0'))
    return create(TimestampSchema, { seconds: BigInt(wholeSeconds / 1000), nanos })
  }
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO date-time: '${iso}'`)
  const seconds = Math.floor(ms / 1000)
  return create(TimestampSchema, { seconds: BigInt(seconds), nanos: (ms - seconds * 1000) * 1_000_000 })
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` as Date#toISOString writes it, with 6 or 9 digits when needed. */
export function isoOf(timestamp: Timestamp): string {
  const { nanos } = timestamp
  const seconds = new Date(safeNumber(timestamp.seconds, 'timestamp seconds') * 1000)
    .toISOString()
    .slice(0, -5)
  const digits = nanos % 1_000_000 === 0 ? 3 : nanos % 1000 === 0 ? 6 : 9
  return `${seconds}.${String(nanos).padStart(9, '0').slice(0, digits)}Z`
}

function safeNumber(value: bigint, what: string): number {
  const number = Number(value)
  if (!Number.isSafeInteger(number)) throw new RangeError(`${what} ${value} is out of range`)
  return number
}
