import { DomainError } from '@coord/domain'
import type { AssignWorkEffect } from '@coord/events/meetings'
import { PlanImportError, decodePlanFile, detectKind, parsePlan, type ParsedPlan } from '@coord/plan-import'
import { fail } from '../domain-errors.ts'

/**
 * A resolution the minutes text suggests, for the secretariat to confirm (AdoptResolution) or
 * edit first. `item` is its number in the minutes (一, 二.(一)…); `warnings` say what must be
 * filled in before it can be adopted as it stands.
 */
export interface ResolutionProposal {
  item: string
  text: string
  effect: Omit<AssignWorkEffect, 'taskId'>
  warnings: string[]
}

/**
 * One assign-work proposal per numbered decision (议定事项) of the minutes, with the leads and
 * partners the prose names. The importer reads no deadline for a decision, so each is null.
 */
export function proposeResolutions(parsed: ParsedPlan, planId: string): ResolutionProposal[] {
  return parsed.tasks.map((task) => {
    const leads = [...task.leads]
    const partners = task.partners.filter((bureau) => !leads.includes(bureau))
    const warnings: string[] = []
    if (leads.length === 0) {
      warnings.push(
        partners.length === 0
          ? 'the minutes name no bureau: add a lead, or record it as a position (record-position)'
          : 'the minutes name no lead bureau: choose one before adopting',
      )
    }
    const effect = {
      kind: 'assign-work' as const,
      planId,
      title: task.title,
      leads,
      partners,
      deadline: null,
    }
    return { item: task.id, text: task.title, effect, warnings }
  })
}

/** What the minutes say about themselves, to prefill IssueMinutes. */
export interface MinutesHeader {
  title: string
  minutesNumber: string | null
  issuedOn: string | null
}

/**
 * Decodes and reads a minutes file (UTF-8, UTF-16 or GBK). Refuses a document that is no minutes
 * and passes the importer's own refusals on as `IMPORT_<code>` with the importer's status.
 */
export function readMinutes(bytes: Uint8Array): { parsed: ParsedPlan; header: MinutesHeader } {
  try {
    const text = decodePlanFile(bytes)
    const kind = detectKind(text)
    if (kind !== 'minutes')
      throw fail('NOT_MINUTES', `its title '${titleOf(text)}' names no 纪要 or 议定事项`)
    const parsed = parsePlan(text)
    return {
      parsed,
      header: { title: parsed.title, minutesNumber: parsed.docNumber, issuedOn: parsed.issueDate },
    }
  } catch (error) {
    if (error instanceof PlanImportError) {
      throw new DomainError(`IMPORT_${error.code}`, error.message, error.status, { line: error.line })
    }
    throw error
  }
}

/** The document's first line that holds text, shortened for a message. */
function titleOf(text: string): string {
  const line =
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  return line.length > 40 ? `${line.slice(0, 40)}…` : line
}
