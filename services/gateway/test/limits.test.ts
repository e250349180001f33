import t from 'tap'
import { parse, validate, type GraphQLSchema } from 'graphql'
import type { ReadModels } from '@coord/projector'
import { defaultLimits, gatewaySchema, limitRules } from '../src/index.ts'

// The limit rules alone, on the built schema: what they answer, and how much work it takes.

const schema = gatewaySchema({} as ReadModels)

/** The codes the limit rules give `document`, and the schema lookups they made for it. */
function check(document: string, on: GraphQLSchema = schema) {
  let lookups = 0
  const getType = on.getType.bind(on)
  const counting = Object.create(on) as GraphQLSchema
  counting.getType = (name) => {
    lookups += 1
    return getType(name)
  }
  const codes = validate(counting, parse(document), limitRules(defaultLimits)).map(
    (error) => error.extensions.code,
  )
  return { codes, lookups }
}

/** `{ ...F1 }` where each fragment spreads the next twice: 2^(n-1) spreads once expanded. */
function chained(n: number, leaf = '__typename'): string {
  let fragments = ''
  for (let i = 1; i < n; i++) fragments += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`
  return `{ ...F1 }\nfragment F${n} on Query { ${leaf} }\n${fragments}`
}

t.test(
  'regression: 450 fragments each spreading the next twice are refused after measuring each once',
  async (t) => {
    const { codes, lookups } = check(chained(450))
    t.same(codes, ['QUERY_TOO_COSTLY'], 'it expands to 2^449 fields')
    t.ok(lookups <= 2 * 450, `each fragment's type looked up once (${lookups})`)
  },
)

t.test('a chain with nothing at its end is measured once too and passes', async (t) => {
  const { codes, lookups } = check(chained(450, '...Missing'))
  t.same(codes, [], 'nothing to resolve (the unknown fragment is the specified rules’ to report)')
  t.ok(lookups <= 2 * 450, `each fragment's type looked up once (${lookups})`)
})

t.test('fragments measure as their fields written in place', async (t) => {
  const inline = `{ meetings { resolutions { tasks { leadBureaus { nameZh } plan { title } } } } }`
  const spread = `{ meetings { ...M } }
    fragment M on JointMeeting { resolutions { ...R } }
    fragment R on Resolution { tasks { ...T } }
    fragment T on Task { leadBureaus { nameZh } ... on Task { plan { title } } }`
  t.same(check(inline).codes, check(spread).codes)
  const costly = `{ meetings { resolutions { tasks { leadBureaus { nameZh } partnerBureaus { nameZh } plan { title }
      basis { ... on ResolutionBasis { meeting { resolutions { tasks { leadBureaus { nameZh } } } } } } } } } }`
  t.same(check(costly).codes, ['QUERY_TOO_COSTLY'])
  const costlyBySpread = `{ meetings { resolutions { tasks { ...Links basis { ... on ResolutionBasis { meeting { ...Again } } } } } } }
    fragment Links on Task { leadBureaus { nameZh } partnerBureaus { nameZh } plan { title } }
    fragment Again on JointMeeting { resolutions { tasks { leadBureaus { nameZh } } } }`
  t.same(check(costlyBySpread).codes, ['QUERY_TOO_COSTLY'])
  const page = `query { planTimeline(planId: "p", first: 500) { ...Page } } fragment Page on TimelinePage { entries { actor { role } } }`
  t.same(check(page).codes, [], 'a page spread in a fragment keeps its size')
  const deep = `{ ...A } fragment A on Query { meetings { ...B } }
    fragment B on JointMeeting { resolutions { tasks { basis { ... on ResolutionBasis { meeting { ...C } } } } } }
    fragment C on JointMeeting { resolutions { tasks { basis { ... on ResolutionBasis { meeting { resolutions { resolutionId } } } } } } }`
  t.same(check(deep).codes, ['QUERY_TOO_DEEP'], 'depth counts across fragments')
})
