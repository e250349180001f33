import t from 'tap'
import { openPostgresStore } from '@coord/eventstore'
import { bureauRegistration, lostCommands, post, type Acknowledged } from './support/acknowledged.ts'
import { ownCluster } from './support/cluster.ts'
import { bearerFor, killGroup, platformEnv, startPlatform } from './support/process.ts'
import { long, record } from './support/results.ts'

// The platform on a PostgreSQL cluster of the test's own, which is stopped with `-m immediate`
// and started again while four clients keep registering bureaus. While it is down the platform
// must answer 503 (never 500, never die); once it is back the platform must serve again by itself,
// and no command it acknowledged may be missing.

const restarts = long ? 5 : 2
const writers = 4
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

t.test(
  `PostgreSQL restarted ${restarts} times under load: 503 while down, nothing acknowledged lost`,
  async (t) => {
    const cluster = await ownCluster(t)
    const env = platformEnv({ DATABASE_URL: cluster.url })
    const bearer = bearerFor(env)({ role: 'planner', user: 'restart' })
    const platform = await startPlatform(t, env)
    t.teardown(() => killGroup(platform.child, 'SIGKILL'))

    const acknowledged: Acknowledged[] = []
    const statuses = new Map<number, number>()
    const whileDown = new Map<number, number>()
    const dropped: string[] = []
    let down = false
    let stop = false
    let sent = 0
    const writer = async (w: number) => {
      while (!stop) {
        const bureauId = `pr-${w}-${sent++}`
        const wasDown = down
        try {
          const answer = await post(
            platform.url,
            '/responsibility/bureaus',
            bearer,
            bureauRegistration(bureauId),
          )
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
          if (wasDown && down) whileDown.set(answer.status, (whileDown.get(answer.status) ?? 0) + 1)
          if (answer.status === 200) acknowledged.push(JSON.parse(answer.text) as Acknowledged)
          else await pause(20)
        } catch (error) {
          dropped.push(String(error))
          await pause(20)
        }
      }
    }
    const running = Array.from({ length: writers }, (_, w) => writer(w))
    const served = async (more: number) => {
      const due = acknowledged.length + more
      const deadline = Date.now() + 120_000
      while (acknowledged.length < due && Date.now() < deadline && platform.child.exitCode === null)
        await pause(10)
      return acknowledged.length >= due
    }

    const recovered: boolean[] = []
    t.ok(await served(30), 'the platform serves before the first restart')
    for (let i = 0; i < restarts; i++) {
      cluster.crash()
      down = true
      await pause(2_000)
      down = false
      cluster.start()
      recovered.push(await served(30))
    }
    stop = true
    await Promise.all(running)

    t.equal(platform.child.exitCode, null, 'the platform never exited', {
      log: platform.stdout().slice(-3000),
      stderr: platform.stderr().slice(-2000),
    })
    t.same(
      recovered,
      Array<boolean>(restarts).fill(true),
      'after each restart the platform served again by itself',
    )
    t.equal(statuses.get(500) ?? 0, 0, 'never a 500', { stderr: platform.stderr().slice(-2000) })
    t.ok((whileDown.get(503) ?? 0) > 0, 'commands sent while PostgreSQL was down were answered 503')
    const other = [...statuses.keys()].filter((s) => s !== 200 && s !== 503)
    t.same(other, [], 'no answer but 200 and 503', { statuses: Object.fromEntries(statuses) })
    t.same(dropped.slice(0, 3), [], 'no connection dropped')

    const store = await openPostgresStore({ connectionString: cluster.url })
    t.teardown(() => store.close())
    const lost = await lostCommands(store, acknowledged)
    t.same(lost.slice(0, 5), [], 'every acknowledged command is in the store')
    const failures = lost.length + (statuses.get(500) ?? 0) + dropped.length + other.length
    record({
      row: `PostgreSQL (a cluster of its own) restarted ${restarts} times with -m immediate under ${writers} writers`,
      figure: `${restarts} restarts, ${acknowledged.length.toLocaleString('en')} acknowledged commands, ${lost.length} lost; ${whileDown.get(503) ?? 0} answered 503 while down, ${statuses.get(500) ?? 0} × 500, ${dropped.length} dropped connections; reconnected by itself every time`,
      failures,
    })
  },
)
