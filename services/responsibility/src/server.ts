import { openEventStore } from '@coord/eventstore'
import { loadConfig, runServer, startProcess } from '@coord/service-kit'
import { build } from './app.ts'
import { taskDecider } from '@coord/planning'
import { ReorganisationProcessManager } from './reorganisation/process-manager.ts'

// The responsibility service on its own (e.g. beside PostgreSQL); `pnpm start` composes it with
// the rest. The process manager reassigns tasks with the planning service's task decider.
await startProcess(loadConfig, async (config) => {
  const store = await openEventStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const app = await build(config, { store })
  const processManager = new ReorganisationProcessManager({
    store,
    taskDecider: taskDecider,
    logger: app.log.child({ component: 'reorganisation-process-manager' }),
  })
  app.addHook('onClose', async () => {
    await processManager.stop()
    await store.close()
  })
  await processManager.start()
  await runServer(app, config)
})
