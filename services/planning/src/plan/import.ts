import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { planStreamId, taskStreamId, type PlanPeriod } from '@coord/events'
import type { EventStore } from '@coord/eventstore'
import {
  PlanImportError,
  decodePlanFile,
  parsePlan,
  type ParsedPlan,
  type PlanTask,
} from '@coord/plan-import'
import { DomainError } from '@coord/domain'
import { planDecider, taskDecider, type ImportPlan } from '../domain.ts'
import { commandContext, runCommand, type CommandResult } from '@coord/service-kit'
import { assignmentDue, checkImport, requireDistinctTasks, type ImportedTask } from './import-check.ts'

export interface PlanDocument {
  bytes: Uint8Array
  fileName?: string | undefined
  /** Defaults to an id derived from the document's hash, so a re-import lands on the same plan. */
  planId?: string | undefined
}

export interface ImportResult extends Omit<CommandResult, 'replayed'> {
  planId: string
  targets: number
  tasks: number
  /** The global position of the last event the import appended (for read-your-writes). */
  lastPosition: number
}

/**
 * Turns an official plan text into events: the plan (with its targets) on the plan stream, then
 * each key task published on a stream of its own and assigned where the document names bureaus.
 *
 * All or nothing for what the client sent: the document is checked (no two tasks numbered alike)
 * and every command decided on the streams as they are (`checkImport`) before anything is
 * appended, so a document that cannot be imported whole writes nothing.
 *
 * The streams are written one after the other, not in one transaction. What can still happen:
 * another writer publishes a different task under one of the document's ids (or imports another
 * document as this plan) between the check and the writes. The import then stops at that task
 * with 409 TASK_ALREADY_PUBLISHED, the plan and the tasks before it recorded; a retry (with the
 * same Idempotency-Key or none) is refused by the check with the same 409 and writes nothing more,
 * since that id holds another task for good: the plan office publishes the document's task under
 * another id. A failure that passes (the database stopped answering mid-way) leaves the same kind
 * of prefix, and there a retry completes the import: every step is idempotent (the same document
 * is recognised by its hash, the key's first answer is replayed, a task already published records
 * nothing and keeps any later assignment), and the steps not yet taken are taken.
 */
export async function importPlanDocument(
  store: EventStore,
  request: FastifyRequest,
  document: PlanDocument,
): Promise<ImportResult> {
  const { text, parsed } = readDocument(document.bytes)
  requireDistinctTasks(parsed)
  const sha256 = createHash('sha256').update(text).digest('hex')
  const planId = document.planId ?? `p${sha256.slice(0, 12)}`
  const source = document.fileName ? { fileName: document.fileName, sha256 } : { sha256 }
  const command: { type: 'ImportPlan'; data: ImportPlan['data'] } = {
    type: 'ImportPlan',
    data: { planId, ...header(parsed), source, targets: parsed.targets.map((t) => ({ ...t })) },
  }
  const tasks = parsed.tasks.map((task) => importedTask(planId, task))
  const { metadata } = commandContext(request)
  await checkImport(store, metadata, { streamId: planStreamId(planId), command }, tasks)

  const plan = await runCommand(store, request, planStreamId(planId), planDecider, command)
  let lastPosition = plan.position
  const own = { clientKeys: false }
  for (const task of tasks) {
    const published = await runCommand(store, request, task.streamId, taskDecider, task.publish, own)
    lastPosition = Math.max(lastPosition, published.position)
    // The document's assignment applies once, right after publishing: on a re-import the task may
    // have been reassigned, cancelled or closed since, and the document must not undo that.
    if (!task.assign || !assignmentDue(task, published.revision)) continue
    const assigned = await runCommand(store, request, task.streamId, taskDecider, task.assign, own)
    lastPosition = Math.max(lastPosition, assigned.position)
  }
  const { streamId, revision, position, events } = plan
  return {
    streamId,
    revision,
    position,
    events,
    planId,
    targets: parsed.targets.length,
    tasks: parsed.tasks.length,
    lastPosition,
  }
}

function importedTask(planId: string, task: PlanTask): ImportedTask {
  const sectionPath = task.id.split('.').slice(0, -1)
  const basis = { kind: 'plan-clause' as const, planId, clause: task.id }
  const partners = task.partners.filter((p) => !task.leads.includes(p))
  return {
    streamId: taskStreamId(planId, task.id),
    publish: {
      type: 'PublishTask',
      data: { planId, taskId: task.id, title: task.title, sectionPath, basis },
    },
    assign:
      task.leads.length === 0
        ? null
        : {
            type: 'AssignTask',
            data: { leads: [...task.leads], partners, cause: { kind: 'plan', id: planId } },
          },
  }
}

function readDocument(bytes: Uint8Array): { text: string; parsed: ParsedPlan } {
  try {
    const text = decodePlanFile(bytes)
    return { text, parsed: parsePlan(text) }
  } catch (error) {
    if (error instanceof PlanImportError) {
      throw new DomainError(`IMPORT_${error.code}`, error.message, error.status, { line: error.line })
    }
    throw error
  }
}

function header(parsed: ParsedPlan): Omit<ImportPlan['data'], 'planId' | 'source' | 'targets'> {
  return {
    title: parsed.title,
    docNumber: parsed.docNumber,
    issuer: parsed.issuer,
    issueDate: parsed.issueDate,
    period: period(parsed.period),
    sections: parsed.sections.map((s) => ({ ...s })),
    safeguards: [...parsed.safeguards],
  }
}

function period(printed: string | null): PlanPeriod | null {
  if (!printed) return null
  const [from = printed, to = from] = printed.split('-')
  return { from, to }
}
