import type { EventStore } from '@coord/eventstore'
import { planStreamId } from '@coord/events'
import { planDecider, planningErrors } from '../domain.ts'
import {
  Type,
  base64Bytes,
  documentBodyLimit,
  commandBody,
  commandData,
  commandResult,
  kitErrors,
  readAggregate,
  requireRole,
  runCommand,
  type TypedApp,
} from '@coord/service-kit'
import { importPlanDocument } from './import.ts'

const readers = requireRole('planner', 'secretariat', 'supervisor', 'bureau', 'auditor')
const text = (maxLength: number) => Type.String({ minLength: 1, maxLength })
// Plan ids become stream ids: no '/', which separates a task's plan from its number.
const pathPlanId = Type.String({ pattern: '^[^/]{1,64}$' })
const planParams = Type.Object({ planId: pathPlanId }, { additionalProperties: false })
const planId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' })

const importBody = commandBody({
  text: Type.Optional(
    Type.String({ minLength: 1, maxLength: 700_000, description: 'the plan as UTF-8 text' }),
  ),
  contentBase64: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1_000_000,
      description: 'the file as published, any encoding (GBK too)',
    }),
  ),
  fileName: Type.Optional(text(255)),
  planId: Type.Optional(planId),
})

const headerChanges = Type.Object(
  {
    title: Type.Optional(text(500)),
    docNumber: Type.Optional(text(100)),
    issuer: Type.Optional(text(200)),
    issueDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    period: Type.Optional(
      Type.Object(
        { from: Type.String({ pattern: '^\\d{4}$' }), to: Type.String({ pattern: '^\\d{4}$' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)

const targetBody = commandBody({
  metric: text(200),
  text: text(1000),
  value: Type.Number(),
  unit: text(20),
  deadline: Type.Union([Type.String({ pattern: '^\\d{4}$' }), Type.Null()]),
  baseline: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  reportingBureauIds: Type.Optional(Type.Array(text(100), { maxItems: 100 })),
})

const measurementBody = commandBody({
  value: Type.Number(),
  asOf: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  bureauId: Type.Optional(text(100)),
})

export function planRoutes(app: TypedApp, store: EventStore): void {
  app.post(
    '/plans/import',
    {
      bodyLimit: documentBodyLimit,
      preValidation: requireRole('planner'),
      schema: {
        tags: ['plans'],
        summary: 'Import a plan from its published text: plan, targets and key tasks',
        body: importBody,
      },
    },
    async (request) => {
      const body = request.body
      if ((body.text === undefined) === (body.contentBase64 === undefined)) {
        throw kitErrors.make('BAD_REQUEST', 'give exactly one of text and contentBase64')
      }
      const bytes =
        body.text !== undefined
          ? Buffer.from(body.text, 'utf8')
          : base64Bytes(body.contentBase64 ?? '', 'contentBase64')
      return importPlanDocument(store, request, { bytes, fileName: body.fileName, planId: body.planId })
    },
  )

  const simple = [
    { path: 'issue', type: 'IssuePlan', summary: 'Put the imported plan in force', body: commandBody({}) },
    {
      path: 'amend',
      type: 'AmendPlan',
      summary: 'Amend the header, with a reason',
      body: commandBody({ reason: text(2000), changes: headerChanges }),
    },
    {
      path: 'goals',
      type: 'DefineGoal',
      summary: 'Define a goal (工作目标)',
      body: commandBody({ text: text(2000) }),
    },
    { path: 'targets', type: 'DefineTarget', summary: 'Define a target (指标)', body: targetBody },
  ] as const
  for (const route of simple) {
    app.post(
      `/plans/:planId/${route.path}`,
      {
        preValidation: requireRole('planner'),
        schema: {
          tags: ['plans'],
          summary: route.summary,
          params: planParams,
          body: route.body,
          response: { 200: commandResult },
        },
      },
      async (request) =>
        runCommand(store, request, planStreamId(request.params.planId), planDecider, {
          type: route.type,
          data: commandData(request.body as Record<string, unknown>),
        } as never),
    )
  }

  app.post(
    '/plans/:planId/targets/:targetId/measurements',
    {
      preValidation: requireRole('planner', 'bureau'),
      schema: {
        tags: ['plans'],
        summary: 'Report the value a target stood at (by the reporting bureau)',
        params: Type.Object({ planId: pathPlanId, targetId: text(20) }, { additionalProperties: false }),
        body: measurementBody,
        response: { 200: commandResult },
      },
    },
    async (request) =>
      runCommand(store, request, planStreamId(request.params.planId), planDecider, {
        type: 'ReportTargetMeasurement',
        data: {
          targetId: request.params.targetId,
          ...commandData(request.body),
        },
      }),
  )

  app.get(
    '/plans/:planId',
    {
      preValidation: readers,
      schema: { tags: ['plans'], summary: 'The plan as its events leave it', params: planParams },
    },
    async (request) =>
      readAggregate(store, planStreamId(request.params.planId), planDecider, () =>
        planningErrors.make('PLAN_NOT_FOUND', request.params.planId),
      ),
  )
}
