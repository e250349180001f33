import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { cliEnv, runCli, tempDir, type CliRun } from './helpers.ts'

// Each command loads only what it uses: `coord --help` or `coord token` must not wait seconds for
// the HTTP server's modules, the projector or chromium's driver. The CLI runs with a loader hook
// that records every module it loads.

const recorder = new URL('./fixtures/record-modules.mjs', import.meta.url).href

/** What a command must not load, by a part of the module's URL. */
const heavy = {
  fastify: '/node_modules/fastify/',
  typebox: '/node_modules/typebox/',
  playwright: '/node_modules/playwright-core/',
  kafkajs: '/node_modules/kafkajs/',
  pglite: '/node_modules/@electric-sql/pglite/',
  'event store': '/packages/eventstore/',
  projector: '/services/projector/',
  'planning service': '/services/planning/src/app.ts',
}

async function modulesOf(t: Test, args: string[]) {
  const dir = tempDir(t)
  const file = join(dir, 'modules.txt')
  const run: CliRun = await runCli(args, cliEnv(join(dir, 'data'), { RECORD_MODULES: file }), [
    '--import',
    recorder,
  ])
  const modules = readFileSync(file, 'utf8').split('\n').filter(Boolean)
  t.ok(
    modules.some((url) => url.endsWith('/packages/cli/src/main.ts')),
    'the recorder saw the CLI load (else the checks below would prove nothing)',
  )
  return { run, modules }
}

function loads(modules: string[], part: string): boolean {
  return modules.some((url) => url.includes(part))
}

t.test('--help and token load none of the heavy modules', async (t) => {
  for (const args of [['--help'], ['token', '--role', 'planner']]) {
    const { run, modules } = await modulesOf(t, args)
    t.equal(run.code, 0, run.stderr)
    for (const [name, part] of Object.entries(heavy)) {
      t.notOk(loads(modules, part), `coord ${args.join(' ')} does not load ${name}`)
    }
  }
})

t.test('audit verify loads no store, projector or chromium; replay not chromium', async (t) => {
  const verify = await modulesOf(t, ['audit', 'verify', '--events', 'none.jsonl', '--heads', 'none.json'])
  t.equal(verify.run.code, 2, 'the missing heads file is a usage error')
  for (const name of ['fastify', 'typebox', 'playwright', 'projector', 'pglite', 'event store'] as const) {
    t.notOk(loads(verify.modules, heavy[name]), `audit verify does not load ${name}`)
  }
  const replay = await modulesOf(t, ['audit', 'replay', '--as-of', '2019-02-30'])
  t.equal(replay.run.code, 2, 'the day that does not exist is a usage error')
  t.ok(loads(replay.modules, '/services/projector/src/replay.ts'), 'replay loads the projector')
  t.notOk(loads(replay.modules, heavy.playwright), 'replay does not load chromium')
  t.notOk(loads(replay.modules, heavy.fastify), 'replay does not load the HTTP server')
})
