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

/** Years whose review is kept once folded; past this many, the longest kept is let go. */
const keptYears = 16

/**
 * The review of each year folded from `history`. A year whose prefix is final is folded once and
 * kept: the reader met an event recorded after the year end, and recording time never goes back
 * as positions grow, so no later event can join that prefix. A year still open (the log ends
 * before its end) is folded again at every call. Calls for a year being folded share the fold.
 */
class YearReviews {
  private readonly folds = new Map<number, Promise<{ review: YearReview; final: boolean }>>()

  constructor(private readonly history: HistorySource) {}

  async of(year: number): Promise<YearReview> {
    let fold = this.folds.get(year)
    if (!fold) {
      fold = this.fold(year)
      this.folds.set(year, fold)
      const forget = () => void (this.folds.get(year) === fold && this.folds.delete(year))
      fold.then(({ final }) => (final ? this.trim() : forget()), forget)
    }
    return (await fold).review
  }

  /** Folded as the log streams and read only up to the year end: the log is never held in memory. */
  private async fold(year: number): Promise<{ review: YearReview; final: boolean }> {
    const review = new YearReview(year)
    for await (const event of this.history.readAll()) {
      if (!review.take(event)) return { review, final: true }
    }
    return { review, final: false }
  }

  private trim(): void {
    while (this.folds.size > keptYears) this.folds.delete(this.folds.keys().next().value as number)
  }
}

/**
 * `annualReview`: the review of a year computed from the event log (every event recorded before
 * the year end in China Standard Time). The tree head is a head the notary signed over exactly
 * that prefix (its year-end head), or null when it signed none. Without a history source the field
 * answers REVIEW_UNAVAILABLE.
 */
export function annualReviewQueries(history: HistorySource | undefined, audit: AuditSource | undefined) {
  const reviews = history ? new YearReviews(history) : undefined
  return {
    annualReview: async (_: unknown, args: Args): Promise<BureauAnnualReviewView[]> => {
      if (!reviews) throw gatewayErrors.make('REVIEW_UNAVAILABLE')
      const year = Number(args.year)
      if (!Number.isSafeInteger(year) || year < 1900 || year > 9999) {
        throw gatewayErrors.make('BAD_USER_INPUT', 'year must be a year such as 2025')
      }
      const bureauId = typeof args.bureauId === 'string' ? args.bureauId : undefined
      const folded = await reviews.of(year)
      const review = folded.review(bureauId === undefined ? {} : { bureauIds: [bureauId] })
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
