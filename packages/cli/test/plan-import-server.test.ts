import { build } from '@coord/planning'
import { loadConfig, signToken } from '@coord/service-kit'
import t from 'tap'
import { openEmbeddedStore } from '../../eventstore/src/index.ts'
import { cliEnv, examplePath, runCli, tempDir } from './helpers.ts'

// `coord plan import <file>` against a planning service listening on a real port: the plan it
// sends is there afterwards, and a refusal by the server is a non-zero exit with its reason.

const dataDir = tempDir(t)
const config = loadConfig(
  { NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  { envFile: false },
)
const store = await openEmbeddedStore()
const app = await build(config, { store })
const url = await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(async () => {
  await app.close()
  await store.close()
})

const planner = signToken(config, { role: 'planner', user: 'plan-office-zhang' })

async function getPlan(planId: string) {
  const res = await fetch(`${url}/planning/plans/${planId}`, {
    headers: { authorization: `Bearer ${planner}` },
  })
  return {
    status: res.status,
    body: (await res.json()) as { revision: number; state: Record<string, unknown> },
  }
}

t.test('plan import with --url and --token imports the plan into the running service', async (t) => {
  const args = [
    'plan',
    'import',
    examplePath,
    '--url',
    url,
    '--token',
    planner,
    '--plan-id',
    'cli-example',
    '--json',
  ]
  const run = await runCli(args, cliEnv(dataDir))
  t.equal(run.code, 0, run.stderr)
  const answer = JSON.parse(run.stdout)
  t.match(answer, { planId: 'cli-example', streamId: 'plan-cli-example', targets: 3, tasks: 33 })
  const plan = await getPlan('cli-example')
  t.equal(plan.status, 200)
  t.match(plan.body.state, {
    status: 'imported',
    docNumber: '浦府〔2017〕94号',
    source: { fileName: 'pudong-ip-demo-city-plan-2017-2019.txt' },
  })
  const task = await fetch(`${url}/planning/plans/cli-example/tasks/${encodeURIComponent('三.(七).3')}`, {
    headers: { authorization: `Bearer ${planner}` },
  })
  t.equal(task.status, 200, 'the last task of the plan was published')
})

t.test(
  'plan import without --token signs with the key kept in DATA_DIR, which the service shares',
  async (t) => {
    const run = await runCli(
      ['plan', 'import', examplePath, '--url', url, '--plan-id', 'cli-dev-key'],
      cliEnv(dataDir),
    )
    t.equal(run.code, 0, run.stderr)
    t.match(run.stdout, /^imported: \{.*"planId":"cli-dev-key".*\}\n$/)
    t.equal((await getPlan('cli-dev-key')).status, 200)
  },
)

t.test('plan import refused by the service exits non-zero with the status and reason', async (t) => {
  const bureau = signToken(config, { role: 'bureau', bureauId: 'ip-office', user: 'clerk' })
  const args = ['plan', 'import', examplePath, '--url', url, '--token', bureau, '--plan-id', 'cli-refused']
  const run = await runCli(args, cliEnv(dataDir))
  t.not(run.code, 0)
  t.equal(run.stdout, '')
  t.match(run.stderr, /the platform refused the import \(403\): .*may not/)
  t.equal((await getPlan('cli-refused')).status, 404, 'nothing was imported')
})
