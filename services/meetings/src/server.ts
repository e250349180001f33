import { openEventStore } from '@coord/eventstore'
import { loadConfig, runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'

// The meetings service on its own (e.g. beside PostgreSQL); `pnpm start` composes it with the rest.
await startProcess(loadConfig, async (config) => {
  const store = await openEventStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const app = await build(config, { store })
  app.addHook('onClose', async () => {
    await store.close()
  })
  await runServer(app, config)
})
