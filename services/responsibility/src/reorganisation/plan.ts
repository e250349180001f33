import { unreachable } from '@coord/domain'
import type { AssignmentCause } from '@coord/events'
import { bureauStreamId, dutyListStreamId, type ReorganisationDecision } from '@coord/events/responsibility'
import type { DissolveBureau, RenameBureau } from '../bureau/bureau.decide.ts'
import type { ReceiveDuty, TransferDuty } from '../duties/duty-commands.ts'
import { versionsOf, type ExistingList } from '../duties/duty-list.ts'
import { lastContent } from '../duties/transfer.decide.ts'
import type { OpenTask } from './open-tasks.ts'
import { endingBureaus, successorsOf } from './reorganisation.ts'

type Intent<C extends { type: string; data: unknown }> = Pick<C, 'type' | 'data'>

/** The planning service's AssignTask, as far as a reorganisation needs it. */
export interface AssignTaskData {
  leads: string[]
  partners: string[]
  cause?: AssignmentCause
}

/** One command a reorganisation leads to; `step` names it uniquely within the reorganisation. */
export type FollowUp =
  | {
      step: string
      aggregate: 'bureau'
      streamId: string
      command: Intent<DissolveBureau> | Intent<RenameBureau>
    }
  | {
      step: string
      aggregate: 'duties'
      streamId: string
      command: Intent<TransferDuty> | Intent<ReceiveDuty>
    }
  | {
      step: string
      aggregate: 'task'
      streamId: string
      command: { type: 'AssignTask'; data: AssignTaskData }
    }

/**
 * What a reorganisation decision leads to, in the order it is applied: the old bureaus dissolved,
 * each of their duties transferred to its successor's list of the same kind and received there,
 * and each open task that names an old bureau reassigned with the successor in its place. Pure:
 * the lists and open tasks come in as functions. A duty this reorganisation already transferred
 * still yields its two steps, so a run cut short between them is completed when it is run again.
 */
export function reorganisationPlan(
  decision: ReorganisationDecision,
  listsOf: (bureauId: string) => ExistingList[],
  openTasksOf: (bureauId: string) => OpenTask[],
): FollowUp[] {
  if (decision.type === 'BureauRenameDecided') {
    const { bureauId, reorganisationId, nameZh, nameEn, shortName, effectiveDate, reason } = decision.data
    const data = { nameZh, nameEn, shortName, effectiveDate, reason, reorganisationId }
    const command = { type: 'RenameBureau' as const, data }
    return [{ step: `rename:${bureauId}`, aggregate: 'bureau', streamId: bureauStreamId(bureauId), command }]
  }
  const ending = endingBureaus(decision)
  return [
    ...ending.map((bureauId) => dissolution(decision, bureauId)),
    ...ending.flatMap((bureauId) => listsOf(bureauId).flatMap((list) => dutyMoves(decision, list))),
    ...taskMoves(decision, ending, openTasksOf),
  ]
}

function dissolution(decision: ReorganisationDecision, bureauId: string): FollowUp {
  const { reorganisationId, effectiveDate, reason } = decision.data
  const data = { reorganisationId, successorIds: successorsOf(decision), effectiveDate, reason }
  const command = { type: 'DissolveBureau' as const, data }
  return { step: `dissolve:${bureauId}`, aggregate: 'bureau', streamId: bureauStreamId(bureauId), command }
}

/** The successor that takes a duty or a task: a split's allocation, else the principal successor. */
function successorFor(decision: ReorganisationDecision, allocation: 'duty' | 'task', id: string): string {
  switch (decision.type) {
    case 'BureausMerged':
      return decision.data.intoBureauId
    case 'BureauSplit': {
      const map = allocation === 'duty' ? decision.data.dutyAllocation : decision.data.taskAllocation
      return (Object.hasOwn(map, id) ? map[id] : undefined) ?? decision.data.intoBureauIds[0] ?? ''
    }
    case 'BureauRenameDecided':
      return ''
    default:
      return unreachable(decision)
  }
}

function dutyMoves(decision: ReorganisationDecision, list: ExistingList): FollowUp[] {
  const { reorganisationId, effectiveDate, reason } = decision.data
  const { bureauId, listKind } = list
  return Object.keys(list.duties).flatMap((dutyId): FollowUp[] => {
    const latest = versionsOf(list, dutyId).at(-1)
    if (latest === undefined) return []
    const moved = latest.change === 'transferred' && latest.reorganisationId === reorganisationId
    if (latest.content === null && !moved) return []
    // A duty cannot move before its latest version took effect (history is not rewritten).
    const day = moved || latest.from > effectiveDate ? latest.from : effectiveDate
    const to =
      moved && latest.counterpart !== null ? latest.counterpart : successorFor(decision, 'duty', dutyId)
    const transfer = { dutyId, toBureauId: to, effectiveDate: day, reason, reorganisationId }
    const duty = lastContent(list, dutyId)
    const receive = {
      bureauId: to,
      listKind,
      dutyId,
      duty,
      fromBureauId: bureauId,
      effectiveDate: day,
      reason,
      reorganisationId,
    }
    return [
      {
        step: `transfer:${bureauId}:${listKind}:${dutyId}`,
        aggregate: 'duties',
        streamId: dutyListStreamId(bureauId, listKind),
        command: { type: 'TransferDuty', data: transfer },
      },
      {
        step: `receive:${to}:${listKind}:${dutyId}`,
        aggregate: 'duties',
        streamId: dutyListStreamId(to, listKind),
        command: { type: 'ReceiveDuty', data: receive },
      },
    ]
  })
}

function taskMoves(
  decision: ReorganisationDecision,
  ending: string[],
  openTasksOf: (bureauId: string) => OpenTask[],
): FollowUp[] {
  const tasks = new Map(
    ending.flatMap((bureauId) => openTasksOf(bureauId)).map((task) => [task.streamId, task]),
  )
  const cause: AssignmentCause = { kind: 'reorganisation', id: decision.data.reorganisationId }
  return [...tasks.values()].flatMap((task): FollowUp[] => {
    const replace = (id: string) => (ending.includes(id) ? successorFor(decision, 'task', task.key) : id)
    const leads = distinct(task.leads.map(replace))
    const partners = distinct(task.partners.map(replace)).filter((id) => !leads.includes(id))
    if (leads.join('\n') === task.leads.join('\n') && partners.join('\n') === task.partners.join('\n'))
      return []
    const command = { type: 'AssignTask' as const, data: { leads, partners, cause } }
    return [{ step: `assign:${task.streamId}`, aggregate: 'task', streamId: task.streamId, command }]
  })
}

function distinct(ids: string[]): string[] {
  return [...new Set(ids)]
}
