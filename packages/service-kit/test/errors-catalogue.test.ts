import { readFileSync } from 'node:fs'
import t from 'tap'
import { codeForStatus, kitErrors, type KitErrorCode } from '../src/index.ts'

const docs = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8')
const rows = [...docs.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| ([^|]+) \|/gm)].map(
  ([, code, status, message]) => ({
    code: code as string,
    status: Number(status),
    message: (message as string).trim(),
  }),
)
const codes = Object.keys(kitErrors.definitions) as KitErrorCode[]

t.test('docs/errors.md lists exactly the codes of the catalogue, in the same order', async (t) => {
  t.same(
    rows.map((r) => r.code),
    codes,
  )
})

t.test('each documented status and message is the one the code answers with', async (t) => {
  for (const row of rows) {
    const definition = kitErrors.definitions[row.code as KitErrorCode]
    t.same({ status: row.status, message: row.message }, definition, row.code)
  }
})

t.test('each code raises a DomainError with its status', async (t) => {
  for (const code of codes) {
    const error = kitErrors.make(code, 'detail')
    t.equal(error.code, code)
    t.equal(error.status, kitErrors.definitions[code].status)
    t.equal(error.message, `${kitErrors.definitions[code].message}: detail`)
    t.equal(codeForStatus(error.status), code, 'one code per status')
  }
  t.equal(codeForStatus(405), 'BAD_REQUEST', 'other 4xx')
  t.equal(codeForStatus(502), 'INTERNAL', 'other 5xx')
})
