import { isPlanEventType, parsePlanningStreamId, type PlanEvent } from '@coord/events'
import type { RecordedEvent } from '@coord/eventstore'
import { planDecider, type Plan, type Target } from '@coord/planning/domain'
import type { SqlClient } from '../db.ts'
import type { Tables } from '../schema.ts'
import { json, type Concern } from './types.ts'

type PlanState = Exclude<Plan, { status: 'none' }>

/**
 * The plan model folds each plan stream with the planning service's `evolve` (so "the latest
 * measurement" means what it means there: the latest `asOf`, a late report of an older day does
 * not replace it) and keeps the header, sections, goals and one row per target.
 */
export async function projectPlan(tx: SqlClient, t: Tables, event: RecordedEvent): Promise<Concern | null> {
  const stream = parsePlanningStreamId(event.streamId)
  if (stream?.kind !== 'plan' || !isPlanEventType(event.type)) return null
  const [row] = await tx.query<{ state: PlanState; imported_at: string; issued_at: string | null }>(
    `select state, imported_at, issued_at from ${t.plan} where plan_id = $1`,
    [stream.planId],
  )
  const typed = { type: event.type, data: event.data } as PlanEvent
  const after = planDecider.evolve(row?.state ?? planDecider.initialState, typed)
  const concern: Concern = { bureauIds: bureausOf(typed), planId: stream.planId }
  if (after.status === 'none') return concern
  const at = event.metadata.occurredAt
  const importedAt = typed.type === 'PlanImported' ? at : (row?.imported_at ?? at)
  const issuedAt = typed.type === 'PlanIssued' ? at : (row?.issued_at ?? null)
  await writePlan(tx, t, event, stream.planId, after, importedAt, issuedAt)
  if (typed.type === 'TargetDefined' || typed.type === 'TargetMeasurementReported') {
    const ord = after.targets.findIndex((candidate) => candidate.targetId === typed.data.targetId)
    const target = after.targets[ord]
    if (target)
      await writeTarget(
        tx,
        t,
        event,
        stream.planId,
        { ...target, ord },
        typed.type === 'TargetMeasurementReported',
      )
  }
  return concern
}

function bureausOf(event: PlanEvent): string[] {
  if (event.type === 'TargetDefined') return [...event.data.reportingBureauIds]
  if (event.type === 'TargetMeasurementReported' && event.data.bureauId) return [event.data.bureauId]
  return []
}

async function writePlan(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  planId: string,
  plan: PlanState,
  importedAt: string,
  issuedAt: string | null,
): Promise<void> {
  await tx.query(
    `insert into ${t.plan} (plan_id, stream_id, status, title, doc_number, issuer, issue_date, period,
       sections, safeguards, source, goals, amendments, imported_at, issued_at, position, state)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11::jsonb, $12::jsonb, $13, $14,
       $15, $16, $17::jsonb)
     on conflict (plan_id) do update set status = excluded.status, title = excluded.title,
       doc_number = excluded.doc_number, issuer = excluded.issuer, issue_date = excluded.issue_date,
       period = excluded.period, sections = excluded.sections, safeguards = excluded.safeguards,
       source = excluded.source, goals = excluded.goals, amendments = excluded.amendments,
       imported_at = excluded.imported_at, issued_at = excluded.issued_at, position = excluded.position,
       state = excluded.state`,
    [
      planId,
      event.streamId,
      plan.status,
      plan.title,
      plan.docNumber,
      plan.issuer,
      plan.issueDate,
      json(plan.period),
      json(plan.sections),
      json(plan.safeguards),
      json(plan.source),
      json(plan.goals),
      plan.amendments,
      importedAt,
      issuedAt,
      event.position,
      json(plan),
    ],
  )
}

async function writeTarget(
  tx: SqlClient,
  t: Tables,
  event: RecordedEvent,
  planId: string,
  target: Target & { ord: number },
  measured: boolean,
): Promise<void> {
  const latest = target.latest
  await tx.query(
    `insert into ${t.target} (plan_id, target_id, ord, metric, text, baseline, value, unit, deadline,
       reporting_bureau_ids, latest_value, latest_as_of, latest_bureau_id, measurements, position)
     values ($1, $2, $15, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14)
     on conflict (plan_id, target_id) do update set ord = excluded.ord, metric = excluded.metric, text = excluded.text,
       baseline = excluded.baseline, value = excluded.value, unit = excluded.unit,
       deadline = excluded.deadline, reporting_bureau_ids = excluded.reporting_bureau_ids,
       latest_value = excluded.latest_value, latest_as_of = excluded.latest_as_of,
       latest_bureau_id = excluded.latest_bureau_id,
       measurements = ${t.target}.measurements + excluded.measurements, position = excluded.position`,
    [
      planId,
      target.targetId,
      target.metric,
      target.text,
      target.baseline,
      target.value,
      target.unit,
      target.deadline,
      json(target.reportingBureauIds),
      latest?.value ?? null,
      latest?.asOf ?? null,
      latest?.bureauId ?? null,
      measured ? 1 : 0,
      event.position,
      target.ord,
    ],
  )
}
