import t from 'tap'
import { copyData, type CopyColumn } from '../src/copy.ts'

// COPY's text format: a line a row, a tab between columns, \N for null, and backslash, newline,
// return and tab escaped with a backslash. JSON columns hold JSON.stringify's text.

interface Row {
  id: number
  name: string | null
  tags: unknown
  note?: string
}

const columns: CopyColumn<Row>[] = [
  { name: 'id' },
  { name: 'name' },
  { name: 'tags', json: true },
  { name: 'note' },
  { name: 'twice', of: (row) => row.id * 2 },
]

t.test('values, nulls and escapes', async (t) => {
  const shared = { leads: ['规划局'], path: 'a\\b' }
  const rows: Row[] = [
    { id: 1, name: '加强展会知识产权保护', tags: shared },
    { id: 2, name: 'tab\there\nline\rreturn\\slash', tags: shared, note: 'x' },
    { id: 3, name: null, tags: ['进展10', 'quote"d'] },
    { id: 4, name: 'n', tags: 'a\\b' },
    { id: 5, name: 'n', tags: 7 },
  ]
  const text = copyData(columns, rows).toString('utf8')
  t.equal(
    text,
    [
      '1\t加强展会知识产权保护\t{"leads":["规划局"],"path":"a\\\\\\\\b"}\t\\N\t2',
      '2\ttab\\there\\nline\\rreturn\\\\slash\t{"leads":["规划局"],"path":"a\\\\\\\\b"}\tx\t4',
      '3\t\\N\t["进展10","quote\\\\"d"]\t\\N\t6',
      '4\tn\t"a\\\\\\\\b"\t\\N\t8',
      '5\tn\t7\t\\N\t10',
      '',
    ].join('\n'),
  )
})

t.test('an object shared by rows is written as it is for each', async (t) => {
  const acknowledged = [{ at: '2019-03-01T02:00:00.000Z', bureauId: 'b1' }]
  const rows: Row[] = Array.from({ length: 3 }, (_, i) => ({ id: i, name: 'n', tags: acknowledged }))
  const lines = copyData(columns, rows).toString('utf8').trimEnd().split('\n')
  t.same(
    lines.map((line) => line.split('\t')[2]),
    Array.from({ length: 3 }, () => JSON.stringify(acknowledged)),
  )
})

t.test('a batch far larger than the first guess: every line whole, in order, UTF-8', async (t) => {
  const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({
    id: i,
    // Lines of growing length: the room made after the first line does not cover them.
    name: '知识产权'.repeat(1 + (i % 97)),
    tags: { i },
  }))
  const data = copyData(columns, rows)
  const lines = data.toString('utf8').trimEnd().split('\n')
  t.equal(lines.length, rows.length)
  t.ok(
    lines.every((line, i) => line === `${i}\t${rows[i]?.name}\t{"i":${i}}\t\\N\t${i * 2}`),
    'each line as its row',
  )
  t.equal(data.length, Buffer.byteLength(data.toString('utf8')), 'no byte past the last line')
})

t.test('no rows, no bytes', async (t) => {
  t.equal(copyData(columns, []).length, 0)
})
