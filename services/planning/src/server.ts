import { openEventStore } from '@coord/eventstore'
import { loadConfig, runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'
import { DeadlineWatcher } from './task/deadline-watcher.ts'

// The planning service on its own (e.g. beside PostgreSQL); `pnpm start` composes it with the rest.
await startProcess(loadConfig, async (config) => {
  const store = await openEventStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const app = await build(config, { store })
  const watcher = new DeadlineWatcher(store, {
    leadDays: 7,
    intervalMs: 60_000,
    logger: app.log.child({ component: 'deadline-watcher' }),
  })
  app.addHook('onClose', async () => {
    await watcher.stop()
    await store.close()
  })
  watcher.start()
  await runServer(app, config)
})
