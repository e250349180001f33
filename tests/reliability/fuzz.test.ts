import fc from 'fast-check'
import t from 'tap'
import { bearer, platformInMemory, type Actor } from './support/platform.ts'
import { long, record } from './support/results.ts'
import { documentedRoutes, writes } from './support/routes.ts'

const runsPerRoute = long ? 300 : 25
const actors: Actor[] = [
  { role: 'planner', user: 'fuzz' },
  { role: 'secretariat', user: 'fuzz' },
  { role: 'supervisor', user: 'fuzz' },
  { role: 'bureau', bureauId: 'bench-b0', user: 'fuzz' },
]

/** Bodies a hostile or broken client sends: anything JSON, wrong types, huge strings, unknown fields. */
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string()))),
  fc.record({
    percent: fc.oneof(fc.double(), fc.string()),
    narrative: fc.string({ maxLength: 50 }),
    extra: fc.anything(),
  }),
  fc.constant({ narrative: 'x'.repeat(200_000), percent: 10 }),
  fc.constant({ text: '议定事项'.repeat(20_000), effect: { kind: 'record-position' } }),
)
const header = fc.oneof(
  fc.constant({}),
  fc.record({ 'idempotency-key': fc.string({ maxLength: 300 }) }),
  fc.record({
    'if-match': fc.oneof(fc.string(), fc.constant('"-1"'), fc.constant('"99999999999999999999"')),
  }),
  fc.record({
    'content-type': fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=latin1', ''),
  }),
)

t.test(
  'random, mistyped, huge and unknown-field requests to every command route: no 5xx, nothing written',
  async (t) => {
    const { app, store } = await platformInMemory(t)
    const routes = (await documentedRoutes(app)).filter(writes)
    t.ok(routes.length >= 30, `${routes.length} command routes`)
    let requests = 0
    let serverErrors = 0
    let writesSeen = 0
    for (const route of routes) {
      const failed = (error: unknown) => {
        throw new Error(`${route.method} ${route.url}: ${(error as Error).message}`)
      }
      await fc
        .assert(
          fc.asyncProperty(body, header, fc.constantFrom(...actors), async (payload, headers, actor) => {
            const head = await store.headPosition()
            const response = await app.inject({
              method: route.method,
              url: route.url,
              headers: { authorization: bearer(actor), 'content-type': 'application/json', ...headers },
              payload: JSON.stringify(payload),
            })
            requests++
            if (response.statusCode >= 500) serverErrors++
            const wrote = (await store.headPosition()) !== head
            if (wrote && response.statusCode >= 400) writesSeen++
            return response.statusCode < 500 && !(wrote && response.statusCode >= 400)
          }),
          { numRuns: runsPerRoute, seed: 20261125 },
        )
        .catch(failed)
    }
    t.equal(serverErrors, 0, 'no 5xx')
    t.equal(writesSeen, 0, 'no refused request wrote anything')
    record({
      row: 'HTTP fuzzing (fast-check) of every command route: random JSON, wrong types, huge strings, unknown fields, bad headers',
      figure: `${routes.length} routes, ${requests} requests: ${serverErrors} × 5xx, ${writesSeen} writes by refused requests`,
      failures: serverErrors + writesSeen,
    })
  },
)
