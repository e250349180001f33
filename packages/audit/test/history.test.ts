import { generateKeyPairSync } from 'node:crypto'
import t from 'tap'
import {
  MerkleTree,
  canonicalJson,
  leafText,
  measureVerify,
  parseLeaf,
  signTreeHead,
  syntheticLeaves,
  toHex,
  verifyHistory,
  type LeafEvent,
} from '../src/index.ts'

const { privateKey, publicKey } = generateKeyPairSync('ed25519')
const lines = syntheticLeaves(40)

function headsOver(history: string[], sizes: number[], timestamp = '2026-03-01T00:00:00.000Z') {
  const tree = new MerkleTree()
  for (const line of history) tree.append(Buffer.from(line))
  return sizes.map((treeSize) =>
    signTreeHead({ treeSize, rootHash: toHex(tree.root(treeSize)), timestamp }, privateKey),
  )
}

const edit = (position: number, change: (event: LeafEvent) => void) =>
  lines.map((line, i) => {
    if (i + 1 !== position) return line
    const event = JSON.parse(line) as LeafEvent
    change(event)
    return leafText(event)
  })

const heads = headsOver(lines, [10, 20, 30, 40])

t.test('canonical JSON sorts keys at every level and drops all white space', async (t) => {
  t.equal(
    canonicalJson({ b: [1, { d: '中文', c: null }], a: true }),
    '{"a":true,"b":[1,{"c":null,"d":"中文"}]}',
  )
  t.throws(() => canonicalJson({ a: undefined }), TypeError)
  t.throws(() => canonicalJson({ a: Number.NaN }), TypeError)
  t.throws(() => canonicalJson(new Date()), TypeError)
  const line = lines[0] as string
  t.equal(leafText(parseLeaf(line)), line, 'a leaf reads back to the same bytes')
  t.throws(() => parseLeaf(` ${line}`), /canonical/, 'white space is not canonical')
  t.throws(() => parseLeaf(line.replace('{', '{"extra":1,')), /fields/)
})

t.test('an untouched history verifies against every head', async (t) => {
  const report = verifyHistory(lines, heads, publicKey)
  t.same(report, { ok: true, events: 40, headsVerified: 4, verifiedSize: 40, problem: null })
})

t.test('a changed field is found between the heads around it', async (t) => {
  const report = verifyHistory(
    edit(17, (e) => (e.data = { percent: 99 })),
    heads,
    publicKey,
  )
  t.equal(report.problem?.kind, 'root-mismatch')
  t.equal(report.problem?.position, 11)
  t.equal(report.problem?.lastPosition, 20)
  t.match(report.problem?.message, /positions 11 to 20/)
  const time = verifyHistory(
    edit(3, (e) => (e.metadata.recordedAt = '2026-01-01T00:00:03.001Z')),
    heads,
    publicKey,
  )
  t.equal(time.problem?.position, 1, 'the recording time is part of the leaf')
})

t.test('deleted, inserted and reordered events are named by position', async (t) => {
  const deleted = lines.filter((_, i) => i !== 24)
  t.match(verifyHistory(deleted, heads, publicKey).problem, { kind: 'missing-event', position: 25 })
  const inserted = [...lines.slice(0, 12), lines[11] as string, ...lines.slice(12)]
  t.match(verifyHistory(inserted, heads, publicKey).problem, { kind: 'unexpected-event', position: 13 })
  const swapped = [...lines]
  ;[swapped[5], swapped[6]] = [swapped[6] as string, swapped[5] as string]
  t.match(verifyHistory(swapped, heads, publicKey).problem, { kind: 'missing-event', position: 6 })
  t.match(verifyHistory(lines.slice(0, 35), heads, publicKey).problem, {
    kind: 'history-too-short',
    position: 36,
    lastPosition: 40,
  })
})

t.test('a history rewritten and signed again fails against the head published before', async (t) => {
  const rewritten = edit(8, (e) => (e.type = 'ProgressWithdrawn'))
  const resigned = headsOver(rewritten, [20, 40], '2026-04-01T00:00:00.000Z')
  t.ok(verifyHistory(rewritten, resigned, publicKey).ok, 'the new heads alone agree with the new history')
  const published = heads[0]
  t.match(verifyHistory(rewritten, [published, ...resigned], publicKey).problem, {
    kind: 'root-mismatch',
    position: 1,
    lastPosition: 10,
  })
  t.match(verifyHistory(lines, [...heads, ...resigned], publicKey).problem, { kind: 'conflicting-heads' })
})

t.test('a head with a bad signature or from another key is refused before any event is read', async (t) => {
  const bad = { ...heads[1], timestamp: '2026-03-01T00:00:00.001Z' }
  t.match(verifyHistory(lines, [heads[0], bad], publicKey).problem, { kind: 'bad-signature' })
  const other = generateKeyPairSync('ed25519')
  t.match(verifyHistory(lines, heads, other.publicKey).problem, { kind: 'bad-signature' })
  t.match(verifyHistory(lines, [{ treeSize: 'ten' }], publicKey).problem, { kind: 'malformed-head' })
})

t.test('the verify measurement checks the events it times', async (t) => {
  const measured = measureVerify(2000)
  t.equal(measured.events, 2000)
  t.ok(measured.report.ok)
  t.equal(measured.report.verifiedSize, 2000)
})

t.test('a change to any field of an event is found', async (t) => {
  const changes: [string, (e: LeafEvent) => void][] = [
    ['id', (e) => (e.id = e.id.replace(/.$/, (c) => (c === '0' ? '1' : '0')))],
    ['streamId', (e) => (e.streamId += 'x')],
    ['revision', (e) => (e.revision += 1)],
    ['position', (e) => (e.position += 1)],
    ['type', (e) => (e.type = 'ProgressReportes')],
    ['schemaVersion', (e) => (e.schemaVersion = 2)],
    ['data', (e) => (e.data = { ...(e.data as object), percent: 0 })],
    ['actor', (e) => (e.metadata.actor = { role: 'planner', user: 'x' })],
    ['correlationId', (e) => (e.metadata.correlationId = 'c-0')],
    ['causationId', (e) => (e.metadata.causationId = 'c-1')],
    ['occurredAt', (e) => (e.metadata.occurredAt = '2025-01-01T00:00:00.000Z')],
    ['recordedAt', (e) => (e.metadata.recordedAt = '2026-01-01T00:00:27.001Z')],
  ]
  for (const [field, change] of changes) {
    const report = verifyHistory(edit(27, change), heads, publicKey)
    t.notOk(report.ok, field)
    t.ok(
      (report.problem?.position ?? 0) >= 21 && (report.problem?.position ?? 0) <= 27,
      `${field}: ${report.problem?.message}`,
    )
  }
})
