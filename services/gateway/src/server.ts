import { openEventStore } from '@coord/eventstore'
import { openReadDb, ReadModels } from '@coord/projector'
import { ConfigError, runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'
import { loadGatewayConfig, type GatewayConfig } from './config.ts'
import { ReadModelFollower } from './subscriptions/follower.ts'

// The gateway on its own, beside PostgreSQL (DATABASE_URL): it reads the read models a projector
// keeps in READ_MODEL_SCHEMA (default coord_read) and follows their checkpoint by polling rm_state.
// `pnpm start` composes it with the projector and the other services in one process instead.
function gatewayAloneConfig(): GatewayConfig {
  const config = loadGatewayConfig()
  if (!config.databaseUrl)
    throw new ConfigError([
      { variable: 'DATABASE_URL', message: 'the gateway runs alone only beside PostgreSQL' },
    ])
  return config
}

await startProcess(gatewayAloneConfig, async (config) => {
  const db = await openReadDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.readSchema,
  })
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.storeSchema ? { schema: config.storeSchema } : {}),
  })
  const models = new ReadModels(db)
  const follower = new ReadModelFollower({ db, store, intervalMs: config.pollIntervalMs })
  await follower.start()
  const app = await build(config, { models, db, source: follower })
  app.addHook('onClose', async () => {
    await follower.stop()
    await db.close()
    await store.close()
  })
  await runServer(app, config)
})
