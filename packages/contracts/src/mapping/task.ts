import type { AssignmentCause, Evidence, TaskBasis, TaskEvent } from '@coord/events'
import {
  AssignmentCauseKind,
  CompletionRejectedSchema,
  CompletionSubmittedSchema,
  CompletionVerifiedSchema,
  DeadlineApproachingSchema,
  DeadlineChangedSchema,
  DeadlineMissedSchema,
  DeadlineSetSchema,
  ProgressReportedSchema,
  TaskAcknowledgedSchema,
  TaskAssignedSchema,
  TaskCancelledSchema,
  TaskClosedSchema,
  TaskPublishedSchema,
  TaskResumedSchema,
  TaskSuspendedSchema,
  type AssignmentCause as AssignmentCauseMessage,
  type Evidence as EvidenceMessage,
  type TaskBasis as TaskBasisMessage,
} from '../gen/coord/v1/task_events_pb.ts'
import { bare, codec, enumMap, optional, unknownKind, type CodecTable, type Fields } from './codec.ts'

const causeKind = enumMap<AssignmentCause['kind'], AssignmentCauseKind>('assignment cause', {
  reorganisation: AssignmentCauseKind.REORGANISATION,
  resolution: AssignmentCauseKind.RESOLUTION,
  plan: AssignmentCauseKind.PLAN,
})

function basisToFields(basis: TaskBasis): Fields<TaskBasisMessage> {
  switch (basis.kind) {
    case 'plan-clause':
      return { kind: { case: 'planClause', value: { planId: basis.planId, clause: basis.clause } } }
    case 'resolution':
      return {
        kind: { case: 'resolution', value: { meetingId: basis.meetingId, resolutionId: basis.resolutionId } },
      }
    default:
      return unknownKind('task basis', basis)
  }
}

function basisFromMessage(basis: TaskBasisMessage | undefined): TaskBasis {
  const kind = basis?.kind
  switch (kind?.case) {
    case 'planClause':
      return { kind: 'plan-clause', planId: kind.value.planId, clause: kind.value.clause }
    case 'resolution':
      return { kind: 'resolution', meetingId: kind.value.meetingId, resolutionId: kind.value.resolutionId }
    case undefined:
      throw new TypeError('a TaskPublished message without a basis')
  }
}

const evidence = ({ name, ref }: EvidenceMessage): Evidence => ({ name, ref })
const cause = ({ kind, id }: AssignmentCauseMessage): AssignmentCause => ({
  kind: causeKind.fromProto(kind),
  id,
})
const reason = ({ reason }: { reason: string }) => ({ reason })

export const taskCodecs: CodecTable<TaskEvent> = {
  TaskPublished: codec(
    TaskPublishedSchema,
    (data) => ({ ...data, basis: basisToFields(data.basis) }),
    (message) => ({
      planId: message.planId,
      taskId: message.taskId,
      title: message.title,
      sectionPath: [...message.sectionPath],
      basis: basisFromMessage(message.basis),
    }),
  ),
  TaskAssigned: codec(
    TaskAssignedSchema,
    (data) => ({
      leads: data.leads,
      partners: data.partners,
      cause: data.cause && { kind: causeKind.toProto(data.cause.kind), id: data.cause.id },
    }),
    (message) => ({
      leads: [...message.leads],
      partners: [...message.partners],
      ...optional('cause', message.cause && cause(message.cause)),
    }),
  ),
  TaskAcknowledged: codec(
    TaskAcknowledgedSchema,
    (data) => data,
    ({ bureauId }) => ({ bureauId }),
  ),
  DeadlineSet: codec(
    DeadlineSetSchema,
    (data) => data,
    ({ deadline }) => ({ deadline }),
  ),
  DeadlineChanged: codec(
    DeadlineChangedSchema,
    (data) => data,
    ({ from, to, reason }) => ({ from, to, reason }),
  ),
  ProgressReported: codec(
    ProgressReportedSchema,
    (data) => data,
    (message) => ({
      bureauId: message.bureauId,
      percent: message.percent,
      narrative: message.narrative,
      evidence: message.evidence.map(evidence),
    }),
  ),
  CompletionSubmitted: codec(
    CompletionSubmittedSchema,
    (data) => data,
    (message) => ({
      bureauId: message.bureauId,
      summary: message.summary,
      evidence: message.evidence.map(evidence),
    }),
  ),
  CompletionVerified: codec(
    CompletionVerifiedSchema,
    (data) => data,
    ({ note }) => ({ note }),
  ),
  CompletionRejected: codec(CompletionRejectedSchema, (data) => data, reason),
  TaskClosed: bare(TaskClosedSchema),
  TaskSuspended: codec(TaskSuspendedSchema, (data) => data, reason),
  TaskResumed: codec(TaskResumedSchema, (data) => data, reason),
  TaskCancelled: codec(TaskCancelledSchema, (data) => data, reason),
  DeadlineApproaching: codec(
    DeadlineApproachingSchema,
    (data) => data,
    ({ deadline, daysLeft }) => ({ deadline, daysLeft }),
  ),
  DeadlineMissed: codec(
    DeadlineMissedSchema,
    (data) => data,
    ({ deadline }) => ({ deadline }),
  ),
}
