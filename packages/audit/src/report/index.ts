export { annualReview, YearReview } from './annual-review.ts'
export { cstDay, daysBetween, reviewYearEnd, yearPrefix } from './review-calendar.ts'
export type {
  Acknowledgment,
  AnnualReview,
  BureauAnnualReview,
  DueOutcome,
  DutyMove,
  Figure,
  ImplementationStatus,
  ProgressItem,
  RejectionItem,
  ResolutionItem,
  ReviewEvent,
  TargetItem,
  TaskDue,
} from './review-types.ts'
export {
  escapeHtml,
  renderReviewHtml,
  signHeadOver,
  signedAnnualReview,
  SignedYearReview,
  type ReviewDocument,
} from './document.ts'
