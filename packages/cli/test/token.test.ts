import { build } from '@coord/planning'
import { loadConfig } from '@coord/service-kit'
import t from 'tap'
import { openEmbeddedStore } from '../../eventstore/src/index.ts'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// `coord token`: a usage error without the bureau a bureau token needs, and a planner token that
// the planning service accepts because both read the development key from the same DATA_DIR.

t.test('token --role bureau without --bureau is a usage error naming the missing option', async (t) => {
  const run = await runCli(['token', '--role', 'bureau'], cliEnv(tempDir(t)))
  t.equal(run.code, 2, 'the usage exit code')
  t.equal(run.stdout, '')
  t.match(run.stderr, 'coord: a bureau token needs --bureau <id>')
})

t.test('token --role with an unknown role is a usage error listing the roles', async (t) => {
  const run = await runCli(['token', '--role', 'mayor'], cliEnv(tempDir(t)))
  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  t.match(run.stderr, /--role must be one of planner, secretariat, supervisor, bureau, auditor, system/)
})

t.test('token --expires takes 1s to 30d in whole units, and refuses anything else', async (t) => {
  const env = cliEnv(tempDir(t))
  for (const expires of ['bogus', '0', '1.5h', '-1d', '31d', '99999999999999999999d']) {
    const run = await runCli(['token', '--role', 'planner', `--expires=${expires}`], env)
    t.equal(run.code, 2, `${expires}: the usage exit code`)
    t.equal(run.stdout, '')
    t.match(run.stderr, `coord: --expires must be a whole number of seconds, minutes, hours or days`)
    t.notMatch(run.stderr, /TypeError|\n\s+at /, `${expires}: no stack`)
  }
  const run = await runCli(['token', '--role', 'planner', '--expires', '30d'], env)
  t.equal(run.code, 0, run.stderr)
  const claims = JSON.parse(Buffer.from(run.stdout.split('.')[1] ?? '', 'base64url').toString('utf8'))
  t.equal(claims.exp - claims.iat, 30 * 86_400)
})

t.test('token refuses an argument it does not take', async (t) => {
  const run = await runCli(['token', '--role', 'planner', 'extra'], cliEnv(tempDir(t)))
  t.equal(run.code, 2)
  t.equal(run.stdout, '')
  t.match(run.stderr, "coord: unexpected argument 'extra'")
})

t.test('token --role planner prints a JWT the planning service accepts', async (t) => {
  const dataDir = tempDir(t)
  const run = await runCli(['token', '--role', 'planner', '--user', 'plan-office-zhang'], cliEnv(dataDir))
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/, 'one compact JWT on its own line')
  const claims = JSON.parse(Buffer.from(run.stdout.split('.')[1] ?? '', 'base64url').toString('utf8'))
  t.match(claims, { role: 'planner', sub: 'plan-office-zhang', iss: 'coord-platform', aud: 'coord-api' })

  const config = loadConfig(
    { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    { envFile: false },
  )
  const store = await openEmbeddedStore()
  const app = await build(config, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  const authorization = `Bearer ${run.stdout.trim()}`
  const published = await app.inject({
    method: 'POST',
    url: '/planning/plans/cli-token/tasks',
    headers: { authorization },
    payload: { taskId: '三.(二).7', title: '加强展会知识产权保护' },
  })
  t.equal(published.statusCode, 200, published.body)
  t.same(published.json().events, ['TaskPublished'])

  const other = loadConfig(
    { NODE_ENV: 'development', DATA_DIR: tempDir(t), LOG_LEVEL: 'silent' },
    { envFile: false },
  )
  const elsewhere = await build(other, { store })
  t.teardown(() => elsewhere.close())
  const refused = await elsewhere.inject({
    method: 'GET',
    url: '/planning/plans/cli-token',
    headers: { authorization },
  })
  t.equal(refused.statusCode, 401, 'an installation with another key refuses it')
})
