import t from 'tap'
import { parse } from 'graphql'
import { signToken } from '@coord/service-kit'
import { TopicPubSub, gatewayBodyLimit } from '../src/index.ts'
import { own, planId, recordHistory, taskId } from './fixtures/history.ts'
import { actors, config, gatewayHarness, tokenOf } from './helpers.ts'
import { TransportWsClient, type Message } from './support/ws-client.ts'

// How subscriptions over a real WebSocket end: completed, duplicated, refused by the limits or
// cut off when the token expires, each leaving no listener on the pubsub behind.

const pubsub = new TopicPubSub()
const h = await gatewayHarness(t, { deps: { pubsub } })
await recordHistory(h.append)
await h.caughtUp()
const base = await h.app.listen({ port: 0, host: '127.0.0.1' })
const url = `${base.replace('http', 'ws')}/graphql`
const subscription = `subscription { taskEvents(bureauId: "${own}") { type } }`

async function connected(token = tokenOf('bureau')): Promise<TransportWsClient> {
  const client = await TransportWsClient.open(url, { authorization: `Bearer ${token}` })
  t.teardown(() => client.close())
  await client.next((m) => m.type === 'connection_ack')
  return client
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `condition` holds (the server works on its own schedule); fails after 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('the condition never held')
    await sleep(20)
  }
}

const endOf = (id: string) => (m: Message) => m.id === id && (m.type === 'complete' || m.type === 'error')
const codeOf = (m: Message) => (m.payload as { extensions?: { code?: string } }[])[0]?.extensions?.code

t.afterEach(async () => {
  await until(() => pubsub.subscriptions === 0)
})

t.test(
  'regression: a subscription completed right after its subscribe leaves no listener behind',
  async (t) => {
    const client = await connected()
    for (const id of ['a', 'b', 'c']) {
      client.subscribe(id, subscription)
      client.send({ id, type: 'complete' })
      t.equal((await client.next(endOf(id))).type, 'complete', `${id} ended`)
    }
    t.equal(pubsub.subscriptions, 0, 'no listener while the socket stays open')
    client.subscribe('live', subscription)
    await until(() => pubsub.subscriptions === 1)
    await h.append(`task-${planId}/${taskId}`, ['TaskResumed', { reason: '复核' }, {}])
    t.match(await client.next((m) => m.type === 'next'), { id: 'live' }, 'only the live one hears an event')
    client.send({ id: 'live', type: 'complete' })
  },
)

t.test(
  'regression: a second subscribe with a running id closes the socket with 4409 and leaks nothing',
  async (t) => {
    const client = await connected()
    client.subscribe('dup', subscription)
    await until(() => pubsub.subscriptions === 1)
    client.subscribe('dup', `subscription { taskEvents(bureauId: "${own}") { type position } }`)
    t.equal(await client.closed, 4409)
    await until(() => pubsub.subscriptions === 0)
    t.pass('the first subscription ended with the socket')
  },
)

t.test('subscriptions pass the token limit and the other limits, refused with their codes', async (t) => {
  const client = await connected()
  client.subscribe('big', `subscription { taskEvents(bureauId: "${own}") { ${'type '.repeat(6000)} } }`)
  t.equal(codeOf(await client.next(endOf('big'))), 'QUERY_TOO_LARGE')
  const aliases = Array.from({ length: 51 }, (_, i) => `a${i}: type`).join(' ')
  client.subscribe('aliases', `subscription { taskEvents(bureauId: "${own}") { ${aliases} } }`)
  t.equal(codeOf(await client.next(endOf('aliases'))), 'TOO_MANY_ALIASES')
  client.subscribe('unknown', `subscription { taskEvents(bureauId: "${own}") { nope } }`)
  t.equal(codeOf(await client.next(endOf('unknown'))), 'BAD_USER_INPUT')
  t.equal(pubsub.subscriptions, 0)
})

t.test(
  'regression: a malformed message closes the socket with 4400 and a reason, logging no error',
  async (t) => {
    const errors = t.capture(h.app.log, 'error')
    const ast: unknown = JSON.parse(JSON.stringify(parse(subscription, { noLocation: true })))
    for (const [text, reason] of [
      ['null', /must be a JSON object/],
      ['[]', /must be a JSON object/],
      ['not json', /must be a JSON object/],
      ['{"id":"1"}', /type/],
      ['{"type":"start","id":"1"}', /type must be/],
      ['{"type":"connection_init","payload":5}', /payload/],
      ['{"type":"complete"}', /id/],
      ['{"type":"subscribe","payload":{"query":"subscription { __typename }"}}', /id/],
      ['{"id":"1","type":"subscribe","payload":null}', /payload/],
      ['{"id":"1","type":"subscribe","payload":{"query":5}}', /query/],
      [JSON.stringify({ id: 'ast', type: 'subscribe', payload: { query: ast } }), /query/],
      [
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: subscription, variables: [] } }),
        /variables/,
      ],
      [
        JSON.stringify({ id: '1', type: 'subscribe', payload: { query: subscription, operationName: 7 } }),
        /operationName/,
      ],
    ] as const) {
      const client = await connected()
      client.sendText(text)
      const stillOpen = sleep(5_000).then(() => ({ code: 0, reason: 'still open' }))
      const closed = await Promise.race([client.closedWith, stillOpen])
      t.equal(closed.code, 4400, text)
      t.match(closed.reason, reason, `${text}: ${closed.reason}`)
    }
    t.equal(pubsub.subscriptions, 0)
    t.same(errors(), [], 'a client’s mistake is no server error')
  },
)

t.test('regression: a complete for an id with no subscription is ignored', async (t) => {
  const errors = t.capture(h.app.log, 'error')
  const client = await connected()
  client.send({ id: 'zzz', type: 'complete' })
  // Refused before they start: no subscription runs on the socket yet.
  client.subscribe('broken', 'subscription {')
  client.send({ id: 'broken', type: 'complete' })
  client.subscribe('query', '{ __typename }')
  client.send({ id: 'query', type: 'complete' })
  t.equal((await client.next(endOf('broken'))).type, 'error')
  t.equal((await client.next(endOf('query'))).type, 'error')
  client.subscribe('after', subscription)
  await until(() => pubsub.subscriptions === 1)
  client.send({ id: 'zzz', type: 'complete' })
  client.send({ id: 'after', type: 'complete' })
  t.equal((await client.next(endOf('after'))).type, 'complete', 'the socket still works')
  client.send({ id: 'after', type: 'complete' })
  client.send({ type: 'ping' })
  t.match(await client.next((m) => m.type === 'pong'), { type: 'pong' }, 'and is still open')
  t.same(errors(), [], 'nothing logged at error level')
})

const shortLived = () => signToken(config, { ...actors.bureau, expiresIn: 2 })

t.test('when the token expires the socket closes with 4401 and its subscriptions end', async (t) => {
  const client = await connected(shortLived())
  client.subscribe('until-expiry', subscription)
  await until(() => pubsub.subscriptions === 1)
  t.equal(await client.closed, 4401)
  await until(() => pubsub.subscriptions === 0)
  t.pass('no listener after the expiry')
})

t.test('regression: a socket that never subscribes closes with 4401 when its token expires', async (t) => {
  const client = await connected(shortLived())
  // The token lives 2 s; a socket still open 10 s later was never closed.
  const stillOpen = sleep(10_000).then(() => 'still open')
  t.equal(await Promise.race([client.closed, stillOpen]), 4401)
  t.same(client.pending(), [], 'nothing but the acknowledgment came before the close')
})

t.test('a socket whose token has not expired stays open without subscribing', async (t) => {
  const client = await connected()
  await sleep(2_500)
  client.subscribe('later', subscription)
  await until(() => pubsub.subscriptions === 1)
  t.pass('subscribed after the time a short-lived token would have expired')
  client.send({ id: 'later', type: 'complete' })
})

t.test('a subscribe after the token expired is refused and closes the socket', async (t) => {
  const client = await connected(shortLived())
  await sleep(2_500)
  client.subscribe('late', subscription)
  t.equal(await client.closed, 4401)
  t.equal(pubsub.subscriptions, 0)
  t.same(
    client.pending().filter((m) => m.type === 'next'),
    [],
    'nothing was delivered',
  )
})

t.test('a WebSocket message over the HTTP body limit closes the socket (1009)', async (t) => {
  const client = await connected()
  const padding = ' '.repeat(gatewayBodyLimit)
  client.subscribe('big', `${subscription}${padding}`)
  t.equal(await client.closed, 1009, 'message too big')
  t.equal(pubsub.subscriptions, 0)
})

t.test('a WebSocket message just under the limit is read', async (t) => {
  const client = await connected()
  client.subscribe('padded', `${subscription}${' '.repeat(gatewayBodyLimit - 1024)}`)
  await until(() => pubsub.subscriptions === 1)
  client.send({ id: 'padded', type: 'complete' })
  t.pass('subscribed')
})
