import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..', '..')
const secret = 'a-test-secret-that-is-long-enough-0123456789'

interface Running {
  child: ChildProcess
  url: string
}

/** Starts the platform as `npm start` does, on port 0, and waits for the URLs it prints. */
function startPlatform(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/platform/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      JWT_SECRET: secret,
      DATABASE_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${output}`)), 90_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /API\s+(http:\/\/[\d.:]+)\/planning/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve({ child, url: match[1] })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code))
    child.kill('SIGTERM')
  })
}

async function tokenFor(role: string): Promise<string> {
  const { loadConfig, signToken } = await import('@coord/service-kit')
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: secret }, { envFile: false })
  return signToken(config, { role: role as 'auditor', user: 'platform-test' })
}

t.test(
  'the platform starts on an empty data directory seeded with the example plan, and keeps it across restarts',
  async (t) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'coord-platform-'))
    t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
    const headers = { authorization: `Bearer ${await tokenFor('auditor')}` }

    const first = await startPlatform(dataDir)
    const health = await fetch(`${first.url}/health`)
    t.equal(health.status, 200, 'health answers 200')
    t.match(await health.json(), { status: 'ok' })
    const plan = await fetch(`${first.url}/planning/plans/pudong-ip-2017`, { headers })
    t.equal(plan.status, 200, 'the example plan was imported')
    const body = (await plan.json()) as { revision: number; state: { title: string; docNumber: string } }
    t.equal(body.state.docNumber, '浦府〔2017〕94号')
    const task = await fetch(
      `${first.url}/planning/plans/pudong-ip-2017/tasks/${encodeURIComponent('三.(七).3')}`,
      { headers },
    )
    t.equal(task.status, 200, 'its last task was published')
    t.equal(await stop(first.child), 0, 'SIGTERM shuts it down cleanly')

    const second = await startPlatform(dataDir)
    const again = await fetch(`${second.url}/planning/plans/pudong-ip-2017`, { headers })
    t.equal(
      ((await again.json()) as { revision: number }).revision,
      body.revision,
      'a restart neither loses nor re-imports the plan',
    )
    t.equal(await stop(second.child), 0)
  },
)
