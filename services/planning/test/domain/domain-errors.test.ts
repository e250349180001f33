import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { planningErrors } from '../../src/domain.ts'

const codes = Object.keys(planningErrors.definitions)

t.test('every error code has a message and a 4xx status that says who must act', async (t) => {
  for (const [code, { status, message }] of Object.entries(planningErrors.definitions)) {
    t.ok([400, 403, 404, 409, 422].includes(status), `${code} answers ${status}`)
    t.ok(message.length > 0, `${code} has a message`)
    t.match(code, /^[A-Z][A-Z_]+$/, `${code} is an upper-case code`)
  }
})

t.test('a made error carries its code, status and detail', async (t) => {
  const error = planningErrors.make('FORBIDDEN_BUREAU', 'culture is neither lead nor partner')
  t.equal(error.code, 'FORBIDDEN_BUREAU')
  t.equal(error.status, 403)
  t.match(error.message, /not responsible.*: culture is neither lead nor partner$/)
})

// Keeps the catalogue and the given/when/then suites in step: a code no test provokes is either
// dead or untested.
t.test('every code is provoked by at least one given/when/then test', async (t) => {
  const here = dirname(fileURLToPath(import.meta.url))
  const sources = readdirSync(here)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => readFileSync(join(here, name), 'utf8'))
    .join('\n')
  const provoked = new Set([...sources.matchAll(/thenThrows\('([A-Z_]+)'\)/g)].map((m) => m[1]))
  // IMPORT_ codes are the import's checks of a document, not a decider's: import-check.test.ts.
  t.same(
    codes.filter((code) => !provoked.has(code) && !code.startsWith('IMPORT_')),
    [],
    'codes without a refusal test',
  )
  t.same(
    [...provoked].filter((code) => code !== undefined && !codes.includes(code)),
    [],
    'tests of unknown codes',
  )
})
