import { openEventStore } from '@coord/eventstore'
import { openReadDb, Projector } from '@coord/projector'
import { examplePlanPath } from '@coord/plan-import'
import { loadConfig, runServer, startProcess } from '@coord/service-kit'
import { buildPlatform } from './platform.ts'
import { seedExamplePlan } from './seed.ts'

// `pnpm start`: the whole platform in one process, on the embedded store unless DATABASE_URL is set.
await startProcess(loadConfig, async (config) => {
  const store = await openEventStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const readDb = await openReadDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const projector = new Projector({ store, db: readDb })
  const app = await buildPlatform(config, {
    store,
    readDb,
    projector,
    onClosed: async () => {
      await readDb.close()
      await store.close()
    },
  })

  const seed = await seedExamplePlan(app, store, config, examplePlanPath)
  if (seed.seeded) app.log.info({ tasks: seed.tasks }, 'imported the example plan into the empty store')

  const url = await runServer(app, config)
  const where = config.databaseUrl ? 'PostgreSQL' : `the embedded store in ${config.dataDir}`
  process.stdout.write(
    [
      `coordination platform on ${where}`,
      `  API      ${url}/planning`,
      `  GraphQL  ${url}/graphql`,
      `  docs     ${url}/docs`,
      `  health   ${url}/health`,
      `  a token: pnpm coord token --role planner`,
      '',
    ].join('\n'),
  )
})
