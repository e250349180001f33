import { openEventStore } from '@coord/eventstore'
import { ConfigError, loadConfig, runServer, startProcess, type Config } from '@coord/service-kit'
import { build } from './app.ts'
import { createKafka } from './kafka.ts'
import { Relay } from './relay.ts'

// The Kafka relay in a process of its own, beside PostgreSQL (DATABASE_URL) and the brokers of
// KAFKA_BROKERS; `pnpm start` runs it inside the platform instead. The embedded store belongs to
// one process, so alone the relay needs PostgreSQL.
function relayConfig(): Config {
  const config = loadConfig()
  const problems = [
    ...(config.kafkaBrokers.length === 0 ? [{ variable: 'KAFKA_BROKERS', message: 'is required' }] : []),
    ...(config.databaseUrl === undefined
      ? [{ variable: 'DATABASE_URL', message: 'is required: the relay alone reads PostgreSQL' }]
      : []),
  ]
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

await startProcess(relayConfig, async (config) => {
  const store = await openEventStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const { app } = await build(
    config,
    (logger) =>
      new Relay({ store, kafka: createKafka([...config.kafkaBrokers], 'coord-relay', logger), logger }),
    () => store.close(),
  )
  await runServer(app, config)
})
