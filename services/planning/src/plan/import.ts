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

export interface ImportResult extends CommandResult {
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
    const steps: TaskCommand[] = [
      {
        type: 'PublishTask',
        data: {
          planId,
          taskId: task.id,
          title: task.title,
          sectionPath,
          basis: { kind: 'plan-clause', planId, clause: task.id },
        },
      } as TaskCommand,
    ]
    if (task.leads.length > 0) {
      steps.push({
        type: 'AssignTask',
        data: {
          leads: [...task.leads],
          partners: task.partners.filter((p) => !task.leads.includes(p)),
          cause: { kind: 'plan', id: planId },
        },
      } as TaskCommand)
    }
    for (const step of steps) {
      const result = await runCommand(store, request, streamId, taskDecider, step, { clientKeys: false })
      lastPosition = Math.max(lastPosition, result.position)
    }
  }
  return { ...plan, planId, targets: parsed.targets.length, tasks: parsed.tasks.length, lastPosition }
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
