import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { openPostgresStore, type RecordedEvent } from '@coord/eventstore'
import { freshDatabase } from '../support/database.ts'
import { lostCommands, post, type Acknowledged } from './support/acknowledged.ts'
import { bearerFor, killGroup, platformEnv, startServer } from './support/process.ts'
import { long, record } from './support/results.ts'

// The planning service on PostgreSQL, killed with SIGKILL at random instants while four clients
// import plans. An import appends the plan and all its targets in one append, then each task: an
// acknowledged import must be all there, and a killed one must never leave half an append.

const kills = long ? 20 : 4
const writers = 4
const planText = readFileSync(
  join(
    import.meta.dirname,
    '..',
    '..',
    'packages',
    'plan-import',
    'test',
    'fixtures',
    'implementation-plan.txt',
  ),
  'utf8',
)

interface Imported extends Acknowledged {
  planId: string
  targets: number
  tasks: number
  lastPosition: number
}

t.test(
  `the command service SIGKILLed ${kills} times mid-write loses no command and splits no append`,
  async (t) => {
    const databaseUrl = await freshDatabase(t, 'command_kill')
    const env = platformEnv({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' })
    const bearer = bearerFor(env)({ role: 'planner', user: 'kill' })
    const acknowledged: Imported[] = []
    const attempted: string[] = []
    const refused: string[] = []

    let random = 777
    const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31), random / 2 ** 31)
    for (let round = 0; round <= kills; round++) {
      const service = await startServer(t, 'services/planning/src/server.ts', env)
      let stop = false
      const writer = async () => {
        while (!stop) {
          const planId = `kill-${round}-${attempted.length}`
          attempted.push(planId)
          try {
            const answer = await post(service.url, '/planning/plans/import', bearer, {
              text: planText,
              planId,
            })
            if (answer.status === 200) acknowledged.push(JSON.parse(answer.text) as Imported)
            else refused.push(`${answer.status} ${answer.text.slice(0, 200)}`)
          } catch {
            // the connection died with the process: not acknowledged
          }
        }
      }
      const running = Array.from({ length: writers }, () => writer())
      const due = acknowledged.length + 2
      while (acknowledged.length < due) await new Promise((resolve) => setTimeout(resolve, 5))
      // A random instant inside the next imports, so the kill lands between and inside appends.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(next() * 400)))
      // The last round ends the clients first: a process that is closing answers 503 on purpose.
      if (round < kills) await killGroup(service.child, 'SIGKILL')
      stop = true
      await Promise.all(running)
      if (round === kills) await killGroup(service.child, 'SIGTERM')
    }

    const store = await openPostgresStore({ connectionString: databaseUrl })
    t.teardown(() => store.close())
    const streams = new Map<string, RecordedEvent[]>()
    for await (const event of store.readAll()) {
      const events = streams.get(event.streamId) ?? []
      events.push(event)
      streams.set(event.streamId, events)
    }
    const targets = acknowledged[0]?.targets ?? 0
    t.ok(targets > 1, `the plan's import appends ${targets + 1} events at once`)

    const lost = await lostCommands(store, acknowledged)
    for (const ack of acknowledged) {
      const tasks = [...streams.keys()].filter((id) => id.startsWith(`task-${ack.planId}/`)).length
      if (tasks !== ack.tasks) lost.push(`${ack.planId}: ${tasks} of ${ack.tasks} tasks`)
    }
    // Every import that reached the store at all, acknowledged or not, holds its first append whole.
    const partial: string[] = []
    let started = 0
    for (const planId of attempted) {
      const events = streams.get(`plan-${planId}`)
      if (!events) continue
      started += 1
      const first = events.slice(0, targets + 1).map((e) => e.type)
      const whole = ['PlanImported', ...Array<string>(targets).fill('TargetDefined')]
      if (JSON.stringify(first) !== JSON.stringify(whole)) partial.push(`${planId}: ${first.join(', ')}`)
    }
    t.ok(acknowledged.length >= (kills + 1) * 2, `${acknowledged.length} imports acknowledged`)
    t.ok(started > acknowledged.length, `${started - acknowledged.length} imports in flight at a kill`)
    t.same(refused.slice(0, 5), [], 'no import was refused while the service was up')
    t.same(lost.slice(0, 5), [], 'every acknowledged import is in the store, with all its tasks')
    t.same(partial.slice(0, 5), [], 'no plan holds part of its first append')
    record({
      row: `Command service (planning on PostgreSQL) SIGKILLed ${kills} times mid-write under ${writers} concurrent plan imports`,
      figure: `${kills} kills, ${acknowledged.length} acknowledged imports (${streams.size} streams, ${[...streams.values()].reduce((n, e) => n + e.length, 0).toLocaleString('en')} events), ${lost.length} lost, ${partial.length} partial of ${started} begun`,
      failures: lost.length + partial.length + refused.length,
    })
  },
)
