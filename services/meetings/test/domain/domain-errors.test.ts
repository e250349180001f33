import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { meetingsErrors } from '../../src/domain.ts'

const here = dirname(fileURLToPath(import.meta.url))
const codes = Object.keys(meetingsErrors.definitions)

t.test('every error code has a message and a 4xx status that says who must act', async (t) => {
  for (const [code, { status, message }] of Object.entries(meetingsErrors.definitions)) {
    t.ok([400, 403, 404, 409].includes(status), `${code} answers ${status}`)
    t.ok(message.length > 0, `${code} has a message`)
    t.match(code, /^[A-Z][A-Z_]+$/, `${code} is an upper-case code`)
  }
})

t.test('a made error carries its code, status and detail', async (t) => {
  const error = meetingsErrors.make('FORBIDDEN_ROLE', 'planner may not adopt a resolution')
  t.equal(error.code, 'FORBIDDEN_ROLE')
  t.equal(error.status, 403)
  t.match(error.message, /secretariat.*: planner may not adopt a resolution$/)
})

// Keeps the catalogue and the tests in step: a code no test provokes is either dead or untested.
t.test('every code is provoked by at least one domain test', async (t) => {
  const sources = readdirSync(here)
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => readFileSync(join(here, name), 'utf8'))
    .join('\n')
  const provoked = new Set([...sources.matchAll(/(?:thenThrows\(|code: )'([A-Z_]+)'/g)].map((m) => m[1]))
  t.same(
    codes.filter((code) => !provoked.has(code)),
    [],
    'codes without a refusal test',
  )
})

// The README's error table is the documentation clients read: same codes, same statuses.
t.test('the README lists every code with its status, and no other', async (t) => {
  const readme = readFileSync(join(here, '..', '..', 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Errors'))
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])])
  const listed = new Map(rows.filter(([code]) => !String(code).startsWith('IMPORT_')) as [string, number][])
  t.same([...listed.keys()].sort(), [...codes].sort(), 'codes in the README')
  for (const code of codes) {
    const { status } = meetingsErrors.definitions[code as keyof typeof meetingsErrors.definitions]
    t.equal(listed.get(code), status, `${code} is documented as ${status}`)
  }
})
