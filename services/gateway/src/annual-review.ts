import {
  reviewYearEnd,
  YearReview,
  type BureauAnnualReview,
  type ReviewEvent,
  type TargetItem,
} from '@coord/audit'
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

/** Years whose fold is kept; past this many, the one asked for longest ago is let go. */
const keptYears = 16

/** A year's fold is shared by calls that overlap only this long after the year end. */
const settledAfterMs = 24 * 3600 * 1000

/**
 * The review of each year folded from `history`. A year whose prefix is final is folded once and
 * kept: the reader met an event recorded after the year end, and recording time never goes back
 * as positions grow, so no later event can join that prefix. Any other year is folded again at
 * every call. Calls that overlap share one fold only for a year over by a day or more, when no
 * write a caller has waited for can still join it; a year in progress is folded for each call, so
 * a call that waited for its own write reads the log after that write.
 */
class YearReviews {
  /** Folds of years whose prefix is final, the one asked for longest ago first. */
  private readonly kept = new Map<number, YearReview>()
  private readonly underway = new Map<number, Promise<{ review: YearReview; final: boolean }>>()

  constructor(private readonly history: HistorySource) {}

  /** The fold of `year`, to read only: a kept one is shared by every later call. */
  async of(year: number): Promise<Pick<YearReview, 'review'>> {
    const kept = this.kept.get(year)
    if (kept) {
      this.kept.delete(year)
      this.kept.set(year, kept)
      return kept
    }
    if (Date.now() < reviewYearEnd(year) + settledAfterMs) return (await this.fold(year)).review
    let fold = this.underway.get(year)
    if (!fold) {
      fold = this.fold(year)
      this.underway.set(year, fold)
      fold
        .then(
          ({ review, final }) => final && this.keep(year, review),
          () => undefined,
        )
        .finally(() => this.underway.delete(year))
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

  private keep(year: number, review: YearReview): void {
    this.kept.set(year, review)
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= keptYears) break
      this.kept.delete(oldest)
    }
  }
}

/** The bureau a review is asked for (none: every bureau), held to the read models' rule for ids. */
function reviewedBureau(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string' && value !== '' && value.length <= 200) return value
  throw gatewayErrors.make('BAD_USER_INPUT', 'bureauId must be a non-empty string of at most 200 characters')
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
      const bureauId = reviewedBureau(args.bureauId)
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
