import { readFileSync } from 'node:fs'
import t from 'tap'
import { decodePlanFile, importPlan, parsePlan, PlanImportError } from '../src/index.ts'

const fixture = (name: string): Buffer => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const sample = '浦东新区知识产权工作方案\n一、重点工作\n1.建立快速维权机制。\n'

function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le')
  for (let i = 0; i + 1 < le.length; i += 2) le.writeUInt16BE(le.readUInt16LE(i), i)
  return le
}

function rejection(bytes: Uint8Array): PlanImportError {
  try {
    decodePlanFile(bytes)
  } catch (error) {
    if (error instanceof PlanImportError) return error
    throw error
  }
  throw new Error('decodePlanFile accepted the bytes')
}

t.test('UTF-8 is decoded with or without a byte order mark, and the mark is dropped', async (t) => {
  t.equal(decodePlanFile(utf8(sample)), sample)
  t.equal(decodePlanFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(sample)])), sample)
})

t.test('UTF-16 with a byte order mark is decoded in either byte order', async (t) => {
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')])
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(sample)])
  t.equal(decodePlanFile(le), sample)
  t.equal(decodePlanFile(be), sample)
})

t.test('a GBK file (written by iconv) imports exactly like its UTF-8 original', async (t) => {
  const gbk = fixture('implementation-plan.gbk.txt')
  t.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(gbk), 'the fixture really is not UTF-8')
  t.equal(decodePlanFile(gbk), fixture('implementation-plan.txt').toString('utf8'))
  t.same(importPlan(gbk), parsePlan(fixture('implementation-plan.txt').toString('utf8')))
})

t.test('GB18030 text beyond GBK (four-byte sequences) still decodes', async (t) => {
  // 中文中文 in GB2312, then ✓ as the four-byte sequence 0x8137BD37 (byte values from iconv).
  const bytes = Buffer.from([
    0xd6, 0xd0, 0xce, 0xc4, 0xd6, 0xd0, 0xce, 0xc4, 0xd6, 0xd0, 0x81, 0x37, 0xbd, 0x37,
  ])
  t.equal(decodePlanFile(bytes), '中文中文中✓')
})

t.test('an empty file is rejected as EMPTY_DOCUMENT', async (t) => {
  const error = rejection(new Uint8Array())
  t.equal(error.code, 'EMPTY_DOCUMENT')
  t.equal(error.line, null)
  t.equal(rejection(utf8('\n  \r\n\u3000\n')).code, 'EMPTY_DOCUMENT', 'blank text is empty too')
  t.equal(
    rejection(Buffer.from([0xef, 0xbb, 0xbf])).code,
    'EMPTY_DOCUMENT',
    'a lone byte order mark is empty',
  )
})

t.test('a file with a NUL byte is rejected as binary, naming the line it is on', async (t) => {
  const error = rejection(Buffer.concat([utf8('标题\n第二行\n'), Buffer.from([0x50, 0x4b, 0x00, 0x03])]))
  t.equal(error.code, 'BINARY_DOCUMENT')
  t.equal(error.line, 3)
  t.match(error.message, /^line 3: .*binary/)
})

t.test('text full of control characters is rejected as binary', async (t) => {
  const noise = Array.from({ length: 40 }, (_, i) => String.fromCharCode(1 + (i % 7))).join('')
  const error = rejection(utf8(`一、重点工作\n${noise}\n`))
  t.equal(error.code, 'BINARY_DOCUMENT')
  t.equal(error.line, 2)
})

t.test('a few stray control characters in real text are tolerated', async (t) => {
  t.equal(
    decodePlanFile(utf8(`一、重点工作\u0007\n\f1.建立机制。\t\n`)),
    `一、重点工作\u0007\n\f1.建立机制。\t\n`,
  )
})

t.test('bytes that are neither UTF-8 nor plausible Chinese are UNDECODABLE, naming the line', async (t) => {
  const latin1 = Buffer.from('Plan\nCaf\xe9 au lait\n', 'latin1')
  const error = rejection(latin1)
  t.equal(error.code, 'UNDECODABLE')
  t.equal(error.line, 2)
  // Big5 for 重點工作 (not GB2312): valid-looking high bytes, but mostly outside the GB2312 block.
  const big5 = Buffer.from([0xad, 0xab, 0xc2, 0x49, 0xa4, 0x75, 0xa7, 0x40, 0xad, 0xab, 0xc2, 0x49])
  t.equal(rejection(big5).code, 'UNDECODABLE')
})

t.test('a byte order mark over bytes of another encoding is UNDECODABLE', async (t) => {
  const error = rejection(Buffer.from([0xff, 0xfe, 0x00, 0xd8]))
  t.equal(error.code, 'UNDECODABLE')
  t.match(error.message, /byte order mark/)
})
