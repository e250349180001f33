import t from 'tap'
import { planStreamId, taskStreamId } from '@coord/events'
import { EventStoreError, openEmbeddedStore } from '@coord/eventstore'
import { eventsOf, isError, newIds, openApi, paths, smallPlan, snapshot } from './harness.ts'

// POST /plans/import is all or nothing for what the client sent: a document that cannot be
// imported whole writes nothing, and a retry after a failure of the store mid-way completes it.

const store = await openEmbeddedStore()
t.teardown(() => store.close())
// The app's view of the store: an append to `failOn` fails once, as when the database goes away.
let failOn: string | null = null
const flaky = new Proxy(store, {
  get(target, property, receiver) {
    if (property === 'appendToStream') {
      return (streamId: string, ...rest: unknown[]) => {
        if (streamId !== failOn)
          return (target.appendToStream as (...a: unknown[]) => unknown)(streamId, ...rest)
        failOn = null
        return Promise.reject(new EventStoreError('STORE_UNAVAILABLE', 'connection reset'))
      }
    }
    const value: unknown = Reflect.get(target, property, receiver)
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
  },
})
const api = await openApi(t, flaky)

/** The small plan with its second key task numbered 1 again: a typo in the document. */
const misnumbered = smallPlan.replace('2．开展', '1．开展')

t.test(
  'a document numbering two key tasks alike is refused with 422 IMPORT_DUPLICATE_TASK_ID and writes nothing',
  async (t) => {
    const { planId } = newIds('dup')
    const before = await snapshot(store, planStreamId(planId))
    const refused = await api.post(paths.import, { body: { text: misnumbered, planId } })
    // The importer may find the mistake first (naming the lines) or the service (naming the titles).
    isError(t, refused, 422, 'IMPORT_DUPLICATE_TASK_ID', { message: /二\.1/ })
    t.same(await snapshot(store, planStreamId(planId)), before, 'nothing was written, anywhere')

    const corrected = await api.post(paths.import, { body: { text: smallPlan, planId } })
    t.equal(corrected.statusCode, 200, `the corrected document imports under the same id: ${corrected.body}`)
    t.match(corrected.json(), { planId, tasks: 2 })
  },
)

t.test('a document whose task id already holds a different task writes nothing', async (t) => {
  const { planId } = newIds('taken')
  const published = await api.post(paths.tasks(planId), {
    body: { taskId: '二.2', title: '另一项工作' },
  })
  t.equal(published.statusCode, 200, published.body)
  const before = await snapshot(store, planStreamId(planId))
  const refused = await api.post(paths.import, { body: { text: smallPlan, planId } })
  isError(t, refused, 409, 'TASK_ALREADY_PUBLISHED')
  t.same(
    await snapshot(store, planStreamId(planId)),
    before,
    'neither the plan nor the first task was written',
  )
  t.same(await eventsOf(store, taskStreamId(planId, '二.1')), [], 'the first task is not published')
})

t.test(
  'an import the store fails mid-way is completed by its retry under the same Idempotency-Key',
  async (t) => {
    const { planId } = newIds('retry')
    const headers = { 'idempotency-key': `import-${planId}` }
    failOn = taskStreamId(planId, '二.2')
    const failed = await api.post(paths.import, { body: { text: smallPlan, planId }, headers })
    t.equal(failed.statusCode, 503, failed.body)
    t.equal((await eventsOf(store, planStreamId(planId))).length, 2, 'the plan and its target were recorded')
    t.same(await eventsOf(store, taskStreamId(planId, '二.2')), [], 'the second task was not')

    const retried = await api.post(paths.import, { body: { text: smallPlan, planId }, headers })
    t.equal(retried.statusCode, 200, retried.body)
    t.match(retried.json(), { planId, tasks: 2, events: ['PlanImported', 'TargetDefined'] })
    const types = async (taskId: string) =>
      (await eventsOf(store, taskStreamId(planId, taskId))).map((event) => event.type)
    t.same(await types('二.1'), ['TaskPublished', 'TaskAssigned'], 'the first task, once')
    t.same(await types('二.2'), ['TaskPublished', 'TaskAssigned'], 'the second task, now')
    t.equal((await eventsOf(store, planStreamId(planId))).length, 2, 'the plan, once')
  },
)
