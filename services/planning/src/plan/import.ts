import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { planStreamId, taskStreamId, type PlanPeriod } from '@coord/events'
import type { EventStore } from '@coord/eventstore'
import { PlanImportError, decodePlanFile, parsePlan, type ParsedPlan } from '@coord/plan-import'
import { DomainError } from '@coord/domain'
import { planDecider, taskDecider, type ImportPlan, type TaskCommand } from '../domain.ts'
import { runCommand, type CommandResult } from '@coord/service-kit'

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
 * Each step is idempotent, so importing the same document again appends nothing.
 */
export async function importPlanDocument(
  store: EventStore,
  request: FastifyRequest,
  document: PlanDocument,
): Promise<ImportResult> {
  const { text, parsed } = readDocument(document.bytes)
  const sha256 = createHash('sha256').update(text).digest('hex')
  const planId = document.planId ?? `p${sha256.slice(0, 12)}`
  const source = document.fileName ? { fileName: document.fileName, sha256 } : { sha256 }
  const command: { type: 'ImportPlan'; data: ImportPlan['data'] } = {
    type: 'ImportPlan',
    data: { planId, ...header(parsed), source, targets: parsed.targets.map((t) => ({ ...t })) },
  }
  const plan = await runCommand(store, request, planStreamId(planId), planDecider, command)
  let lastPosition = plan.position
  for (const task of parsed.tasks) {
    const streamId = taskStreamId(planId, task.id)
    const sectionPath = task.id.split('.').slice(0, -1)
    const basis = { kind: 'plan-clause' as const, planId, clause: task.id }
    const publish = {
      type: 'PublishTask',
      data: { planId, taskId: task.id, title: task.title, sectionPath, basis },
    }
    const published = await runCommand(store, request, streamId, taskDecider, publish as TaskCommand, {
      clientKeys: false,
    })
    lastPosition = Math.max(lastPosition, published.position)
    // The document's assignment applies once, right after publishing: on a re-import the task may
    // have been reassigned, cancelled or closed since, and the document must not undo that.
    if (task.leads.length === 0 || published.revision > 1) continue
    const partners = task.partners.filter((p) => !task.leads.includes(p))
    const assign = {
      type: 'AssignTask',
      data: { leads: [...task.leads], partners, cause: { kind: 'plan', id: planId } },
    }
    const assigned = await runCommand(store, request, streamId, taskDecider, assign as TaskCommand, {
      clientKeys: false,
    })
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

function readDocument(bytes: Uint8Array): { text: string; parsed: ParsedPlan } {
  try {
    const text = decodePlanFile(bytes)
    return { text, parsed: parsePlan(text) }
  } catch (error) {
    if (error instanceof PlanImportError) {
      throw new DomainError(`IMPORT_${error.code}`, error.message, 400, { line: error.line })
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
