import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { openEmbeddedStore } from '@coord/eventstore'
import { bureauRegistration, lostCommands, post, type Acknowledged } from './support/acknowledged.ts'
import { bearerFor, killGroup, platformEnv, startPlatform } from './support/process.ts'
import { long, record } from './support/results.ts'

// The single-process platform on its embedded store, as a laptop or a small office runs it, is
// SIGKILLed while bureaus are being registered: each restart must open the store, and at the end
// every command that was answered 2xx must be in it, whole.

const kills = long ? 20 : 4
const writers = 4

t.test(
  `the embedded platform SIGKILLed ${kills} times during writes loses no acknowledged command`,
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coord-embedded-kill-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const env = platformEnv({ DATA_DIR: dataDir })
    const bearer = bearerFor(env)({ role: 'planner', user: 'kill' })
    const acknowledged: Acknowledged[] = []
    let attempted = 0
    let refused = 0

    let random = 4242
    const next = () => ((random = (random * 1103515245 + 12345) % 2 ** 31), random / 2 ** 31)
    for (let round = 0; round <= kills; round++) {
      const platform = await startPlatform(t, env)
      const due = acknowledged.length + 20 + Math.floor(next() * 60)
      let stop = false
      const writer = async (w: number) => {
        while (!stop) {
          const bureauId = `ek-${round}-${w}-${attempted++}`
          try {
            const answer = await post(
              platform.url,
              '/responsibility/bureaus',
              bearer,
              bureauRegistration(bureauId),
            )
            if (answer.status === 200) acknowledged.push(JSON.parse(answer.text) as Acknowledged)
            else refused += 1
          } catch {
            // the connection died with the process: not acknowledged
          }
        }
      }
      const running = Array.from({ length: writers }, (_, w) => writer(w))
      if (round < kills) {
        while (acknowledged.length < due && platform.child.exitCode === null) {
          await new Promise((resolve) => setTimeout(resolve, 5))
        }
        await killGroup(platform.child, 'SIGKILL')
      } else {
        while (acknowledged.length < due) await new Promise((resolve) => setTimeout(resolve, 5))
      }
      stop = true
      await Promise.all(running)
      if (round === kills) await killGroup(platform.child, 'SIGTERM')
    }

    const store = await openEmbeddedStore({ dataDir })
    t.teardown(() => store.close())
    const lost = await lostCommands(store, acknowledged)
    t.ok(acknowledged.length > kills * 20, `${acknowledged.length} commands acknowledged`)
    t.equal(refused, 0, 'no command was refused while the platform was up')
    t.same(lost.slice(0, 5), [], 'every acknowledged command is in the store, whole')
    record({
      row: `Embedded store: the single platform process SIGKILLed ${kills} times during writes, restarted on the same DATA_DIR`,
      figure: `${kills} kills, ${acknowledged.length.toLocaleString('en')} acknowledged commands, ${lost.length} lost; the store opened after every kill`,
      failures: lost.length + refused,
    })
  },
)
