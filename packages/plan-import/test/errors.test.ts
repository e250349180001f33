import { readFileSync } from 'node:fs'
import t from 'tap'
import { PlanImportError, planImportErrors, type PlanImportErrorCode } from '../src/index.ts'
import { refusal } from './refusal.ts'

// Input that cannot be read as a plan is refused with a code, the line and the reason.

t.test('an empty or blank text is EMPTY_DOCUMENT', async (t) => {
  for (const text of ['', '   ', '\n\n\u3000\n']) {
    const error = refusal(text)
    t.equal(error.code, 'EMPTY_DOCUMENT')
    t.equal(error.line, null)
  }
})

t.test('a text holding binary data is BINARY_DOCUMENT, naming the line', async (t) => {
  const error = refusal('浦东新区工作方案\n一、重点工作\n1.甲\u0000乙。')
  t.equal(error.code, 'BINARY_DOCUMENT')
  t.equal(error.line, 3)
})

t.test('a text decoded with the wrong encoding is UNDECODABLE, naming the line', async (t) => {
  const error = refusal(`浦东新区工作方案\n${'\ufffd'.repeat(20)}\n`)
  t.equal(error.code, 'UNDECODABLE')
  t.equal(error.line, 2)
})

t.test(
  'prose without numbered headings, decisions or a table is NO_STRUCTURE at its first line',
  async (t) => {
    const error = refusal('浦东新区工作方案\n\n这是一段没有任何编号的说明文字。\n另一段文字。')
    t.equal(error.code, 'NO_STRUCTURE')
    t.equal(error.line, 3)
    t.match(error.message, /^line 3: no numbered headings/)
  },
)

t.test('a key-work heading with no items under it is NO_TASKS at that heading', async (t) => {
  const error = refusal('浦东新区工作方案\n一、指导思想\n坚持创新驱动。\n二、重点任务\n各部门要抓好落实。')
  t.equal(error.code, 'NO_TASKS')
  t.equal(error.line, 4)
  t.match(error.message, /^line 4: the key-work heading has no numbered items/)
})

t.test('a plan with only preamble and safeguards is NO_TASKS at its first heading', async (t) => {
  const error = refusal(
    '浦东新区工作方案\n\n一、指导思想\n坚持创新驱动。\n二、保障措施\n（一）加强组织领导。',
  )
  t.equal(error.code, 'NO_TASKS')
  t.equal(error.line, 3)
})

t.test('PlanImportError is an Error carrying code, line and HTTP status', async (t) => {
  const error = new PlanImportError('NO_TASKS', 7, 'no tasks here')
  t.ok(error instanceof Error)
  t.equal(error.name, 'PlanImportError')
  t.equal(error.message, 'line 7: no tasks here')
  t.equal(error.status, 422)
  t.equal(new PlanImportError('EMPTY_DOCUMENT', null).message, 'the document is empty')
})

t.test('every error code is documented in the README, and the README lists no other', async (t) => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
  const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])])
  const codes = Object.keys(planImportErrors) as PlanImportErrorCode[]
  t.same(
    documented,
    codes.map((code) => [code, planImportErrors[code].status]),
  )
})
