import { openEventStore } from '@coord/eventstore'
import { runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'
import { loadNotaryConfig } from './config.ts'
import { openNotaryDb } from './db.ts'
import { loadSigningKey } from './key.ts'
import { Notary } from './notary.ts'

// The notary on its own, beside PostgreSQL (DATABASE_URL): its tables in their own schema, the
// routes under /audit. `pnpm start` composes it with the other services in one process.
await startProcess(loadNotaryConfig, async (config) => {
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(config.storeSchema ? { schema: config.storeSchema } : {}),
  })
  const db = await openNotaryDb({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    schema: config.notarySchema,
  })
  const notary = new Notary({
    store,
    db,
    signingKey: loadSigningKey(config),
    headIntervalMs: config.headIntervalMs,
  })
  const app = await build(config, { notary })
  app.addHook('onClose', async () => {
    await notary.stop()
    await db.close()
    await store.close()
  })
  await runServer(app, config)
})
