import t from 'tap'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openEventStore } from '@coord/eventstore'
import { ConfigError, loadConfig, startupProblem } from '../src/index.ts'

// Which start-up failures are said in one line, with the real errors where this machine makes
// them: a taken port, an address it lacks, PostgreSQL refusing or not answering.

async function listenError(port: number, host: string): Promise<unknown> {
  const server = createServer()
  return new Promise((resolve) => {
    server.once('error', resolve)
    server.listen(port, host, () => server.close(() => resolve(null)))
  })
}

/** What opening a store at `databaseUrl` fails with, as a service's start would. */
async function connectError(databaseUrl: string): Promise<unknown> {
  try {
    const store = await openEventStore({ databaseUrl, dataDir: '/nonexistent' })
    await store.close()
    return null
  } catch (error) {
    return error
  }
}

t.test('a configuration error is its own message', async (t) => {
  let error: unknown
  try {
    loadConfig({ PORT: 'abc' }, { envFile: false })
  } catch (caught) {
    error = caught
  }
  t.type(error, ConfigError)
  t.equal(startupProblem(error), "invalid configuration: PORT: must be an integer from 0 to 65535, got 'abc'")
})

t.test('an address that cannot be listened on names the address and what to change', async (t) => {
  const taken: Server = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => taken.close())
  const port = (taken.address() as AddressInfo).port
  t.equal(
    startupProblem(await listenError(port, '127.0.0.1')),
    `cannot listen on 127.0.0.1:${port}: the address is in use by another process (set PORT or HOST)`,
  )
  // An address of a network this machine is not on.
  t.equal(
    startupProblem(await listenError(0, '192.0.2.1')),
    'cannot listen on 192.0.2.1: this machine has no such address (set HOST)',
  )
  const denied = Object.assign(new Error('listen EACCES'), {
    syscall: 'listen',
    code: 'EACCES',
    address: '0.0.0.0',
    port: 80,
  })
  t.equal(
    startupProblem(denied),
    'cannot listen on 0.0.0.0:80: permission denied (a port below 1024 needs privileges; set PORT)',
  )
})

t.test(
  'a database that does not answer or refuses is named by its address, without the password',
  async (t) => {
    const nowhere = 'postgres://coord:secret@127.0.0.1:1/coord'
    t.equal(
      startupProblem(await connectError(nowhere), nowhere),
      'cannot reach the database at 127.0.0.1:1/coord (DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1',
    )
    const missing = `${process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'}`.replace(
      /\/[^/]*$/,
      '/no_such_database_here',
    )
    const refused = startupProblem(await connectError(missing), missing)
    t.match(
      refused,
      /^cannot connect to the database at .+\/no_such_database_here \(DATABASE_URL\): database "no_such_database_here" does not exist$/,
    )
    t.notMatch(refused, /secret/)
  },
)

t.test('a file or directory it cannot use names the path and the reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'service-kit-startup-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'a-file')
  writeFileSync(file, 'x')
  const thrown = (fn: () => unknown): unknown => {
    try {
      fn()
    } catch (error) {
      return error
    }
    throw new Error('expected a failure')
  }
  t.equal(
    startupProblem(thrown(() => mkdirSync(file, { recursive: true }))),
    `cannot use ${file}: a file, not a directory, is there`,
  )
  t.equal(
    startupProblem(thrown(() => mkdirSync(join(file, 'data'), { recursive: true }))),
    `cannot use ${join(file, 'data')}: a part of the path is a file, not a directory`,
  )
  t.equal(
    startupProblem(thrown(() => readFileSync(join(dir, 'missing.pem')))),
    `cannot use ${join(dir, 'missing.pem')}: no such file or directory`,
  )
})

t.test('anything else is not a start-up problem: its stack is what helps', async (t) => {
  t.equal(startupProblem(new TypeError('x is not a function'), 'postgres://127.0.0.1/coord'), undefined)
  t.equal(
    startupProblem(await connectError('postgres://coord@127.0.0.1:1/coord')),
    undefined,
    'no database configured',
  )
  t.equal(
    startupProblem(Object.assign(new Error('connect'), { code: 'ECONNREFUSED', syscall: 'connect' })),
    undefined,
  )
  t.equal(startupProblem(undefined), undefined)
})
