import t from 'tap'
import { signToken } from '@coord/service-kit'
import { foreign, own, partner, planId, recordHistory, taskId } from './fixtures/history.ts'
import { config, gatewayHarness, tokenOf } from './helpers.ts'
import { TransportWsClient, type Message } from './support/ws-client.ts'

// taskEvents over a real WebSocket (graphql-transport-ws), pushed as the projector applies events.

const h = await gatewayHarness(t)
await recordHistory(h.append)
await h.caughtUp()
const base = await h.app.listen({ port: 0, host: '127.0.0.1' })
const url = `${base.replace('http', 'ws')}/graphql`

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const partnerToken = signToken(config, { role: 'bureau', bureauId: partner, user: 'commerce.staff' })
const fields =
  'position eventId type streamId taskId revision occurredAt recordedAt actor { role bureauId } bureauIds summary data'

async function connected(params: unknown): Promise<TransportWsClient> {
  const client = await TransportWsClient.open(url, params)
  t.teardown(() => client.close())
  await client.next((m) => m.type === 'connection_ack')
  return client
}

const nextOf = (id: string) => (message: Message) => message.type === 'next' && message.id === id
const eventOf = (message: Message) =>
  (message.payload as { data: { taskEvents: Record<string, unknown> } }).data.taskEvents

t.test('the bureaus on a task receive its events as soon as they are projected, in order', async (t) => {
  const lead = await connected(bearer(tokenOf('bureau')))
  const other = await connected({ headers: bearer(partnerToken) })
  const outsider = await connected(bearer(tokenOf('foreign')))
  lead.subscribe('lead', `subscription { taskEvents(bureauId: "${own}") { ${fields} } }`)
  other.subscribe('partner', `subscription { taskEvents(bureauId: "${partner}") { type position data } }`)
  outsider.subscribe('own', `subscription { taskEvents(bureauId: "${foreign}") { type } }`)
  // graphql-transport-ws does not acknowledge a subscribe: give the server a moment to register it.
  await new Promise((resolve) => setTimeout(resolve, 200))

  const stream = `task-${planId}/${taskId}`
  const first = await h.append(stream, [
    'ProgressReported',
    { bureauId: own, percent: 90, narrative: '执行记录已归档', evidence: [] },
    { occurredAt: '2018-05-30T02:00:00.000Z', bureauId: own },
  ])
  const second = await h.append(stream, ['TaskClosed', {}, { occurredAt: '2018-05-31T02:00:00.000Z' }])

  const one = eventOf(await lead.next(nextOf('lead')))
  const two = eventOf(await lead.next(nextOf('lead')))
  t.match(one, {
    position: first,
    type: 'ProgressReported',
    streamId: stream,
    taskId,
    occurredAt: '2018-05-30T02:00:00.000Z',
    actor: { role: 'bureau', bureauId: own },
    bureauIds: [own, partner],
    data: { narrative: '执行记录已归档' },
  })
  t.not(one.recordedAt, one.occurredAt, 'recording time beside business time')
  t.ok(typeof one.summary === 'string' && one.summary.length > 0, 'a one-line summary')
  t.match(two, { position: second, type: 'TaskClosed' })
  t.match(eventOf(await other.next(nextOf('partner'))), { position: first, data: { percent: 90 } })
  t.match(eventOf(await other.next(nextOf('partner'))), { position: second })
  const views = await h.models.bureauAccountability(own)
  t.equal(views.tasks.find((task) => task.taskId === taskId)?.status, 'closed', 'already in the read models')
  t.same(
    outsider.pending().filter((m) => m.type === 'next'),
    [],
    'a bureau on none of it hears nothing',
  )
})

t.test('a bureau may subscribe only to its own events', async (t) => {
  const outsider = await connected(bearer(tokenOf('foreign')))
  outsider.subscribe('theirs', `subscription { taskEvents(bureauId: "${own}") { type } }`)
  const refused = await outsider.next((m) => m.id === 'theirs' && m.type !== 'next')
  t.equal(refused.type, 'error')
  t.match(JSON.stringify(refused.payload), /FORBIDDEN|may not read/)
  const auditor = await connected(bearer(tokenOf('auditor')))
  auditor.subscribe('audit', `subscription { taskEvents(bureauId: "${own}") { type data } }`)
  await new Promise((resolve) => setTimeout(resolve, 200))
  await h.append(`task-${planId}/${taskId}`, ['TaskResumed', { reason: '复核' }, {}])
  t.match(
    eventOf(await auditor.next(nextOf('audit'))),
    { type: 'TaskResumed' },
    'an auditor follows any bureau',
  )
})

t.test('a connection without a valid token is refused and closed', async (t) => {
  for (const params of [{}, bearer('not-a-token'), { authorization: tokenOf('bureau') }, null]) {
    const client = await TransportWsClient.open(url, params)
    t.teardown(() => client.close())
    const refused = await client.next((m) => m.type !== 'connection_ack')
    t.match(refused, { type: 'connection_error', payload: { message: 'Forbidden' } }, JSON.stringify(params))
    t.ok((await client.closed) >= 1000, 'the server closed the socket')
  }
})
