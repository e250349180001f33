import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import t from 'tap'
import { importPlan, parsePlan, PlanImportError } from '../src/index.ts'

// Whatever arrives, the importer answers with a plan or a PlanImportError, never another failure.

const dir = new URL('./fixtures/', import.meta.url)
const lines = readdirSync(dir)
  .filter((name) => !name.includes('gbk'))
  .flatMap((name) => readFileSync(new URL(name, dir), 'utf8').split('\n'))

function settles(run: () => unknown): boolean {
  try {
    run()
    return true
  } catch (error) {
    return error instanceof PlanImportError
  }
}

t.test(
  'any selection of lines from real documents parses or is refused with a PlanImportError',
  async (t) => {
    const documents = fc
      .array(fc.constantFrom(...lines), { maxLength: 60 })
      .map((picked) => picked.join('\n'))
    fc.assert(fc.property(documents, (text) => settles(() => parsePlan(text))))
    t.pass()
  },
)

t.test('arbitrary text parses or is refused with a PlanImportError', async (t) => {
  const pieces = fc.constantFrom(
    '一、',
    '（一）',
    '1.',
    '(1)',
    '|',
    '\t',
    '牵头',
    '、',
    '。',
    '\n',
    '2025年',
    '50%',
    '区科委',
  )
  const text = fc.array(fc.oneof(fc.string(), pieces), { maxLength: 80 }).map((parts) => parts.join(''))
  fc.assert(fc.property(text, (value) => settles(() => parsePlan(value))))
  t.pass()
})

t.test('arbitrary bytes import or are refused with a PlanImportError', async (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => settles(() => importPlan(bytes))))
  t.pass()
})
