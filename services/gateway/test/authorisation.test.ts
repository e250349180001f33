import t from 'tap'
import {
  getNamedType,
  isObjectType,
  isUnionType,
  parse,
  subscribe,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql'
import {
  accessRules,
  concerns,
  createLoaders,
  gatewaySchema,
  taskEventsTopic,
  type Policy,
} from '../src/index.ts'
import { own, planId, recordHistory, taskId } from './fixtures/history.ts'
import { scenarioLeaves } from '../../../packages/audit/test/review-scenario.ts'
import { actors, everyone, gatewayHarness, type Who } from './helpers.ts'

// Generated from the built schema: every field of every object type is read by every role, the
// bureau the data concerns and a foreign bureau, and must be allowed or refused exactly as its
// policy says. A field without a policy fails here (and the schema refuses to build).

function reviewHistory() {
  const leaves = scenarioLeaves()
  return {
    async *readAll() {
      yield* leaves
    },
  }
}

/** Who each policy lets read, for data of `own` (the fixtures' bureau). */
const expected: Record<Policy, readonly Who[]> = {
  everyone,
  ownBureau: everyone.filter((who) => who !== 'foreign'),
  taskBureau: everyone.filter((who) => who !== 'foreign'),
  oversight: ['supervisor', 'auditor'],
  restricted: ['supervisor', 'auditor', 'bureau'],
}

/** Arguments of each root field, naming `own`'s data. */
const rootArguments: Record<string, string> = {
  bureauAccountability: `(bureauId: "${own}")`,
  planTree: `(planId: "${planId}")`,
  meetings: '',
  meeting: '(meetingId: "m1")',
  responsibilities: `(bureauId: "${own}", asOf: "2018-07-01")`,
  bureauTimeline: `(bureauId: "${own}")`,
  taskTimeline: `(planId: "${planId}", taskId: "${taskId}")`,
  planTimeline: `(planId: "${planId}")`,
  meetingTimeline: '(meetingId: "m1")',
  treeHeads: '',
  latestTreeHead: '',
  inclusionProof: '(position: 1, treeSize: 2)',
  consistencyProof: '(from: 1, to: 2)',
  annualReview: '(year: 2025)',
}

// The annual review reads a year in which every kind of figure occurs (packages/audit's scenario).
const h = await gatewayHarness(t, { notary: true, deps: { history: reviewHistory() } })
await recordHistory(h.append)
await h.caughtUp()
// The audit fields answer from a notary that has logged the history and signed a head over it.
await h.notary?.waitFor(await h.store.headPosition())
await h.notary?.signTreeHead()
// The schema the gateway serves, built the same way (SDL, resolvers, access rules).
const schema = gatewaySchema(h.models)

/**
 * The policy each field must have, stated here apart from the rules the gateway enforces: the
 * restricted texts, the views of one bureau, one bureau's tasks; everything else is public.
 */
const mustBe: Record<string, Policy> = {
  'Query.bureauAccountability': 'ownBureau',
  'Query.bureauTimeline': 'ownBureau',
  'Subscription.taskEvents': 'ownBureau',
  'Query.taskTimeline': 'taskBureau',
  'Query.annualReview': 'oversight',
  'Task.restricted': 'restricted',
  'Progress.narrative': 'restricted',
  'Progress.evidence': 'restricted',
  'TaskEvent.data': 'restricted',
}

const policyOf = (type: string, field: string): Policy | undefined => accessRules[type]?.[field]
const allowed = (who: Who, type: string, field: string) =>
  expected[mustBe[`${type}.${field}`] ?? 'everyone'].includes(who)

/** One step of a path from the root: a field of `type`, entered as `on` when `type` is a union's member. */
interface Step {
  type: string
  field: string
  union: boolean
}

/** A way to an object type from Query; `union` when the type is entered as a union's member. */
interface Route {
  path: Step[]
  union: boolean
}

/** Routes from Query to each object type, shortest first, a few per type. */
function pathsTo(schema: GraphQLSchema): Map<string, Route[]> {
  const found = new Map<string, Route[]>()
  const query = schema.getQueryType()
  if (!query) throw new Error('no Query type')
  let frontier: { type: GraphQLObjectType; path: Step[]; union: boolean }[] = [
    { type: query, path: [], union: false },
  ]
  while (frontier.length > 0) {
    const next: typeof frontier = []
    for (const { type, path, union } of frontier) {
      const known = found.get(type.name) ?? []
      if (known.length >= 6) continue
      found.set(type.name, [...known, { path, union }])
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type)
        const members = isUnionType(target) ? target.getTypes() : isObjectType(target) ? [target] : []
        for (const member of members) {
          next.push({
            type: member,
            path: [...path, { type: type.name, field: field.name, union }],
            union: isUnionType(target),
          })
        }
      }
    }
    frontier = next.filter((entry) => entry.path.length <= 8)
  }
  return found
}

/** A document selecting every field of the path's last type, each composite one with `__typename`. */
function documentFor(path: Step[], type: GraphQLObjectType, unionTail: boolean): string {
  const leafs = Object.values(type.getFields())
    .map((field: GraphQLField<unknown, unknown>) => {
      const named = getNamedType(field.type)
      return isObjectType(named) || isUnionType(named) ? `${field.name} { __typename }` : field.name
    })
    .join(' ')
  let inner = unionTail ? `... on ${type.name} { __typename ${leafs} }` : `__typename ${leafs}`
  for (let i = path.length - 1; i >= 0; i--) {
    const step = path[i] as Step
    const args = i === 0 ? (rootArguments[step.field] ?? '') : ''
    const selection = `${step.field}${args} { ${inner} }`
    inner = step.union ? `... on ${step.type} { ${selection} }` : selection
  }
  return `{ ${inner} }`
}

/** The objects of `typeName` at the end of the path in the answer. */
function objectsAt(data: unknown, path: Step[], typeName: string): Record<string, unknown>[] {
  let level: unknown[] = [data]
  for (const step of path) {
    level = level.flatMap((value) => {
      if (value === null || typeof value !== 'object') return []
      const child = (value as Record<string, unknown>)[step.field]
      return Array.isArray(child) ? (child as unknown[]) : [child]
    })
  }
  return level.filter(
    (value): value is Record<string, unknown> =>
      value !== null &&
      typeof value === 'object' &&
      (value as { __typename?: unknown }).__typename === typeName,
  )
}

t.test('every field of the schema has an access policy', async (t) => {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.keys(type.getFields())) {
      t.ok(policyOf(type.name, field), `${type.name}.${field} has a policy`)
    }
  }
  for (const field of Object.keys(schema.getQueryType()?.getFields() ?? {})) {
    t.ok(field in rootArguments, `the matrix knows the arguments of Query.${field}`)
  }
})

const paths = pathsTo(schema)

for (const who of everyone) {
  t.test(`every field reached from Query is allowed or refused for ${who} as its policy says`, async (t) => {
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getSubscriptionType()) continue
      if (type.name === 'TaskEvent' || type.name === 'Query') continue
      const candidates = (paths.get(type.name) ?? []).filter(({ path }) =>
        path.every((step) => allowed(who, step.type, step.field)),
      )
      let checked = false
      for (const { path, union } of candidates) {
        const { body } = await h.query(who, documentFor(path, type, union))
        const objects = objectsAt(body.data, path, type.name)
        if (objects.length === 0) continue
        const denied = new Set(
          (body.errors ?? [])
            .filter((error) => error.extensions?.code === 'FORBIDDEN')
            .map((error) => (error.path ?? []).filter((part) => typeof part === 'string').join('.')),
        )
        const other = (body.errors ?? []).filter((error) => error.extensions?.code !== 'FORBIDDEN')
        t.same(other, [], `${type.name} via ${path.map((s) => s.field).join('.')}: no other errors`)
        const prefix = path.map((step) => step.field).join('.')
        for (const field of Object.keys(type.getFields())) {
          const refused = denied.has(`${prefix}.${field}`)
          if (allowed(who, type.name, field)) {
            t.ok(!refused && objects.some((object) => field in object), `${who} reads ${type.name}.${field}`)
          } else {
            t.ok(refused, `${who} is refused ${type.name}.${field}`)
          }
        }
        checked = true
        break
      }
      if (!checked) {
        // Only data behind a field the actor may not read is out of its reach; that field is checked itself.
        const behindRefusedRoot = (paths.get(type.name) ?? []).every(({ path }) =>
          path.some((step) => !allowed(who, step.type, step.field)),
        )
        t.ok(
          behindRefusedRoot,
          `${type.name} is reached for ${who}, or lies only behind a field it may not read`,
        )
      }
    }
    for (const [field, args] of Object.entries(rootArguments)) {
      const { status, body } = await h.query(who, `{ ${field}${args} { __typename } }`)
      const code = body.errors?.[0]?.extensions?.code
      if (allowed(who, 'Query', field)) t.equal(status, 200, `${who} reads Query.${field}`)
      else t.equal(code, 'FORBIDDEN', `${who} is refused Query.${field} (${status})`)
    }
  })
}

t.test('every field of a pushed task event is allowed or refused as its policy says', async (t) => {
  const type = schema.getType('TaskEvent') as GraphQLObjectType
  const payload = {
    position: 7,
    eventId: 'e-7',
    type: 'ProgressReported',
    streamId: `task-${planId}/${taskId}`,
    planId,
    taskId,
    revision: 5,
    occurredAt: '2018-01-10T02:00:00.000Z',
    recordedAt: '2018-01-10T02:00:01.000Z',
    actor: { role: 'bureau', bureauId: own, user: 'ip.staff' },
    bureauIds: [own, 'commerce'],
    summary: '进展',
    data: { percent: 60, narrative: '已起草备案制度' },
    [concerns]: [own, 'commerce'],
  }
  const fields = Object.values(type.getFields())
    .map((field) => (isObjectType(getNamedType(field.type)) ? `${field.name} { __typename }` : field.name))
    .join(' ')
  for (const who of everyone) {
    const topics: string[] = []
    const result = await subscribe({
      schema,
      document: parse(`subscription { taskEvents(bureauId: "${own}") { ${fields} } }`),
      contextValue: {
        actor: actors[who],
        loaders: createLoaders(h.db, () => '2018-06-01'),
        today: '2018-06-01',
        pubsub: {
          subscribe: (topic: string) => {
            topics.push(topic)
            return Promise.resolve(
              (async function* () {
                yield { taskEvents: payload }
              })(),
            )
          },
        },
      },
    })
    if (!allowed(who, 'Subscription', 'taskEvents')) {
      const errors = 'errors' in result ? result.errors : undefined
      t.equal(errors?.[0]?.extensions.code, 'FORBIDDEN', `${who} may not subscribe`)
      t.same(topics, [], 'nothing was subscribed to')
      continue
    }
    if (!(Symbol.asyncIterator in result)) throw new Error(`${who}: ${JSON.stringify(result)}`)
    t.same(topics, [taskEventsTopic(own)], `${who} listens to the bureau's topic`)
    const { value } = await result.next()
    await result.return?.()
    const event = value as {
      data: { taskEvents: Record<string, unknown> } | null
      errors?: { path: string[] }[]
    }
    const refused = new Set((event.errors ?? []).map((error) => error.path.at(-1)))
    for (const field of Object.keys(type.getFields())) {
      if (allowed(who, 'TaskEvent', field))
        t.ok(
          event.data?.taskEvents[field] !== undefined && !refused.has(field),
          `${who} reads TaskEvent.${field}`,
        )
      else t.ok(refused.has(field), `${who} is refused TaskEvent.${field}`)
    }
  }
})
