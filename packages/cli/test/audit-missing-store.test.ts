import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import t from 'tap'
import { testDatabaseUrl } from '@coord/eventstore/testing'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// The read-only audit commands once created a missing store and reported on its empty history
// ("exported 0 events", a signed tree head of size 0). They must refuse a store that does not
// exist (exit 2) and create nothing: no schema, no tables, no directory, no files.

async function schemasNamed(names: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  try {
    const { rows } = await client.query<{ name: string }>(
      'select nspname as name from pg_namespace where nspname = any($1::text[]) order by 1',
      [names],
    )
    return rows.map((row) => row.name)
  } finally {
    await client.end()
  }
}

async function dropSchemas(names: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() })
  await client.connect()
  for (const name of names) await client.query(`drop schema if exists "${name}" cascade`)
  await client.end()
}

t.test('audit export, report and replay refuse a PostgreSQL schema without a store', async (t) => {
  const dir = tempDir(t)
  const suffix = randomBytes(5).toString('hex')
  const [schema, target] = [`cli_nostore_${suffix}`, `cli_nostore_replay_${suffix}`]
  t.teardown(() => dropSchemas([schema, target]))
  const env = cliEnv(join(dir, 'data'), { DATABASE_URL: testDatabaseUrl() })
  const out = join(dir, 'out')
  for (const args of [
    ['export', '--schema', schema],
    ['export', '--schema', schema, '--out', join(dir, 'events.jsonl')],
    ['report', '--year', '2025', '--schema', schema, '--format', 'json,html', '--out', out],
    ['replay', '--as-of', '2025-12-31', '--schema', schema, '--schema-out', target],
  ]) {
    const run = await runCli(['audit', ...args], env)
    t.equal(run.code, 2, `${args[0]}: the usage exit code`)
    t.equal(run.stdout, '')
    t.match(run.stderr, `coord: no event store in schema ${schema} of the database at`)
    t.notMatch(run.stderr, /exported|annual review|replayed|\n\s+at /, 'no result, no stack')
  }
  t.same(await schemasNamed([schema, target]), [], 'neither the store schema nor a target was created')
  t.same(readdirSync(dir), [], 'no file, no output directory, no DATA_DIR')
})

t.test('audit export, report and replay refuse a DATA_DIR without an embedded store', async (t) => {
  const dir = tempDir(t)
  const missing = join(dir, 'missing')
  const empty = join(dir, 'empty')
  mkdirSync(empty)
  for (const dataDir of [missing, empty]) {
    for (const args of [
      ['export'],
      ['report', '--year', '2025', '--format', 'json', '--out', join(dir, 'out')],
      ['replay', '--as-of', '2025-12-31'],
    ]) {
      const run = await runCli(['audit', ...args], cliEnv(dataDir))
      t.equal(run.code, 2, `${args[0]}: the usage exit code`)
      t.match(run.stderr, `coord: no event store in ${dataDir} (DATA_DIR)`)
    }
  }
  t.notOk(existsSync(missing), 'a missing DATA_DIR is not created')
  t.same(readdirSync(empty), [], 'an empty DATA_DIR stays empty: no database, no keys')
  t.same(readdirSync(dir).sort(), ['empty'], 'no report directory')
})
