import type { DutyContent } from '@coord/events/responsibility'
import { covers, reachesOnOrAfter, type Span } from '../days.ts'
import { fail } from '../domain-errors.ts'
import type { DutyList, DutyVersion, ExistingList, Holding } from './duty-list.ts'

export function existingList(state: DutyList): ExistingList {
  if (state.status === 'none') throw fail('LIST_NOT_FOUND')
  return state
}

/**
 * The bureau must exist on the day a duty changes on its list. A duty that starts or comes back
 * on a list (`opens`) would stand there open-ended, so a bureau whose dissolution is recorded
 * takes none, whatever the day: its successors do.
 */
export function requireActive(bureau: Span | null, day: string, bureauId: string, opens = false): void {
  if (bureau === null) throw fail('BUREAU_NOT_FOUND', bureauId)
  if (!covers(bureau, day)) throw fail('BUREAU_NOT_ACTIVE', `${bureauId} on ${day}`)
  if (opens && bureau.until !== null)
    throw fail('BUREAU_NOT_ACTIVE', `${bureauId} is dissolved from ${bureau.until} and takes no new duties`)
}

/** A change may not take effect before the duty's latest version: history is appended to, not rewritten. */
export function requireInOrder(versions: readonly DutyVersion[], day: string, dutyId: string): void {
  const latest = versions.at(-1)
  if (latest !== undefined && day < latest.from)
    throw fail('EFFECTIVE_DATE_OUT_OF_ORDER', `${dutyId} changed with effect from ${latest.from}`)
}

/** A duty stands on one list at a time: no other list may hold it on `day` or later. */
export function requireNotElsewhere(
  list: { bureauId: string; listKind: string },
  elsewhere: readonly Holding[],
  dutyIds: readonly string[],
  day: string,
): void {
  for (const holding of elsewhere) {
    if (holding.bureauId === list.bureauId && holding.listKind === list.listKind) continue
    if (dutyIds.includes(holding.dutyId) && reachesOnOrAfter(holding, day)) {
      const where = `${holding.dutyId} is on ${holding.bureauId}'s ${holding.listKind} list from ${holding.from}`
      throw fail('DUTY_HELD_ELSEWHERE', where, { ...holding })
    }
  }
}

/** The duty's latest version, which must have it on the list. */
export function inForce(
  versions: readonly DutyVersion[],
  dutyId: string,
): { latest: DutyVersion; content: DutyContent } {
  const latest = versions.at(-1)
  if (latest === undefined) throw fail('DUTY_NOT_FOUND', dutyId)
  if (latest.content === null)
    throw fail('DUTY_NOT_IN_FORCE', `${dutyId} was ${latest.change} from ${latest.from}`)
  return { latest, content: latest.content }
}
