/**
 * Who may read what: one policy for every field of every type of the schema. `enforceAccess`
 * refuses to build a schema with a field this table does not name (or a rule for a field that no
 * longer exists), and the authorisation test walks the built schema and checks every field against
 * every role and a foreign bureau, so a field cannot be added without deciding who reads it.
 *
 * - `everyone`: any authenticated role (public plan data, meetings, responsibility lists).
 * - `ownBureau`: a bureau token only for its own `bureauId` argument; every other role for any.
 * - `taskBureau`: a bureau token only for a task (`planId`, `taskId` arguments) it leads or
 *   partners on; every other role for any.
 * - `oversight`: only the supervision office and auditors (the annual review of every bureau).
 * - `restricted`: only the bureaus the record concerns (leads and partners of the task), the
 *   supervision office and auditors: progress narratives and evidence, completion, rejection
 *   reasons, verification notes, raw event data.
 */
export type Policy = 'everyone' | 'ownBureau' | 'taskBureau' | 'oversight' | 'restricted'

export type AccessRules = Readonly<Record<string, Readonly<Record<string, Policy>>>>

const all = (fields: string): Record<string, Policy> =>
  Object.fromEntries(fields.split(/\s+/).map((field) => [field, 'everyone' as const]))

export const accessRules: AccessRules = {
  Query: {
    bureauAccountability: 'ownBureau',
    planTree: 'everyone',
    meetings: 'everyone',
    meeting: 'everyone',
    responsibilities: 'everyone',
    bureauTimeline: 'ownBureau',
    taskTimeline: 'taskBureau',
    planTimeline: 'everyone',
    meetingTimeline: 'everyone',
    // The audit log is public by design: tree heads are published, proofs reveal only hashes.
    treeHeads: 'everyone',
    latestTreeHead: 'everyone',
    inclusionProof: 'everyone',
    consistencyProof: 'everyone',
    annualReview: 'oversight',
  },
  // Reached only through annualReview, which only oversight roles may call.
  BureauAnnualReview:
    all(`year bureauId nameZh nameEn registered dissolvedOn eventCount lastPosition yearEnd treeHead
      tasksDue tasksOnTime tasksLate tasksOverdue tasksSuspended tasks acknowledgments
      averageAcknowledgmentDelayDays maxAcknowledgmentDelayDays progressReports completionsRejected
      resolutionsAssigned resolutionsDone resolutionsInProgress resolutionsOverdue resolutionsNotStarted
      resolutions targetsReported targetsAttained targets dutiesGained dutiesLost dutyMoves`),
  ReviewFigure: all('value positions'),
  ReviewTask: all('planId taskId title deadline outcome doneOn daysLate positions'),
  ReviewResolution: all('meetingId resolutionId text planId taskId status positions'),
  ReviewTarget: all('planId targetId metric unit value latestValue latestAsOf attainment positions'),
  ReviewDutyMove: all(
    'dutyId title direction fromBureauId toBureauId reorganisationId effectiveDate position',
  ),
  TreeHead: all('seq reason yearEnd treeSize rootHash timestamp keyId signature'),
  InclusionProof: all('position leafIndex treeSize leafHash rootHash auditPath'),
  ConsistencyProof: all('from to fromRoot toRoot proof'),
  Subscription: { taskEvents: 'ownBureau' },
  AccountabilityView: all('bureauId bureau today asOf position counts tasks'),
  AccountabilityCounts: all('total overdue lead partner byStatus'),
  StatusCount: all('status count'),
  AccountableTask: all('role acknowledgedAt task'),
  Task: {
    ...all(`streamId planId taskId title sectionPath plan basis status resumeTo statusReason leads partners
      leadBureaus partnerBureaus deadline daysOverdue acknowledged percent lastProgress publishedAt
      closedAt updatedAt position`),
    restricted: 'restricted',
  },
  PlanClauseBasis: all('clause'),
  ResolutionBasis: all('meetingId resolutionId meeting'),
  Acknowledgment: all('bureauId at'),
  Progress: { ...all('bureauId percent at'), narrative: 'restricted', evidence: 'restricted' },
  TaskRestricted: all('completion rejection verification'),
  Completion: all('bureauId summary evidence at'),
  Rejection: all('reason at'),
  Verification: all('note at'),
  Bureau: all('bureauId registered nameZh nameEn shortName kind status'),
  PlanHeader: all(
    'planId status title docNumber issuer issueDate period safeguards goals amendments importedAt issuedAt',
  ),
  Period: all('from to'),
  Goal: all('goalId text'),
  PlanTree: all('plan today progress sections tasks targets'),
  Rollup: all('total overdue byStatus percent'),
  Section: all('ordinal title progress tasks sections'),
  Target: all(
    'targetId metric text baseline value unit deadline reportingBureauIds reportingBureaus latest measurements attainment',
  ),
  Measurement: all('value asOf bureauId'),
  JointMeeting: all(
    'meetingId session date convener agenda status minutes closedAt attendanceCounts attendance resolutionCount resolutions',
  ),
  Minutes: all('minutesNumber issuedOn'),
  AttendanceCounts: all('present absent delegated'),
  Attendance: all('bureauId bureau status delegate recordedAt'),
  Resolution: all(
    'resolutionId version text effectKind effect reason supersededCount superseded adoptedAt correctedAt tasks implementationStatus',
  ),
  ResponsibilityList: all('bureauId asOf bureau duties scheduled history reorganisations'),
  BureauOnDay: all(
    'bureauId kind parentId registeredOn name names status dissolvedOn dissolvedBy successorIds',
  ),
  BureauName: all('nameZh nameEn shortName'),
  BureauNameVersion: all('nameZh nameEn shortName from reason reorganisationId'),
  DutiesInForce: all('power responsibility'),
  Duty: all(
    'listKind dutyId title category legalBasis effectiveFrom effectiveTo change counterpart reorganisationId reason ended',
  ),
  DutyEnd: all('by to reason'),
  Reorganisation: all(
    'reorganisationId type fromBureauIds intoBureauIds effectiveDate reason status steps refused decidedAt completedAt',
  ),
  TimelinePage: all('entries next'),
  TimelineEntry: all(
    'position type streamId occurredAt recordedAt actor planId taskId meetingId bureauIds summary',
  ),
  Actor: all('role bureauId user'),
  TaskEvent: {
    ...all(
      'position eventId type streamId planId taskId revision occurredAt recordedAt actor bureauIds summary',
    ),
    data: 'restricted',
  },
}
