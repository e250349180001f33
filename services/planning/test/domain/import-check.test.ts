import t from 'tap'
import { DomainError } from '@coord/domain'
import type { ParsedPlan, PlanTask } from '@coord/plan-import'
import { requireDistinctTasks } from '../../src/plan/import-check.ts'

const task = (id: string, title: string): PlanTask => ({ id, title, leads: [], partners: [] })
const plan = (tasks: PlanTask[]): ParsedPlan => ({
  title: '测试工作方案',
  docNumber: null,
  issuer: null,
  issueDate: null,
  period: null,
  sections: [],
  targets: [],
  tasks,
  taskCount: tasks.length,
  safeguards: [],
})

t.test('two key tasks with one number are refused, naming the number and both titles', async (t) => {
  const refused = t.throws(() =>
    requireDistinctTasks(
      plan([task('二.1', '建立协作机制'), task('二.2', '开展宣传'), task('二.1', '组织培训')]),
    ),
  ) as DomainError
  t.ok(refused instanceof DomainError)
  t.match(refused, {
    code: 'IMPORT_DUPLICATE_TASK_ID',
    status: 422,
    message: /二\.1/,
    details: { taskId: '二.1', titles: ['建立协作机制', '组织培训'] },
  })
})

t.test('tasks with numbers of their own pass', async (t) => {
  t.doesNotThrow(() => requireDistinctTasks(plan([task('二.1', 'a'), task('二.2', 'b'), task('三.1', 'c')])))
})
