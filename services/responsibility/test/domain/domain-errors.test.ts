import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { responsibilityErrors } from '../../src/domain.ts'

const here = dirname(fileURLToPath(import.meta.url))
const codes = Object.keys(responsibilityErrors.definitions)

t.test('every error code has a message and a 4xx status that says who must act', async (t) => {
  for (const [code, { status, message }] of Object.entries(responsibilityErrors.definitions)) {
    t.ok([400, 403, 404, 409].includes(status), `${code} answers ${status}`)
    t.ok(message.length > 0, `${code} has a message`)
    t.match(code, /^[A-Z][A-Z_]+$/, `${code} is an upper-case code`)
  }
})

t.test('the README documents every code with its status and message, and no other', async (t) => {
  const readme = readFileSync(join(here, '../../README.md'), 'utf8')
  const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/gm)]
  const documented = Object.fromEntries(
    rows.map(([, code, status, message]) => [code, { status: Number(status), message: message?.trim() }]),
  )
  t.same(documented, responsibilityErrors.definitions)
})

// A code no test provokes is either dead or untested.
t.test('every code is provoked by at least one given/when/then test', async (t) => {
  const sources = readdirSync(here)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => readFileSync(join(here, name), 'utf8'))
    .join('\n')
  const provoked = new Set([...sources.matchAll(/thenThrows\('([A-Z_]+)'\)/g)].map((m) => m[1]))
  t.same(
    codes.filter((code) => !provoked.has(code)),
    [],
    'codes without a refusal test',
  )
  t.same(
    [...provoked].filter((code) => code !== undefined && !codes.includes(code)),
    [],
    'tests of unknown codes',
  )
})
