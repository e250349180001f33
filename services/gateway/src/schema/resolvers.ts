import type { Readable } from 'node:stream'
import type { ReadModels, TaskView } from '@coord/projector'
import type { GatewayContext } from '../access/enforce.ts'
import { concerns } from '../access/enforce.ts'
import { gatewayErrors } from '../errors.ts'
import { resolutionKey } from '../loaders/loaders.ts'
import type { AttendanceView, MeetingNode, ResolutionView } from '../loaders/views.ts'
import { taskEventsTopic, type TaskEventPayload } from '../subscriptions/feed.ts'
import type { SocketSession } from '../subscriptions/session.ts'

/** A resolver map: type name to field name to resolver (or `{ subscribe, resolve }` on Subscription). */
export type Resolvers = Record<string, Record<string, unknown>>

type Args = Record<string, unknown>
type Context = GatewayContext & {
  today: string
  /** On a subscription: mercurius' subscription context, its id and the connection's session. */
  pubsub?: { subscribe(topic: string): Promise<Readable> }
  id?: string | number
  session?: SocketSession
}

/** What the accountability query answers; `asOf` and `position` come with time travel. */
type AccountabilityAnswer = Awaited<ReturnType<ReadModels['bureauAccountability']>> & {
  asOf?: string | null
  position?: number | null
}

const byStatus = (parent: { byStatus: Record<string, number> }) =>
  Object.entries(parent.byStatus).map(([status, count]) => ({ status, count }))

const day = /^\d{4}-\d{2}-\d{2}$/

/** The day a query names, or the request's today; a malformed day is the client's mistake. */
function dayOf(value: unknown, context: Context, name: string): string {
  if (value === undefined || value === null) return context.today
  const text = typeof value === 'string' ? value : ''
  const parsed = Date.parse(`${text}T00:00:00Z`)
  if (!day.test(text) || !Number.isFinite(parsed) || new Date(parsed).toISOString().slice(0, 10) !== text) {
    throw gatewayErrors.make('BAD_USER_INPUT', `${name} must be a day YYYY-MM-DD`)
  }
  return text
}

const optional = <K extends string>(name: K, value: unknown): Partial<Record<K, string>> =>
  typeof value === 'string' ? ({ [name]: value } as Record<K, string>) : {}

function page(args: Args) {
  return {
    limit: typeof args.first === 'number' ? args.first : 50,
    ...(typeof args.before === 'number' ? { before: args.before } : {}),
  }
}

/** The summary `ReadModels.meetings()` answers, as a meeting node. */
function summaryNode(
  summary: Awaited<ReturnType<ReadModels['meetings']>>[number],
  today: string,
): MeetingNode {
  const { attendance, resolutions, ...rest } = summary
  return { ...rest, attendanceCounts: attendance, resolutionCount: resolutions, today }
}

/** The detail `ReadModels.meeting()` answers, as a meeting node carrying its lists. */
function detailNode(detail: NonNullable<Awaited<ReturnType<ReadModels['meeting']>>>): MeetingNode {
  const attendance: AttendanceView[] = detail.attendance
  const count = (status: string) => attendance.filter((row) => row.status === status).length
  return {
    meetingId: detail.meetingId,
    session: detail.session,
    date: detail.date,
    convener: detail.convener,
    agenda: detail.agenda,
    status: detail.status,
    minutes: detail.minutes,
    closedAt: detail.closedAt,
    attendanceCounts: { present: count('present'), absent: count('absent'), delegated: count('delegated') },
    resolutionCount: detail.resolutions.length,
    today: detail.today,
    attendance,
    resolutions: detail.resolutions as ResolutionView[],
  }
}

const bureausOf = (ids: readonly string[], context: Context) =>
  Promise.all(ids.map((id) => context.loaders.bureau.load(id)))

/** Resolvers over `ReadModels` for the root fields and the loaders for what list items link to. */
export function resolvers(models: ReadModels): Resolvers {
  return {
    Query: {
      bureauAccountability: async (_: unknown, args: Args) => {
        const options: { today?: string; asOf?: string } = {
          ...optional('today', args.today),
          ...optional('asOf', args.asOf),
        }
        const view: AccountabilityAnswer = await models.bureauAccountability(String(args.bureauId), options)
        return { ...view, asOf: view.asOf ?? null, position: view.position ?? null }
      },
      planTree: (_: unknown, args: Args) =>
        models.planTree(String(args.planId), optional('today', args.today)),
      meetings: async (_: unknown, args: Args, context: Context) => {
        const today = dayOf(args.today, context, 'today')
        return (await models.meetings()).map((summary) => summaryNode(summary, today))
      },
      meeting: async (_: unknown, args: Args) => {
        const detail = await models.meeting(String(args.meetingId), optional('today', args.today))
        return detail ? detailNode(detail) : null
      },
      responsibilities: (_: unknown, args: Args) =>
        models.responsibilities(String(args.bureauId), optional('asOf', args.asOf)),
      bureauTimeline: (_: unknown, args: Args) =>
        models.timeline({ bureauId: String(args.bureauId), ...page(args) }),
      taskTimeline: (_: unknown, args: Args) =>
        models.timeline({ planId: String(args.planId), taskId: String(args.taskId), ...page(args) }),
      planTimeline: (_: unknown, args: Args) =>
        models.timeline({ planId: String(args.planId), ...page(args) }),
      meetingTimeline: (_: unknown, args: Args) =>
        models.timeline({ meetingId: String(args.meetingId), ...page(args) }),
    },
    Subscription: {
      taskEvents: {
        subscribe: async (_: unknown, args: Args, context: Context) => {
          if (!context.pubsub) throw new Error('subscriptions are not enabled')
          const queue = await context.pubsub.subscribe(taskEventsTopic(String(args.bureauId)))
          // Two subscribes with one id, both past the checks before either started: refuse the second.
          const id = String(context.id)
          if (context.session && !context.session.hold(id, queue)) {
            throw gatewayErrors.make('BAD_USER_INPUT', `Subscriber for ${id} already exists`)
          }
          return queue
        },
        resolve: (payload: { taskEvents: TaskEventPayload }) => payload.taskEvents,
      },
    },
    AccountabilityView: {
      bureau: (parent: { bureauId: string }, _: Args, context: Context) =>
        context.loaders.bureau.load(parent.bureauId),
    },
    AccountabilityCounts: { byStatus },
    Rollup: { byStatus },
    AccountableTask: { task: (parent: TaskView) => parent },
    Task: {
      plan: (parent: TaskView, _: Args, context: Context) => context.loaders.plan.load(parent.planId),
      leadBureaus: (parent: TaskView, _: Args, context: Context) => bureausOf(parent.leads, context),
      partnerBureaus: (parent: TaskView, _: Args, context: Context) => bureausOf(parent.partners, context),
      // The report is restricted like the task: it carries the bureaus the task concerns.
      lastProgress: (parent: TaskView) =>
        parent.lastProgress
          ? Object.assign({ [concerns]: [...parent.leads, ...parent.partners] }, parent.lastProgress)
          : null,
      restricted: (parent: Partial<TaskView>) => parent.restricted ?? null,
    },
    TaskBasis: {
      __resolveType: (basis: { kind: string }) =>
        basis.kind === 'resolution' ? 'ResolutionBasis' : 'PlanClauseBasis',
    },
    ResolutionBasis: {
      meeting: (parent: { meetingId: string | null }, _: Args, context: Context) =>
        parent.meetingId === null ? null : context.loaders.meeting.load(parent.meetingId),
    },
    Target: {
      reportingBureaus: (parent: { reportingBureauIds: string[] }, _: Args, context: Context) =>
        bureausOf(parent.reportingBureauIds, context),
    },
    JointMeeting: {
      attendance: (parent: MeetingNode, _: Args, context: Context) =>
        parent.attendance ?? context.loaders.attendance.load(parent.meetingId),
      resolutions: (parent: MeetingNode, _: Args, context: Context) =>
        parent.resolutions ?? context.loaders.resolutions.load(resolutionKey(parent.meetingId, parent.today)),
    },
    Attendance: {
      bureau: (parent: AttendanceView, _: Args, context: Context) =>
        context.loaders.bureau.load(parent.bureauId),
    },
    Resolution: {
      effectKind: (parent: ResolutionView) => parent.effect.kind,
    },
  }
}
