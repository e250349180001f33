import { unreachable } from '@coord/domain'
import { taskStreamId, type AssignmentCause, type TaskBasis } from '@coord/events'
import type {
  AssignWorkEffect,
  ChangeDeadlineEffect,
  ChangeResponsibilityEffect,
  ResolutionAdopted,
  ResolutionCorrected,
  ResolutionEffect,
  TransferDutyEffect,
} from '@coord/events/meetings'

/** A command for another service, described: which stream it goes to, its type and data. */
export interface CommandDescription<Type extends string, Data> {
  streamId: string
  command: { type: Type; data: Data }
}

/** Commands of the planning service's Task aggregate (services/planning/src/task/task-commands.ts). */
export type PlanningCommandDescription =
  | CommandDescription<
      'PublishTask',
      { planId: string; taskId: string; title: string; sectionPath: string[]; basis: TaskBasis }
    >
  | CommandDescription<'AssignTask', { leads: string[]; partners: string[]; cause: AssignmentCause }>
  | CommandDescription<'SetDeadline', { deadline: string }>
  | CommandDescription<'ChangeDeadline', { deadline: string; reason: string }>

/** The responsibility service's TransferDuty, on the list the duty is on now. */
export type DutyCommandDescription = CommandDescription<
  'TransferDuty',
  { dutyId: string; toBureauId: string; effectiveDate: string; reason: string }
>

export type ResolutionCommandDescription = PlanningCommandDescription | DutyCommandDescription

/** The stream of one bureau's power or responsibility list. */
export function dutiesStreamId(bureauId: string, listKind: TransferDutyEffect['listKind']): string {
  return `duties-${bureauId}-${listKind}`
}

/** Which resolution asks, and the words a command quotes as its reason. */
interface Source {
  meetingId: string
  resolutionId: string
  /** The resolution's text for an adoption, the correction's reason for a correction. */
  reason: string
}

type Assignable = AssignWorkEffect | ChangeResponsibilityEffect

const onTask = (effect: { planId: string; taskId: string }) => taskStreamId(effect.planId, effect.taskId)

function assign(effect: Assignable, { meetingId, resolutionId }: Source): PlanningCommandDescription {
  const cause: AssignmentCause = { kind: 'resolution', id: `${meetingId}/${resolutionId}` }
  const data = { leads: [...effect.leads], partners: [...effect.partners], cause }
  return { streamId: onTask(effect), command: { type: 'AssignTask', data } }
}

function setDeadline(effect: AssignWorkEffect, deadline: string): PlanningCommandDescription {
  return { streamId: onTask(effect), command: { type: 'SetDeadline', data: { deadline } } }
}

function changeDeadline(
  effect: { planId: string; taskId: string },
  deadline: string,
  reason: string,
): PlanningCommandDescription {
  return { streamId: onTask(effect), command: { type: 'ChangeDeadline', data: { deadline, reason } } }
}

/** TransferDuty on the list of `holder`, the bureau that has the duty now. */
function transfer(holder: string, effect: TransferDutyEffect, reason: string): DutyCommandDescription {
  const { dutyId, toBureauId, effectiveDate } = effect
  return {
    streamId: dutiesStreamId(holder, effect.listKind),
    command: { type: 'TransferDuty', data: { dutyId, toBureauId, effectiveDate, reason } },
  }
}

function publishWork(effect: AssignWorkEffect, source: Source): PlanningCommandDescription[] {
  const { planId, taskId, title, deadline } = effect
  const basis: TaskBasis = {
    kind: 'resolution',
    meetingId: source.meetingId,
    resolutionId: source.resolutionId,
  }
  const data = { planId, taskId, title, sectionPath: [], basis }
  return [
    { streamId: onTask(effect), command: { type: 'PublishTask', data } },
    assign(effect, source),
    ...(deadline === null ? [] : [setDeadline(effect, deadline)]),
  ]
}

/** Everything an effect asks of the other services, as when it is first adopted. */
function fullCommands(effect: ResolutionEffect, source: Source): ResolutionCommandDescription[] {
  switch (effect.kind) {
    case 'assign-work':
      return publishWork(effect, source)
    case 'change-deadline':
      return [changeDeadline(effect, effect.deadline, effect.reason)]
    case 'change-responsibility':
      return [assign(effect, source)]
    case 'transfer-duty':
      return [transfer(effect.fromBureauId, effect, source.reason)]
    case 'record-position':
      return []
    default:
      return unreachable(effect)
  }
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((id, i) => id === b[i])

function reassign(before: Assignable, after: Assignable, source: Source): PlanningCommandDescription[] {
  const same = sameList(before.leads, after.leads) && sameList(before.partners, after.partners)
  return same ? [] : [assign(after, source)]
}

/**
 * Only what changed between two effects of one kind on one target (the caller checked), with
 * the correction's reason.
 */
function difference(
  previous: ResolutionEffect,
  next: ResolutionEffect,
  source: Source,
): ResolutionCommandDescription[] {
  switch (next.kind) {
    case 'assign-work': {
      const before = previous as AssignWorkEffect
      const { deadline } = next
      const redated =
        deadline === null || deadline === before.deadline
          ? []
          : [
              before.deadline === null
                ? setDeadline(next, deadline)
                : changeDeadline(next, deadline, source.reason),
            ]
      return [...reassign(before, next, source), ...redated]
    }
    case 'change-responsibility':
      return reassign(previous as ChangeResponsibilityEffect, next, source)
    case 'change-deadline': {
      const same = next.deadline === (previous as ChangeDeadlineEffect).deadline
      return same ? [] : [changeDeadline(next, next.deadline, source.reason)]
    }
    case 'transfer-duty': {
      // The first version moved the duty to its bureau already: move it on from there.
      const before = previous as TransferDutyEffect
      return next.toBureauId === before.toBureauId ? [] : [transfer(before.toBureauId, next, source.reason)]
    }
    case 'record-position':
      return []
    default:
      return unreachable(next)
  }
}

/**
 * The commands a resolution asks of the planning and responsibility services, for the process
 * manager that sends them. Pure: the same event gives the same commands. An adoption gives all of
 * them; a correction only the difference from the version it supersedes (a title or text alone
 * changes no task, since planning has no command to retitle one).
 */
export function resolutionCommands(
  event: ResolutionAdopted | ResolutionCorrected,
  meetingId: string,
): ResolutionCommandDescription[] {
  const { resolutionId, text, effect } = event.data
  if (event.type === 'ResolutionAdopted') {
    return fullCommands(effect, { meetingId, resolutionId, reason: text })
  }
  const previous = event.data.previous.effect
  const source = { meetingId, resolutionId, reason: event.data.reason }
  // A position recorded did nothing, and a correction the decider would refuse (another kind or
  // target) cannot be expressed as a difference: either way the new effect is done in full.
  if (previous.kind === 'record-position' || !sameTarget(previous, effect)) {
    return fullCommands(effect, { ...source, reason: text })
  }
  return difference(previous, effect, source)
}

function sameTarget(a: ResolutionEffect, b: ResolutionEffect): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === 'transfer-duty' && b.kind === 'transfer-duty') {
    return a.fromBureauId === b.fromBureauId && a.listKind === b.listKind && a.dutyId === b.dutyId
  }
  if ('planId' in a && 'planId' in b) return a.planId === b.planId && a.taskId === b.taskId
  return true
}
