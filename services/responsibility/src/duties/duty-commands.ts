import type { Command } from '@coord/domain'
import type { Duty, DutyContent, ListKind } from '@coord/events/responsibility'
import type { Span } from '../days.ts'
import type { Holding } from './duty-list.ts'

// Commands name what the planner wants done to a list, addressed by the list's stream. `facts` is
// what the edge read from other streams for the decision: the bureau's lifetime and where the
// duties named stand on other lists. The decider trusts them as it trusts the clock in `now`.

export interface ListFacts {
  /** The lifetime of the list's bureau; null when it is not registered. */
  bureau: Span | null
  /** Where the duties the command names stand on other bureaus' lists. */
  elsewhere: Holding[]
}

export type PublishList = Command<
  'PublishList',
  { bureauId: string; listKind: ListKind; effectiveDate: string; reason: string; duties: Duty[] }
> & { facts: ListFacts }

export type AddDuty = Command<'AddDuty', Duty & { effectiveDate: string; reason: string }> & {
  facts: ListFacts
}

export type AmendDuty = Command<
  'AmendDuty',
  { dutyId: string; changes: Partial<DutyContent>; effectiveDate: string; reason: string }
> & { facts: { bureau: Span | null } }

export type RevokeDuty = Command<'RevokeDuty', { dutyId: string; effectiveDate: string; reason: string }>

/** Takes the duty off this list; the edge then sends ReceiveDuty to the target's list. */
export type TransferDuty = Command<
  'TransferDuty',
  { dutyId: string; toBureauId: string; effectiveDate: string; reason: string; reorganisationId?: string }
> & { facts: { target: Span | null } }

export type ReceiveDuty = Command<
  'ReceiveDuty',
  {
    bureauId: string
    listKind: ListKind
    dutyId: string
    duty: DutyContent
    fromBureauId: string
    effectiveDate: string
    reason: string
    reorganisationId?: string
  }
> & { facts: ListFacts }

export type DutyListCommand = PublishList | AddDuty | AmendDuty | RevokeDuty | TransferDuty | ReceiveDuty
