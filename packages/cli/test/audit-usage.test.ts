import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cliEnv, runCli, tempDir } from './helpers.ts'

t.test('verify refuses missing options and unreadable files with a usage error', async (t) => {
  const dir = tempDir(t)
  const env = cliEnv(dir)
  const missing = await runCli(['audit', 'verify', '--events', join(dir, 'none.jsonl')], env)
  t.equal(missing.code, 2)
  t.match(missing.stderr, /verify needs --events and --heads/)
  writeFileSync(join(dir, 'heads.json'), '{"heads": 3}')
  const bad = await runCli(['audit', 'verify', '--events', 'x', '--heads', join(dir, 'heads.json')], env)
  t.equal(bad.code, 2)
  t.match(bad.stderr, /neither an array of heads/)
})

t.test('verify refuses heads files that hold no head: nothing would be checked', async (t) => {
  const dir = tempDir(t)
  const env = cliEnv(dir)
  const events = join(dir, 'events.jsonl')
  writeFileSync(events, '')
  for (const heads of ['[]', '{"heads": [], "publicKey": "x"}']) {
    const file = join(dir, 'heads.json')
    writeFileSync(file, heads)
    const run = await runCli(['audit', 'verify', '--events', events, '--heads', file], env)
    t.equal(run.code, 2, heads)
    t.equal(run.stdout, '', 'no "verified" line')
    t.match(run.stderr, `coord: ${file} holds no signed tree head: at least one is needed to verify against`)
  }
})

t.test('an option of another audit subcommand, or an extra argument, is a usage error', async (t) => {
  const env = cliEnv(tempDir(t))
  for (const [args, message] of [
    [['export', '--year', '2020'], '--year does not apply to audit export'],
    [['verify', '--events', 'e', '--heads', 'h', '--out', 'o'], '--out does not apply to audit verify'],
    [['report', '--year', '2025', '--replace'], '--replace does not apply to audit report'],
    [['replay', '--as-of', '2025-12-31', '--format', 'json'], '--format does not apply to audit replay'],
    [['export', 'extra'], "unexpected argument 'extra'"],
  ] as const) {
    const run = await runCli(['audit', ...args], env)
    t.equal(run.code, 2, args.join(' '))
    t.match(run.stderr, `coord: ${message}`)
  }
})
