import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  exampleText,
  isError,
  newIds,
  openApi,
  paths,
  smallPlan,
  snapshot,
  writesNothing,
  type Api,
} from './harness.ts'

// POST /plans/import beyond what every command route does: encodings, documents the importer
// refuses, and re-importing a document that was imported before.

const api = await openApi(t)

interface ImportAnswer {
  streamId: string
  revision: number
  position: number
  events: string[]
  planId: string
  targets: number
  tasks: number
  lastPosition: number
}

interface PlanState {
  sections: { ordinal: string; title: string }[]
  source: { sha256: string; fileName?: string }
  [field: string]: unknown
}

async function importPlan(api: Api, body: object): Promise<ImportAnswer> {
  const res = await api.post(paths.import, { body })
  if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body}`)
  return res.json<ImportAnswer>()
}

async function planState(api: Api, planId: string): Promise<PlanState> {
  const res = await api.get(paths.plan(planId))
  if (res.statusCode !== 200) throw new Error(`GET plan: ${res.statusCode} ${res.body}`)
  return res.json<{ state: PlanState }>().state
}

/** The example plan as GBK bytes, via iconv. GBK has no no-break space, so those become spaces. */
function gbkExample(t: Test): { text: string; bytes: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'planning-gbk-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const text = exampleText.replaceAll('\u00a0', ' ')
  const utf8File = join(dir, 'plan.utf8.txt')
  writeFileSync(utf8File, text)
  const bytes = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', utf8File])
  return { text, bytes }
}

t.test(
  'the example plan sent as GBK bytes in contentBase64 imports as the same plan as its UTF-8 text',
  async (t) => {
    const { text, bytes } = gbkExample(t)
    t.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the bytes are not UTF-8')
    const fromGbk = newIds('gbk')
    const fromUtf8 = newIds('utf')
    const body = {
      contentBase64: bytes.toString('base64'),
      fileName: '浦府2017-94.gbk.txt',
      planId: fromGbk.planId,
    }
    const imported = await importPlan(api, body)
    t.match(imported, { planId: fromGbk.planId, targets: 3, tasks: 33, events: ['PlanImported'] })
    await importPlan(api, { text, planId: fromUtf8.planId })

    const gbkPlan = await planState(api, fromGbk.planId)
    const utf8Plan = await planState(api, fromUtf8.planId)
    t.match(gbkPlan, {
      status: 'imported',
      title: '浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)',
      docNumber: '浦府〔2017〕94号',
      issuer: '上海市浦东新区人民政府',
      issueDate: '2017-05-22',
      period: { from: '2017', to: '2019' },
      source: { fileName: '浦府2017-94.gbk.txt' },
    })
    t.equal(gbkPlan.source.sha256, utf8Plan.source.sha256, 'GBK decodes to exactly the UTF-8 text')
    const { planId: _a, source: _b, ...gbkRest } = gbkPlan
    const { planId: _c, source: _d, ...utf8Rest } = utf8Plan
    t.same(gbkRest, utf8Rest, 'both imports give the same plan')
  },
)

t.test(
  'the imported example plan has its header, its three 2019 targets and a stream per task',
  async (t) => {
    const { planId } = newIds('ex')
    const imported = await importPlan(api, { text: exampleText, planId })
    t.match(imported, {
      streamId: `plan-${planId}`,
      revision: 4,
      events: ['PlanImported', 'TargetDefined', 'TargetDefined', 'TargetDefined'],
      planId,
      targets: 3,
      tasks: 33,
    })
    t.equal(
      imported.lastPosition,
      await api.store.headPosition(),
      'lastPosition is the last event the import wrote',
    )
    const plan = await planState(api, planId)
    t.same(
      plan.sections.map((s) => s.ordinal),
      ['一', '二', '三', '四'],
    )
    t.match(plan.targets, [
      {
        targetId: 'T1',
        metric: '每万人口发明专利拥有量',
        value: 48,
        unit: '件',
        deadline: '2019',
        latest: null,
      },
      { targetId: 'T2', metric: '上海市著名商标数量', value: 255, unit: '件', deadline: '2019' },
      { targetId: 'T3', metric: '软件著作权新增登记量', value: 1.8, unit: '万件', deadline: '2019' },
    ])
    const task = await api.get(paths.task(planId, '三.(二).7'))
    t.equal(task.statusCode, 200, task.body)
    t.match(task.json(), {
      streamId: `task-${planId}/三.(二).7`,
      revision: 1,
      state: {
        status: 'published',
        sectionPath: ['三', '(二)'],
        basis: { kind: 'plan-clause', planId, clause: '三.(二).7' },
      },
    })
    t.match(task.json().state.title, /^加强展会知识产权保护/)
  },
)

t.test('importing the same document again appends nothing and answers the same plan', async (t) => {
  const { planId } = newIds('again')
  const first = await importPlan(api, { text: exampleText, planId })
  const before = await snapshot(api.store, `plan-${planId}`)
  const again = await importPlan(api, { text: exampleText, planId, fileName: 'again.txt' })
  t.match(again, { planId, revision: first.revision, position: first.position, events: [], tasks: 33 })
  await writesNothing(t, api.store, `plan-${planId}`, before)
})

t.test(
  'a document imported without a plan id gets one from its content, so a re-import lands on it',
  async (t) => {
    const text = smallPlan.replace('2018年3月1日', '2018年3月2日')
    const first = await importPlan(api, { text })
    t.match(first.planId, /^p[0-9a-f]{12}$/)
    const before = await snapshot(api.store, first.streamId)
    const again = await importPlan(api, { text })
    t.equal(again.planId, first.planId)
    t.same(again.events, [])
    await writesNothing(t, api.store, first.streamId, before)
  },
)

t.test('the lead and partner bureaus a document names are assigned on import', async (t) => {
  const { planId } = newIds('leads')
  await importPlan(api, { text: smallPlan, planId })
  const res = await api.get(paths.task(planId, '二.1'))
  t.match(res.json().state, { status: 'assigned', leads: ['区知识产权局'], partners: ['区商务委'] })
})

t.test('a document with no structure is refused with 422 IMPORT_NO_STRUCTURE naming its line', async (t) => {
  const before = await api.store.headPosition()
  const res = await api.post(paths.import, { body: { text: '关于做好有关工作的说明\n请各单位认真落实。\n' } })
  isError(t, res, 422, 'IMPORT_NO_STRUCTURE', { message: /^line \d+: /, details: { line: Number } })
  t.equal(await api.store.headPosition(), before, 'nothing was written')
})

t.test('a blank document is refused with IMPORT_EMPTY_DOCUMENT', async (t) => {
  const before = await api.store.headPosition()
  const res = await api.post(paths.import, { body: { text: ' \n\n  \n' } })
  isError(t, res, 400, 'IMPORT_EMPTY_DOCUMENT')
  t.equal(await api.store.headPosition(), before, 'nothing was written')
})

t.test('binary bytes in contentBase64 are refused with a 4xx IMPORT_BINARY_DOCUMENT', async (t) => {
  const before = await api.store.headPosition()
  const pdfLike = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0x01, 0x02, 0xff])
  const res = await api.post(paths.import, { body: { contentBase64: pdfLike.toString('base64') } })
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `a client error (${res.statusCode})`)
  t.match(res.json(), { error: 'IMPORT_BINARY_DOCUMENT' })
  t.equal(await api.store.headPosition(), before, 'nothing was written')
})

t.test('contentBase64 that is not base64 is refused as such, and writes nothing', async (t) => {
  const before = await api.store.headPosition()
  for (const contentBase64 of ['!!!notbase64', '计划', 'QUJD=RA==', 'QUJDR']) {
    const res = await api.post(paths.import, { body: { contentBase64 } })
    isError(t, res, 400, 'BAD_REQUEST', { message: /contentBase64 is not base64/ })
  }
  // Wrapped at 76 characters as `base64` writes it, and the URL-safe alphabet, decode as ever.
  const wrapped = Buffer.from(smallPlan, 'utf8')
    .toString('base64')
    .replace(/(.{76})/g, '$1\n')
  const res = await api.post(paths.import, { body: { contentBase64: wrapped, planId: 'wrapped-b64' } })
  t.equal(res.statusCode, 200, 'line breaks are ignored')
  t.ok((await api.store.headPosition()) > before, 'the wrapped document was imported')
})

t.test('a document as long as the schema allows is read, past the 1 MiB of other bodies', async (t) => {
  // About 400,000 Chinese characters: 1.2 MB of UTF-8, over the limit of other bodies.
  const goal = '知识产权保护体系更加完善，'.repeat(30_000)
  const text = smallPlan.replace(
    '到2019年，知识产权示范企业达到10家。',
    `${goal}到2019年，知识产权示范企业达到10家。`,
  )
  t.ok(Buffer.byteLength(text) > 1024 * 1024, 'over 1 MiB')
  const res = await api.post(paths.import, { body: { text, planId: 'long-text' } })
  t.equal(res.statusCode, 200, `imported (${res.statusCode})`)
  const over = await api.post(paths.import, { body: { text: `${text}${'知'.repeat(320_000)}` } })
  isError(t, over, 400, 'BAD_REQUEST', { field: 'text' })
})

t.test('an import needs exactly one of text and contentBase64', async (t) => {
  const before = await api.store.headPosition()
  const content = Buffer.from(smallPlan).toString('base64')
  for (const body of [{}, { planId: 'neither' }, { text: smallPlan, contentBase64: content }]) {
    const res = await api.post(paths.import, { body })
    isError(t, res, 400, 'BAD_REQUEST', { message: /exactly one of text and contentBase64/ })
  }
  const empty = await api.post(paths.import)
  isError(t, empty, 400, 'BAD_REQUEST')
  t.equal(await api.store.headPosition(), before, 'nothing was written')
})

t.test('a plan id outside the allowed characters is refused with 400 naming planId', async (t) => {
  for (const planId of ['a/b', '-leading-dash', '浦东', 'x'.repeat(65)]) {
    const res = await api.post(paths.import, { body: { text: smallPlan, planId } })
    isError(t, res, 400, 'BAD_REQUEST', { field: 'planId' })
  }
})

// Regression: importPlanDocument re-sends each task's AssignTask on every import. A re-import
// after the plan office reassigned a task reverts the assignment to the document's bureaus.
t.test(
  're-importing a document after a task was reassigned appends nothing and keeps the reassignment',
  async (t) => {
    const { planId } = newIds('reassign')
    await importPlan(api, { text: smallPlan, planId })
    const reassigned = await api.post(paths.task(planId, '二.1', 'assign'), { body: { leads: ['区商务委'] } })
    t.equal(reassigned.statusCode, 200, reassigned.body)
    const before = await api.store.headPosition()
    const again = await api.post(paths.import, { body: { text: smallPlan, planId } })
    t.equal(again.statusCode, 200, again.body)
    t.equal(await api.store.headPosition(), before, 'the re-import appended nothing')
    const task = await api.get(paths.task(planId, '二.1'))
    t.same(task.json().state.leads, ['区商务委'], 'the reassignment stands')
  },
)

// Regression: AssignTask checks the task's status before noticing the assignment is unchanged, so
// a re-import fails with 409 once any task of the document is cancelled, verified or closed.
t.test(
  're-importing a document after one of its tasks was cancelled answers 200 and appends nothing',
  async (t) => {
    const { planId } = newIds('cancelled')
    await importPlan(api, { text: smallPlan, planId })
    const cancelled = await api.post(paths.task(planId, '二.2', 'cancel'), { body: { reason: '并入二.1' } })
    t.equal(cancelled.statusCode, 200, cancelled.body)
    const before = await api.store.headPosition()
    const again = await api.post(paths.import, { body: { text: smallPlan, planId } })
    t.equal(again.statusCode, 200, again.body)
    t.equal(await api.store.headPosition(), before, 'the re-import appended nothing')
  },
)
