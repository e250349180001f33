// The counter app the command pipeline's tests run against: a tiny aggregate, a route that runs
// it through executeCommand, and one in-memory store for the test process.
import { DomainError, unreachable, type Command, type Decider, type DomainEvent } from '@coord/domain'
import { openEmbeddedStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import t from 'tap'
import {
  authPlugin,
  commandContext,
  createApp,
  executeCommand,
  expectedRevisionFrom,
  idempotencyFrom,
  requireRole,
  signToken,
} from '../src/index.ts'
import { testConfig } from './helpers.ts'

// A tiny counter aggregate: enough to exercise every path of the command pipeline.
type CounterCommand = Command<'Increment', { by: number }>
type CounterEvent = DomainEvent<'Incremented', { by: number; total: number }>
interface CounterState {
  total: number
}
export const counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: { total: 0 },
  decide(command, state) {
    switch (command.type) {
      case 'Increment':
        if (command.data.by < 0) throw new DomainError('NEGATIVE_INCREMENT', 'a counter only goes up', 422)
        if (command.data.by === 0) return []
        if (state.total + command.data.by > 1000)
          throw new DomainError('COUNTER_FULL', 'a counter stops at 1000', 422)
        return [{ type: 'Incremented', data: { by: command.data.by, total: state.total + command.data.by } }]
      default:
        return unreachable(command.type)
    }
  },
  evolve: (state, event) => ({ total: event.data.total }),
}

export const config = testConfig()
export const planner = `Bearer ${signToken(config, { role: 'planner', user: 'li.wei' })}`
export const otherPlanner = `Bearer ${signToken(config, { role: 'planner', user: 'wang.fang' })}`
export const bureau = `Bearer ${signToken(config, { role: 'bureau', bureauId: 'ip-office', user: 'zhang.min' })}`

export interface Body {
  by: number
  occurredAt?: string
  expectedRevision?: number
}

// One in-memory store for the file (opening PGlite takes seconds); each test uses its own streams.
export const store = await openEmbeddedStore()
t.teardown(() => store.close())

export async function setup(
  t: { teardown(fn: () => unknown): void },
  wrap: (store: EventStore) => EventStore = (s) => s,
) {
  const app = createApp({ config, logger: false })
  await app.register(authPlugin, { config })
  const schema = {
    body: {
      type: 'object',
      required: ['by'],
      additionalProperties: false,
      properties: {
        by: { type: 'integer' },
        occurredAt: { type: 'string' },
        expectedRevision: { type: 'integer' },
      },
    },
  }
  const wrapped = wrap(store)
  app.post<{ Params: { id: string }; Body: Body }>(
    '/counters/:id/increment',
    { schema, preValidation: requireRole('planner', 'bureau') },
    async (request) => {
      const context = commandContext(request, { occurredAt: request.body.occurredAt })
      // `replayed` is for the server's own bookkeeping; a client's retry gets the first answer as is.
      const { replayed: _replayed, ...answer } = await executeCommand({
        store: wrapped,
        streamId: `counter-${request.params.id}`,
        decider: counter,
        command: { type: 'Increment', data: { by: request.body.by }, metadata: context.metadata },
        expectedRevision: expectedRevisionFrom(request),
        idempotency: idempotencyFrom(request),
        buildMetadata: context.buildMetadata,
      })
      return answer
    },
  )
  t.teardown(() => app.close())
  await app.ready()
  const increment = (id: string, body: Body, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: `/counters/${id}/increment`,
      headers: { authorization: planner, ...headers },
      payload: body,
    })
  return { app, store, increment }
}

export async function events(store: EventStore, streamId: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = []
  for await (const event of store.readStream(streamId)) found.push(event)
  return found
}

/** An EventStore that forwards everything to `inner`; tests override one method. */
export function delegate(inner: EventStore): EventStore {
  return {
    adapter: inner.adapter,
    appendToStream: (...args) => inner.appendToStream(...args),
    readStream: (...args) => inner.readStream(...args),
    readAll: (...args) => inner.readAll(...args),
    streamState: (...args) => inner.streamState(...args),
    idempotentResult: (...args) => inner.idempotentResult(...args),
    headPosition: () => inner.headPosition(),
    subscribeToAll: (...args) => inner.subscribeToAll(...args),
    checkpoint: (...args) => inner.checkpoint(...args),
    saveCheckpoint: (...args) => inner.saveCheckpoint(...args),
    close: () => inner.close(),
  }
}
