import { YearReview, type BureauAnnualReview, type ReviewEvent, type TargetItem } from '@coord/audit'
import type { AuditSource, TreeHeadView } from './audit.ts'
import { gatewayErrors } from './errors.ts'

/** The event log the annual review is folded from (an `EventStore` of @coord/eventstore fits). */
export interface HistorySource {
  readAll(): AsyncIterable<ReviewEvent>
}

/** A bureau's review as `BureauAnnualReview` serves it, with the log prefix and head it was computed against. */
export type BureauAnnualReviewView = BureauAnnualReview & {
  eventCount: number
  lastPosition: number
  yearEnd: string
  treeHead: TreeHeadView | null
  resolutions: BureauAnnualReview['resolutionItems']
  targets: (TargetItem & { latestValue: number | null; latestAsOf: string | null })[]
}

type Args = Record<string, unknown>

/**
 * `annualReview`: the review of a year computed from the event log (every event recorded before
 * the year end in China Standard Time). The tree head is a head the notary signed over exactly
 * that prefix (its year-end head), or null when it signed none. Without a history source the field
 * answers REVIEW_UNAVAILABLE.
 */
export function annualReviewQueries(history: HistorySource | undefined, audit: AuditSource | undefined) {
  return {
    annualReview: async (_: unknown, args: Args): Promise<BureauAnnualReviewView[]> => {
      if (!history) throw gatewayErrors.make('REVIEW_UNAVAILABLE')
      const year = Number(args.year)
      if (!Number.isSafeInteger(year) || year < 1900 || year > 9999) {
        throw gatewayErrors.make('BAD_USER_INPUT', 'year must be a year such as 2025')
      }
      const bureauId = typeof args.bureauId === 'string' ? args.bureauId : undefined
      // Folded as the log streams and read only up to the year end: the log is never held in memory.
      const folding = new YearReview(year)
      for await (const event of history.readAll()) if (!folding.take(event)) break
      const review = folding.review(bureauId === undefined ? {} : { bureauIds: [bureauId] })
      const heads = audit ? await audit.treeHeads() : []
      const treeHead =
        heads.find((head) => head.treeSize === review.eventCount && head.yearEnd === year) ??
        heads.find((head) => head.treeSize === review.eventCount) ??
        null
      const { eventCount, lastPosition, yearEnd } = review
      return review.bureaus.map((bureau) => ({
        ...bureau,
        eventCount,
        lastPosition,
        yearEnd,
        treeHead,
        resolutions: bureau.resolutionItems,
        targets: bureau.targetItems.map((target) => ({
          ...target,
          latestValue: target.latest?.value ?? null,
          latestAsOf: target.latest?.asOf ?? null,
        })),
      }))
    },
  }
}
