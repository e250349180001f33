import { createPublicKey } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import t from 'tap'
import { verifyTreeHeadSignature, type ReviewDocument } from '@coord/audit'
import { openEmbeddedStore, uuidv7 } from '@coord/eventstore'
import { developmentKeyPath } from '@coord/notary'
import { scenario } from '../../audit/test/review-scenario.ts'
import { htmlToPdf, htmlToPng, withBrowser } from '../src/report-pdf.ts'
import { cliEnv, runCli, tempDir } from './helpers.ts'

// `coord audit report` on an embedded store holding the scenario of packages/audit/test: the
// events are appended through the store, then their recording times set to their business times
// (the store records "now"), so the year 2025 reads as it would have at its end.

async function scenarioStore(dataDir: string): Promise<void> {
  const store = await openEmbeddedStore({ dataDir })
  try {
    for (const event of scenario) {
      await store.appendToStream(event.streamId, [
        {
          id: uuidv7(),
          type: event.type,
          data: event.data as never,
          metadata: {
            actor: { role: 'system', user: 'scenario' },
            correlationId: uuidv7(),
            causationId: null,
            occurredAt: event.at,
          },
        },
      ])
    }
  } finally {
    await store.close()
  }
  const db = await PGlite.create(dataDir)
  try {
    await db.exec(`update es_events set recorded_at = (metadata->>'occurredAt')::timestamptz`)
  } finally {
    await db.close()
  }
}

t.test('coord audit report writes the review of a year as HTML, JSON and PDF', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  await scenarioStore(dataDir)
  const out = join(dir, 'out')
  const run = await runCli(['audit', 'report', '--year', '2025', '--out', out], cliEnv(dataDir))
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, /annual review 2025: 3 bureaus from 47 events, tree head size 47/)
  const document = JSON.parse(readFileSync(join(out, 'report-2025.json'), 'utf8')) as ReviewDocument
  const ip = document.bureaus.find((b) => b.bureauId === 'b-ip')
  t.same(
    [ip?.tasksDue.value, ip?.tasksOnTime.value, ip?.tasksLate.value, ip?.tasksOverdue.value],
    [4, 2, 1, 1],
  )
  t.equal(ip?.completionsRejected.value, 1)
  const publicKey = createPublicKey(readFileSync(developmentKeyPath(dataDir), 'utf8'))
  t.ok(verifyTreeHeadSignature(document.treeHead, publicKey), 'signed with the notary key of DATA_DIR')
  const html = readFileSync(join(out, 'report-2025.html'), 'utf8')
  t.match(html, '知识产权局')
  t.match(html, document.treeHead.rootHash)
  const pdf = readFileSync(join(out, 'report-2025.pdf'))
  t.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-')
  t.match(pdf.toString('latin1'), /NotoSansCJK/, 'the PDF embeds a Noto CJK font')

  const one = await runCli(
    ['audit', 'report', '--year', '2025', '--bureau', 'b-sci', '--format', 'json', '--out', out],
    cliEnv(dataDir),
  )
  t.equal(one.code, 0, one.stderr)
  const single = JSON.parse(readFileSync(join(out, 'report-2025-b-sci.json'), 'utf8')) as ReviewDocument
  t.same(
    single.bureaus.map((b) => [b.bureauId, b.dutiesGained.value, b.tasksOnTime.value]),
    [['b-sci', 1, 1]],
  )
  t.notOk(existsSync(join(out, 'report-2025-b-sci.pdf')), 'only the formats asked for')
})

t.test('bad report options are usage errors', async (t) => {
  const dir = tempDir(t)
  const env = cliEnv(join(dir, 'data'))
  for (const args of [
    ['--year', '25'],
    ['--year', '2025', '--format', 'docx'],
    ['--year', '2025', '--bureau', '../etc'],
    [],
  ]) {
    const run = await runCli(['audit', 'report', ...args], env)
    t.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`)
  }
  await scenarioStore(join(dir, 'data'))
  const unknown = await runCli(
    ['audit', 'report', '--year', '2025', '--bureau', 'b-none', '--format', 'json'],
    env,
  )
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, "no bureau 'b-none' was registered by the end of 2025")
})

t.test('a report whose PDF cannot be printed says what to install and writes no file', async (t) => {
  const dir = tempDir(t)
  const dataDir = join(dir, 'data')
  await scenarioStore(dataDir)
  const out = join(dir, 'out')
  const chromium = join(dir, 'no-chromium')
  const run = await runCli(
    ['audit', 'report', '--year', '2025', '--out', out],
    cliEnv(dataDir, { CHROMIUM_PATH: chromium }),
  )
  t.equal(run.code, 1, 'the command could not do its work')
  t.equal(run.stdout, '')
  t.match(run.stderr, `coord: cannot start ${chromium} to print the PDF`)
  t.match(run.stderr, /install Debian's chromium .* or leave the PDF out with --format html,json/)
  t.notMatch(run.stderr, /unexpected error|\n\s+at /, 'no stack')
  t.notOk(existsSync(out), 'no HTML or JSON written before the PDF failed')
})

t.test('Chinese text renders in a CJK font, not as empty boxes', async (t) => {
  const page = (text: string) =>
    `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;font-family:'Noto Sans CJK SC';font-size:40px}</style></head><body><p>${text}</p></body></html>`
  await withBrowser(async (browser) => {
    // Missing glyphs are drawn as identical boxes, so two different strings of the same length
    // would give the same picture; real glyphs differ.
    const a = await htmlToPng(page('知识产权局年度考核'), browser, 500)
    const b = await htmlToPng(page('科技和经济委员会办'), browser, 500)
    const again = await htmlToPng(page('知识产权局年度考核'), browser, 500)
    t.not(Buffer.from(a).toString('base64'), Buffer.from(b).toString('base64'))
    t.equal(
      Buffer.from(a).toString('base64'),
      Buffer.from(again).toString('base64'),
      'rendering is deterministic',
    )
    const pdf = await htmlToPdf(page('知识产权局'), browser)
    t.match(Buffer.from(pdf).toString('latin1'), /NotoSansCJK/)
  })
})
