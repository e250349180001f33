import t from 'tap'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// A DATABASE_URL that is not a URL, or names a server that does not answer, once ended in
// "unexpected error" and a stack. The first is the user's configuration to fix (exit 2); the
// second says which server could not be reached (exit 1, the command could not do its work).

const noStack = /unexpected error|\n\s+at /

t.test('a DATABASE_URL that is not a PostgreSQL URL is a configuration error', async (t) => {
  const run = await runCli(['audit', 'export'], cliEnv(tempDir(t), { DATABASE_URL: 'notaurl' }))
  t.equal(run.code, 2)
  t.equal(
    run.stderr,
    'coord: invalid configuration: DATABASE_URL: must be a postgres:// or postgresql:// URL\n',
  )
})

t.test('a database that does not answer is named, for every command that opens it', async (t) => {
  const env = cliEnv(tempDir(t), { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' })
  for (const args of [
    ['export'],
    ['report', '--year', '2025', '--format', 'json'],
    ['replay', '--as-of', '2025-12-31'],
  ]) {
    const run = await runCli(['audit', ...args], env)
    t.equal(run.code, 1, `${args[0]}: the command could not do its work`)
    t.match(run.stderr, /^coord: cannot reach the database at 127\.0\.0\.1:1\/test: .*ECONNREFUSED/)
    t.notMatch(run.stderr, noStack)
  }
})
