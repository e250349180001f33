import type {
  AttendanceEntry,
  AttendanceStatus,
  MeetingEvent,
  ResolutionEffect,
} from '@coord/events/meetings'
import {
  AttendanceRecordedSchema,
  AttendanceStatus as AttendanceStatusEnum,
  JointMeetingClosedSchema,
  JointMeetingScheduledSchema,
  MinutesIssuedSchema,
  ResolutionAdoptedSchema,
  ResolutionCorrectedSchema,
  type AttendanceEntry as AttendanceEntryMessage,
  type ResolutionEffect as ResolutionEffectMessage,
} from '../gen/coord/v1/meeting_events_pb.ts'
import { bare, codec, enumMap, optional, unknownKind, type CodecTable, type Fields } from './codec.ts'
import { listKind } from './enums.ts'

const attendanceStatus = enumMap<AttendanceStatus, AttendanceStatusEnum>('attendance status', {
  present: AttendanceStatusEnum.PRESENT,
  absent: AttendanceStatusEnum.ABSENT,
  delegated: AttendanceStatusEnum.DELEGATED,
})

function effectToFields(effect: ResolutionEffect): Fields<ResolutionEffectMessage> {
  switch (effect.kind) {
    case 'assign-work': {
      const { kind: _, deadline, ...rest } = effect
      return { kind: { case: 'assignWork', value: { ...rest, deadline: deadline ?? undefined } } }
    }
    case 'change-deadline': {
      const { kind: _, ...rest } = effect
      return { kind: { case: 'changeDeadline', value: rest } }
    }
    case 'change-responsibility': {
      const { kind: _, ...rest } = effect
      return { kind: { case: 'changeResponsibility', value: rest } }
    }
    case 'transfer-duty': {
      const { kind: _, ...rest } = effect
      return {
        kind: { case: 'transferDuty', value: { ...rest, listKind: listKind.toProto(effect.listKind) } },
      }
    }
    case 'record-position':
      return { kind: { case: 'recordPosition', value: {} } }
    default:
      return unknownKind('resolution effect', effect)
  }
}

function effectFromMessage(effect: ResolutionEffectMessage | undefined): ResolutionEffect {
  const kind = effect?.kind
  switch (kind?.case) {
    case 'assignWork': {
      const { planId, taskId, title, leads, partners, deadline } = kind.value
      const work = { planId, taskId, title, leads: [...leads], partners: [...partners] }
      return { kind: 'assign-work', ...work, deadline: deadline ?? null }
    }
    case 'changeDeadline': {
      const { planId, taskId, deadline, reason } = kind.value
      return { kind: 'change-deadline', planId, taskId, deadline, reason }
    }
    case 'changeResponsibility': {
      const { planId, taskId, leads, partners } = kind.value
      return { kind: 'change-responsibility', planId, taskId, leads: [...leads], partners: [...partners] }
    }
    case 'transferDuty': {
      const { fromBureauId, dutyId, toBureauId, effectiveDate } = kind.value
      const list = listKind.fromProto(kind.value.listKind)
      return { kind: 'transfer-duty', fromBureauId, listKind: list, dutyId, toBureauId, effectiveDate }
    }
    case 'recordPosition':
      return { kind: 'record-position' }
    case undefined:
      throw new TypeError('a resolution message without an effect')
  }
}

const entry = ({ bureauId, status, delegate }: AttendanceEntryMessage): AttendanceEntry => ({
  bureauId,
  status: attendanceStatus.fromProto(status),
  ...optional('delegate', delegate),
})

export const meetingCodecs: CodecTable<MeetingEvent> = {
  JointMeetingScheduled: codec(
    JointMeetingScheduledSchema,
    (data) => data,
    ({ meetingId, session, date, convener, agenda }) => ({
      meetingId,
      session,
      date,
      convener,
      agenda: [...agenda],
    }),
  ),
  AttendanceRecorded: codec(
    AttendanceRecordedSchema,
    (data) => ({ entries: data.entries.map((e) => ({ ...e, status: attendanceStatus.toProto(e.status) })) }),
    (message) => ({ entries: message.entries.map(entry) }),
  ),
  ResolutionAdopted: codec(
    ResolutionAdoptedSchema,
    (data) => ({ ...data, effect: effectToFields(data.effect) }),
    ({ resolutionId, text, effect }) => ({ resolutionId, text, effect: effectFromMessage(effect) }),
  ),
  ResolutionCorrected: codec(
    ResolutionCorrectedSchema,
    (data) => ({
      ...data,
      effect: effectToFields(data.effect),
      previous: { text: data.previous.text, effect: effectToFields(data.previous.effect) },
    }),
    (message) => ({
      resolutionId: message.resolutionId,
      supersedes: message.supersedes,
      text: message.text,
      effect: effectFromMessage(message.effect),
      reason: message.reason,
      previous: { text: message.previous?.text ?? '', effect: effectFromMessage(message.previous?.effect) },
    }),
  ),
  MinutesIssued: codec(
    MinutesIssuedSchema,
    (data) => data,
    ({ minutesNumber, issuedOn }) => ({ minutesNumber, issuedOn }),
  ),
  JointMeetingClosed: bare(JointMeetingClosedSchema),
}
