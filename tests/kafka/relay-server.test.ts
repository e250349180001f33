import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import t from 'tap'
import { openPostgresStore } from '@coord/eventstore'
import { bureauTopic } from '@coord/relay'
import { freshDatabase } from '../support/database.ts'
import { checkTopic } from './support/check.ts'
import { allEvents, kafkaClient, progress, taskStart, unique } from './support/store.ts'
import { ensureTopic, readTopic, topicEnds } from './support/topics.ts'

// The relay as a service of its own (services/relay/src/server.ts), beside PostgreSQL and the
// broker: it publishes the store from its checkpoint, reports its lag, and stops cleanly.

const root = join(import.meta.dirname, '..', '..')
const entry = 'services/relay/src/server.ts'

function start(env: NodeJS.ProcessEnv) {
  const { KAFKA_BROKERS: _brokers, DATABASE_URL: _database, ...inherited } = process.env
  return spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...inherited, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

t.test(
  'alone, the relay refuses to start without brokers or PostgreSQL, naming what is missing',
  async (t) => {
    const child = start({})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    const [code] = (await once(child, 'exit')) as [number]
    t.equal(code, 1)
    t.match(stderr, /KAFKA_BROKERS: is required/)
    t.match(stderr, /DATABASE_URL: is required/)
  },
)

t.test('alone, the relay publishes the store, reports its lag, and stops on SIGTERM', async (t) => {
  const databaseUrl = await freshDatabase(t, 'relay')
  const { brokers, kafka } = kafkaClient()
  const store = await openPostgresStore({ connectionString: databaseUrl })
  t.teardown(() => store.close())
  const lead = unique('lead')
  const partner = unique('partner')
  const planId = unique('plan')
  const streamId = `task-${planId}/1`
  await store.appendToStream(streamId, taskStart(planId, '1', lead, partner))
  const topic = bureauTopic(partner)
  await ensureTopic(kafka, topic)
  const from = await topicEnds(kafka, topic)

  const child = start({ DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers.join(',') })
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  child.stderr.resume()
  let url = ''
  for await (const line of createInterface({ input: child.stdout })) {
    const found = /"url":"(http:\/\/[^"]+)"/.exec(line)
    if (found) {
      url = found[1] as string
      break
    }
  }
  child.stdout.resume()
  t.ok(url, `listening on ${url}`)

  // Events appended while it runs arrive too.
  for (let i = 1; i <= 5; i++) await store.appendToStream(streamId, [progress(partner, i * 10)])
  const head = await store.headPosition()
  let status = { checkpoint: 0, lagEvents: -1, lagSeconds: -1 }
  const deadline = Date.now() + 120_000
  while (status.checkpoint < head && Date.now() < deadline) {
    status = (await (await fetch(`${url}/relay/status`)).json()) as typeof status
    if (status.checkpoint < head) await new Promise((resolve) => setTimeout(resolve, 200))
  }
  t.same(status, { connected: true, checkpoint: head, lagEvents: 0, lagSeconds: 0 }, 'caught up, no lag')
  const health = await fetch(`${url}/health`)
  t.equal(health.status, 200)
  t.match(await health.json(), { status: 'ok', checks: { relay: { status: 'ok' } } })

  const records = await readTopic(kafka, topic, { from })
  checkTopic(t, topic, records, await allEvents(store))

  child.kill('SIGTERM')
  const [code] = (await once(child, 'exit')) as [number]
  t.equal(code, 0, 'stopped cleanly')
  t.equal(await store.checkpoint('kafka-relay'), head, 'its checkpoint is saved in the store')
})
