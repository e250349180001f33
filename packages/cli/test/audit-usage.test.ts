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
