import t from 'tap'
import { openEmbeddedStore, uuidv7 } from '@coord/eventstore'
import { loadConfig } from '@coord/service-kit'
import { recordingLogger } from '@coord/service-kit/testing'
import { build } from '../src/app.ts'
import { createKafka } from '../src/kafka.ts'
import { Relay } from '../src/relay.ts'

// A relay whose brokers do not answer (nothing listens on port 1): it starts without them, says
// so in its status and health, keeps trying, and stops at once. The real broker's side is in
// tests/kafka.

t.test(
  'a relay whose brokers do not answer starts, reports it, keeps trying and stops at once',
  async (t) => {
    const store = await openEmbeddedStore()
    t.teardown(() => store.close())
    await store.appendToStream('bureau-ip-office', [
      {
        id: uuidv7(),
        type: 'BureauRegistered',
        data: { bureauId: 'ip-office' },
        metadata: {
          actor: { role: 'planner', user: 'plan.office' },
          correlationId: 'c',
          causationId: null,
          occurredAt: '2019-01-01T00:00:00.000Z',
        },
      },
    ])
    const { lines, logger } = recordingLogger()
    // kafkajs gives each try up after one retry, so the relay's own tries come quickly.
    const kafka = createKafka(['127.0.0.1:1'], 'relay-unreachable', undefined, {
      retries: 1,
      initialRetryTime: 50,
    })
    const relay = new Relay({ store, kafka, logger, name: 'unreachable' })
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
    const { app } = await build(config, () => relay)
    t.teardown(() => app.close())
    await app.ready()
    t.pass('the app is ready (the relay started) with no broker answering')

    t.match(await relay.status(), { connected: false, checkpoint: 0, lagEvents: 1 })
    await t.rejects(relay.health(), /not connected to the Kafka brokers/)
    const health = await app.inject({ method: 'GET', url: '/health' })
    t.equal(health.statusCode, 503, 'health says the relay is not ready')
    const status = await app.inject({ method: 'GET', url: '/relay/status' })
    t.equal(status.statusCode, 200)
    t.match(status.json(), { connected: false, checkpoint: 0 })

    const logged = async (level: string) => {
      for (let waited = 0; !lines.some((l) => l.level === level); waited += 20) {
        if (waited > 20_000) throw new Error(`no try was reported at ${level} level`)
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      return lines.find((l) => l.level === level)
    }
    t.match(await logged('warn'), {
      message: 'connecting to Kafka failed; retrying',
      details: { attempt: 0 },
    })
    // The next try fails too: the brokers are down, not restarting, and the log says so.
    t.match(await logged('error'), {
      message: 'connecting to Kafka failed; retrying',
      details: { attempt: 1 },
    })

    await relay.stop()
    await relay.connected()
    t.pass('stopped while trying: it waited for no broker')
    t.equal(await store.checkpoint('unreachable'), 0, 'nothing was sent, so the checkpoint stays')
    t.notOk(
      lines.some((l) => l.message === 'relay started'),
      'it never followed the store',
    )
  },
)
