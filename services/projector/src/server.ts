import { openEventStore } from '@coord/eventstore'
import { runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'
import { loadProjectorConfig } from './config.ts'
import { openReadDb } from './db.ts'
import { Projector } from './projector.ts'

// The projector on its own, beside PostgreSQL (DATABASE_URL): the read models in their own schema,
// health and lag over HTTP. `pnpm start` composes it with the other services in one process.
await startProcess(loadProjectorConfig, async (config) => {
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.storeSchema ? { schema: config.storeSchema } : {}),
  })
  const db = await openReadDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.readSchema,
  })
  const projector = new Projector({ store, db, batchSize: config.batchSize })
  const app = await build(config, { projector })
  app.addHook('onClose', async () => {
    // Whichever onClose runs first, the projector stops before its databases close.
    await projector.stop()
    await db.close()
    await store.close()
  })
  await runServer(app, config)
})
