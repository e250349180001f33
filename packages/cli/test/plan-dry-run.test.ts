import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { cliEnv, examplePath, runCli, tempDir } from './helpers.ts'

// `coord plan import <file> --dry-run`: the real CLI in a child process reading the example plan,
// and files it must refuse with a clear reason and a non-zero exit code.

const groups: [string, number][] = [
  ['一', 5],
  ['二', 7],
  ['三', 4],
  ['四', 4],
  ['五', 7],
  ['六', 3],
  ['七', 3],
]
const taskIds = groups.flatMap(([group, count]) =>
  Array.from({ length: count }, (_, i) => `三.(${group}).${i + 1}`),
)

t.test(
  'plan import --dry-run --json prints exactly the documented JSON shape and nothing else',
  async (t) => {
    const run = await runCli(['plan', 'import', examplePath, '--dry-run', '--json'], cliEnv(tempDir(t)))
    t.equal(run.code, 0, run.stderr)
    t.equal(run.stderr, '', 'nothing on stderr')
    const plan = JSON.parse(run.stdout)
    t.equal(run.stdout, `${JSON.stringify(plan, null, 2)}\n`, 'stdout is the JSON document alone')
    t.same(Object.keys(plan), [
      'title',
      'docNumber',
      'issuer',
      'issueDate',
      'period',
      'sections',
      'targets',
      'tasks',
      'taskCount',
      'safeguards',
    ])
    t.equal(plan.title, '浦东新区国家知识产权示范城市(城区)培育工作方案(2017-2019)')
    t.equal(plan.docNumber, '浦府〔2017〕94号')
    t.equal(plan.issuer, '上海市浦东新区人民政府')
    t.equal(plan.issueDate, '2017-05-22')
    t.equal(plan.period, '2017-2019')
    t.same(plan.sections, [
      { ordinal: '一', title: '指导思想' },
      { ordinal: '二', title: '工作目标' },
      { ordinal: '三', title: '重点工作' },
      { ordinal: '四', title: '保障措施' },
    ])
    for (const target of plan.targets)
      t.same(Object.keys(target), ['text', 'metric', 'value', 'unit', 'deadline'])
    t.same(
      plan.targets.map((target: { value: number; unit: string; deadline: string }) => [
        target.value,
        target.unit,
        target.deadline,
      ]),
      [
        [48, '件', '2019'],
        [255, '件', '2019'],
        [1.8, '万件', '2019'],
      ],
    )
    for (const task of plan.tasks) t.same(Object.keys(task), ['id', 'title', 'leads', 'partners'])
    t.same(
      plan.tasks.map((task: { id: string }) => task.id),
      taskIds,
    )
    t.equal(plan.taskCount, 33)
    t.same(plan.safeguards, ['工作机制保障', '财政资金保障', '加强考核监督'])
  },
)

t.test('plan import of a missing file exits non-zero naming the file, with nothing on stdout', async (t) => {
  const dir = tempDir(t)
  const missing = join(dir, 'no-such-plan.txt')
  const run = await runCli(['plan', 'import', missing, '--dry-run', '--json'], cliEnv(dir))
  t.not(run.code, 0)
  t.equal(run.stdout, '')
  t.match(run.stderr, `coord: cannot read ${missing}: ENOENT`)
  t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
})

t.test('plan import of an empty file exits non-zero saying it is empty', async (t) => {
  const dir = tempDir(t)
  const empty = join(dir, 'empty.txt')
  writeFileSync(empty, '')
  const run = await runCli(['plan', 'import', empty, '--dry-run'], cliEnv(dir))
  t.not(run.code, 0)
  t.equal(run.stdout, '')
  t.match(run.stderr, /empty\.txt: .*empty/)
})

t.test('plan import of a binary file exits non-zero saying it is binary', async (t) => {
  const dir = tempDir(t)
  const binary = join(dir, 'plan.docx')
  writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]))
  const run = await runCli(['plan', 'import', binary, '--dry-run', '--json'], cliEnv(dir))
  t.not(run.code, 0)
  t.equal(run.stdout, '')
  t.match(run.stderr, /plan\.docx: .*binary/)
})
