import t from 'tap'
import { logLevel } from 'kafkajs'
import { recordingLogger } from '@coord/service-kit/testing'
import { createKafka, levelOf } from '../src/kafka.ts'

t.test("kafkajs' lines keep their level but for the tries it repeats or gives up", async (t) => {
  const line = (level: logLevel, namespace: string, log: Record<string, unknown> = {}) =>
    levelOf({ level, namespace, log: { timestamp: '', logger: 'kafkajs', message: 'm', ...log } })
  t.equal(line(logLevel.ERROR, 'Connection'), 'warn', 'a failed connection')
  t.equal(line(logLevel.ERROR, 'BrokerPool', { retryCount: 0, retryTime: 300 }), 'warn', 'a try repeated')
  t.equal(line(logLevel.ERROR, 'Consumer'), 'error', 'any other error')
  t.equal(line(logLevel.WARN, 'Producer'), 'warn')
  t.equal(line(logLevel.INFO, 'Consumer'), 'info')
  t.equal(line(logLevel.DEBUG, 'Connection'), 'debug')
  t.equal(line(logLevel.NOTHING, 'Connection'), 'info', 'a level kafkajs does not log at')
})

// A real client against a port where nothing listens: the connection is refused at every try.
t.test(
  'brokers that refuse the connection are warnings while kafkajs tries, then its caller fails',
  async (t) => {
    const { lines, logger } = recordingLogger()
    const kafka = createKafka(['127.0.0.1:1'], 'kafka-log', logger, {
      retries: 1,
      initialRetryTime: 50,
    })
    const admin = kafka.admin()
    await t.rejects(admin.connect(), /ECONNREFUSED/, 'the caller is told the brokers cannot be reached')
    t.ok(
      lines.some((l) => l.level === 'warn' && /^Connection error: .*ECONNREFUSED/.test(l.message)),
      'each failed connection is a warning',
    )
    t.ok(
      lines.some((l) => l.level === 'warn' && /^Failed to connect to seed broker/.test(l.message)),
      'each try kafkajs repeats is a warning',
    )
    t.same(
      lines.filter((l) => l.level === 'error'),
      [],
      'no line at error level',
    )
  },
)
