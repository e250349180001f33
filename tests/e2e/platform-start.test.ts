import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..', '..')
const secret = 'a-test-secret-that-is-long-enough-0123456789'

interface Running {
  child: ChildProcess
  url: string
  /** Everything it printed so far, standard output and error together. */
  output: () => string
}

const platformEnv = (dataDir: string, env: Record<string, string> = {}) => ({
  ...process.env,
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
  JWT_SECRET: secret,
  DATABASE_URL: '',
  ...env,
})

/** Starts the platform as `npm start` does, on port 0, and waits for the URLs it prints. */
function startPlatform(dataDir: string, env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/platform/src/main.ts'], {
    cwd: root,
    env: platformEnv(dataDir, env),
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
        resolve({ child, url: match[1], output: () => output })
      }
    })
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${output}`)))
  })
}

/** Runs a process that should fail to start; its exit code and what it printed. */
function failedStart(script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** /health once it answers 200, or its last answer after 30 s. */
async function healthy(url: string): Promise<Response> {
  for (let waited = 0; ; waited += 100) {
    const health = await fetch(`${url}/health`)
    if (health.status === 200 || waited >= 30_000) return health
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Warnings and errors among pino's JSON lines. */
const complaints = (output: string) => output.split('\n').filter((line) => /"level":(40|50|60)/.test(line))

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
    // With KAFKA_BROKERS set (as in CI) the relay connects after the platform listens: health
    // fails its relay check until then.
    const health = await healthy(first.url)
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
    const beforeStop = first.output().length
    t.equal(await stop(first.child), 0, 'SIGTERM shuts it down cleanly')
    t.same(
      complaints(first.output().slice(beforeStop)),
      [],
      'every part stops before the stores close: nothing complains while it shuts down',
    )

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

t.test('a platform that cannot start says why in one line and exits 1', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-platform-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => taken.close())
  const port = (taken.address() as AddressInfo).port
  const main = 'services/platform/src/main.ts'

  const inUse = await failedStart(main, platformEnv(dataDir, { PORT: String(port) }))
  t.equal(inUse.code, 1, 'the port is taken')
  t.match(inUse.stderr, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`))
  t.notMatch(inUse.stderr, /\n\s+at /, 'no stack')
  t.notMatch(inUse.stdout, /API\s+http/, 'no URL printed')

  const unreachable = await failedStart(
    main,
    platformEnv(dataDir, { DATABASE_URL: 'postgres://coord@127.0.0.1:1/coord' }),
  )
  t.equal(unreachable.code, 1, 'no database answers')
  t.equal(
    unreachable.stderr,
    'cannot reach the database at 127.0.0.1:1/coord (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1\n',
  )

  const badPort = await failedStart(main, platformEnv(dataDir, { PORT: 'abc' }))
  t.equal(badPort.code, 1)
  t.equal(badPort.stderr, "invalid configuration: PORT: must be an integer from 0 to 65535, got 'abc'\n")

  const file = join(dataDir, 'a-file')
  writeFileSync(file, 'not a directory')
  const notADirectory = await failedStart(main, platformEnv(dataDir, { DATA_DIR: file }))
  t.equal(notADirectory.code, 1, 'DATA_DIR is a file')
  t.equal(notADirectory.stderr, `cannot use ${file}: a file, not a directory, is there\n`)
})

t.test('a service started alone says why it cannot start in one line too', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-service-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const badPort = await failedStart('services/planning/src/server.ts', platformEnv(dataDir, { PORT: 'abc' }))
  t.equal(badPort.code, 1)
  t.equal(badPort.stderr, "invalid configuration: PORT: must be an integer from 0 to 65535, got 'abc'\n")
  const refused = await failedStart(
    'services/meetings/src/server.ts',
    platformEnv(dataDir, { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/no_such_database_here' }),
  )
  t.equal(refused.code, 1)
  t.equal(
    refused.stderr,
    'cannot connect to the database at 127.0.0.1:5432/no_such_database_here (DATABASE_URL): database "no_such_database_here" does not exist\n',
  )
})

t.test('the platform starts while its Kafka brokers do not answer, and says so in its health', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'coord-platform-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const running = await startPlatform(dataDir, { KAFKA_BROKERS: '127.0.0.1:1' })
  t.teardown(() => running.child.kill('SIGKILL'))
  const health = await fetch(`${running.url}/health`)
  t.equal(health.status, 503, 'not healthy while the relay cannot reach the brokers')
  t.match(await health.json(), { checks: { relay: { status: 'fail' } } })
  const headers = { authorization: `Bearer ${await tokenFor('auditor')}` }
  const plan = await fetch(`${running.url}/planning/plans/pudong-ip-2017`, { headers })
  t.equal(plan.status, 200, 'everything else answers')
  t.equal(await stop(running.child), 0, 'SIGTERM shuts it down without waiting for the brokers')
})
