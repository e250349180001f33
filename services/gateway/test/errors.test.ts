import { readFileSync } from 'node:fs'
import t from 'tap'
import { gatewayErrors } from '../src/index.ts'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const documented = new Map<string, { status: number; message: string }>()
for (const [, code = '', status = '', message = ''] of readme.matchAll(
  /^\| `([A-Z_]+)` \| (\d{3}) \| (.+) \|$/gm,
)) {
  documented.set(code, { status: Number(status), message })
}

t.test('every gateway error code is documented in the README with its status and message', async (t) => {
  for (const [code, definition] of Object.entries(gatewayErrors.definitions)) {
    t.same(documented.get(code), definition, code)
  }
})

t.test('the README documents no code the gateway does not have', async (t) => {
  for (const code of documented.keys()) t.ok(code in gatewayErrors.definitions, code)
})
