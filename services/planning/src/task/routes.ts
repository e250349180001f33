import type { EventStore } from '@coord/eventstore'
import { maxTaskIdLength, taskStreamId } from '@coord/events'
import { planningErrors, taskDecider, type TaskCommand } from '../domain.ts'
import { eventsFor } from './redaction.ts'
import {
  Type,
  commandBody,
  commandData,
  commandResult,
  kitErrors,
  readAggregate,
  requireRole,
  runCommand,
  type TSchema,
  type TypedApp,
} from '@coord/service-kit'

const writers = requireRole('planner', 'secretariat', 'supervisor', 'bureau')
const readers = requireRole('planner', 'secretariat', 'supervisor', 'bureau', 'auditor')

const day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a calendar day, YYYY-MM-DD' })
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
const bureauIds = Type.Array(text(100), { maxItems: 50 })
const evidence = Type.Array(
  Type.Object({ name: text(200), ref: text(500) }, { additionalProperties: false }),
  { maxItems: 50 },
)
const reason = { reason: text(2000) }

// Plan ids become stream ids: no '/', which separates a task's plan from its number.
const pathPlanId = Type.String({ pattern: '^[^/]{1,64}$' })
// Task ids as long as any the platform creates (a resolution's default id included), and no longer.
const taskId = text(maxTaskIdLength)
const params = Type.Object({ planId: pathPlanId, taskId }, { additionalProperties: false })

/** One route per task command: its path under the task, its body, and the command it sends. */
const taskCommands: { path: string; type: TaskCommand['type']; summary: string; body: TSchema }[] = [
  {
    path: 'assign',
    type: 'AssignTask',
    summary: 'Assign lead (牵头) and partner (配合) bureaus; replaces the current assignment',
    body: commandBody({
      leads: bureauIds,
      partners: Type.Optional(bureauIds),
      cause: Type.Optional(
        Type.Object(
          {
            kind: Type.Union([
              Type.Literal('reorganisation'),
              Type.Literal('resolution'),
              Type.Literal('plan'),
            ]),
            id: text(100),
          },
          { additionalProperties: false },
        ),
      ),
    }),
  },
  {
    path: 'acknowledge',
    type: 'AcknowledgeTask',
    summary: 'A lead bureau signs for the task (签收)',
    body: commandBody({}),
  },
  {
    path: 'deadline',
    type: 'SetDeadline',
    summary: 'Set the first deadline',
    body: commandBody({ deadline: day }),
  },
  {
    path: 'deadline-change',
    type: 'ChangeDeadline',
    summary: 'Move the deadline, with a reason',
    body: commandBody({ deadline: day, ...reason }),
  },
  {
    path: 'progress',
    type: 'ReportProgress',
    summary: 'A responsible bureau reports progress (进展) with evidence',
    body: commandBody({
      percent: Type.Number({ minimum: 0, maximum: 100 }),
      narrative: text(10_000),
      evidence: Type.Optional(evidence),
    }),
  },
  {
    path: 'completion',
    type: 'SubmitCompletion',
    summary: 'The lead bureau submits the task as done (办结)',
    body: commandBody({ summary: text(10_000), evidence: Type.Optional(evidence) }),
  },
  {
    path: 'verify',
    type: 'VerifyCompletion',
    summary: 'Supervision verifies the completion',
    body: commandBody({ note: Type.Optional(Type.String({ maxLength: 2000 })) }),
  },
  {
    path: 'reject',
    type: 'RejectCompletion',
    summary: 'Supervision rejects the completion, with a reason',
    body: commandBody(reason),
  },
  { path: 'close', type: 'CloseTask', summary: 'Close out a verified task (销号)', body: commandBody({}) },
  {
    path: 'suspend',
    type: 'SuspendTask',
    summary: 'Suspend the task, with a reason',
    body: commandBody(reason),
  },
  {
    path: 'resume',
    type: 'ResumeTask',
    summary: 'Resume a suspended task, with a reason',
    body: commandBody(reason),
  },
  {
    path: 'cancel',
    type: 'CancelTask',
    summary: 'Cancel the task, with a reason',
    body: commandBody(reason),
  },
]

const defaults: Partial<Record<TaskCommand['type'], Record<string, unknown>>> = {
  AssignTask: { partners: [] },
  ReportProgress: { evidence: [] },
  SubmitCompletion: { evidence: [] },
}

const publishBody = commandBody({
  taskId,
  title: text(500),
  sectionPath: Type.Optional(Type.Array(text(20), { maxItems: 10 })),
  basis: Type.Optional(
    Type.Union([
      Type.Object(
        { kind: Type.Literal('plan-clause'), planId: text(64), clause: text(64) },
        { additionalProperties: false },
      ),
      Type.Object(
        { kind: Type.Literal('resolution'), meetingId: text(100), resolutionId: text(100) },
        { additionalProperties: false },
      ),
    ]),
  ),
})

export function taskRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '/plans/:planId/tasks',
    {
      preValidation: writers,
      schema: {
        tags: ['tasks'],
        summary: 'Publish a task of the plan (basis: a plan clause or a resolution)',
        params: Type.Object({ planId: pathPlanId }, { additionalProperties: false }),
        body: publishBody,
        response: { 200: commandResult },
      },
    },
    async (request) => {
      const { planId } = request.params
      const data = commandData(request.body)
      const basis = data.basis ?? { kind: 'plan-clause' as const, planId, clause: data.taskId }
      return runCommand(store, request, taskStreamId(planId, data.taskId), taskDecider, {
        type: 'PublishTask',
        data: { planId, taskId: data.taskId, title: data.title, sectionPath: data.sectionPath ?? [], basis },
      })
    },
  )

  for (const route of taskCommands) {
    app.post(
      `/plans/:planId/tasks/:taskId/${route.path}`,
      {
        preValidation: writers,
        schema: {
          tags: ['tasks'],
          summary: route.summary,
          params,
          body: route.body,
          response: { 200: commandResult },
        },
      },
      async (request) => {
        const { planId, taskId } = request.params
        const data = { ...defaults[route.type], ...commandData(request.body as Record<string, unknown>) }
        return runCommand(store, request, taskStreamId(planId, taskId), taskDecider, {
          type: route.type,
          data,
        })
      },
    )
  }

  app.get(
    '/plans/:planId/tasks/:taskId',
    {
      preValidation: readers,
      schema: { tags: ['tasks'], summary: 'The task as its events leave it', params },
    },
    async (request) => {
      const { planId, taskId } = request.params
      return readAggregate(store, taskStreamId(planId, taskId), taskDecider, () =>
        planningErrors.make('TASK_NOT_FOUND', `${planId} ${taskId}`),
      )
    },
  )

  app.get(
    '/plans/:planId/tasks/:taskId/events',
    {
      preValidation: readers,
      schema: {
        tags: ['tasks'],
        summary: "The task's events, oldest first",
        description:
          "Progress narratives and evidence, completion summaries, verification notes and rejection reasons are withheld (and named in the event's `redacted`) unless the reader is a bureau that leads or partners on the task, the supervision office or an auditor.",
        params,
      },
    },
    async (request) => {
      const { planId, taskId } = request.params
      if (request.actor === null) throw kitErrors.make('UNAUTHORIZED')
      const events = []
      for await (const event of store.readStream(taskStreamId(planId, taskId))) events.push(event)
      return { streamId: taskStreamId(planId, taskId), events: eventsFor(request.actor, events) }
    },
  )
}
