import type { ResolutionEffect } from '@coord/events/meetings'
import t from 'tap'
import { implementationStatus, type TaskProgress } from '../../src/domain.ts'
import { exhibitionWork, planId } from './fixtures.ts'

const today = '2018-06-01'
const work = exhibitionWork
const task = (status: string, deadline: string | null = '2018-11-05', closed?: boolean): TaskProgress =>
  closed === undefined ? { status, deadline } : { status, deadline, closed }

t.test('work not yet visible or only assigned has not started', async (t) => {
  t.equal(implementationStatus(work, [], today), 'not_started')
  t.equal(implementationStatus(work, [task('published')], today), 'not_started')
  t.equal(implementationStatus(work, [task('assigned')], today), 'not_started')
})

t.test('work acknowledged or reported on is in progress', async (t) => {
  for (const status of ['acknowledged', 'in_progress', 'completion_submitted']) {
    t.equal(implementationStatus(work, [task(status)], today), 'in_progress', status)
  }
  t.equal(implementationStatus(work, [task('verified'), task('assigned')], today), 'in_progress')
})

t.test('work is done when every task is verified or closed out', async (t) => {
  t.equal(implementationStatus(work, [task('verified'), task('closed')], today), 'done')
  t.equal(implementationStatus(work, [task('verified', '2018-01-01', true)], today), 'done')
  t.equal(implementationStatus(work, [task('closed', '2018-01-01')], today), 'done', 'late but done is done')
})

t.test('a task past its deadline and not done makes the resolution overdue', async (t) => {
  t.equal(implementationStatus(work, [task('in_progress', '2018-05-31')], today), 'overdue')
  t.equal(implementationStatus(work, [task('verified'), task('assigned', '2018-05-31')], today), 'overdue')
  t.equal(
    implementationStatus(work, [task('in_progress', today)], today),
    'in_progress',
    'the deadline day is on time',
  )
})

t.test('a suspended or cancelled task is not overdue', async (t) => {
  t.equal(implementationStatus(work, [task('suspended', '2018-05-01')], today), 'not_started')
  t.equal(implementationStatus(work, [task('cancelled', '2018-05-01')], today), 'not_started')
})

t.test('deadline changes and reassignments follow the task they concern', async (t) => {
  const move: ResolutionEffect = {
    kind: 'change-deadline',
    planId,
    taskId: '三.(二).7',
    deadline: '2018-12-31',
    reason: '展会延期',
  }
  const reassign: ResolutionEffect = {
    kind: 'change-responsibility',
    planId,
    taskId: '三.(二).7',
    leads: ['commerce'],
    partners: [],
  }
  t.equal(implementationStatus(move, [task('in_progress', '2018-12-31')], today), 'in_progress')
  t.equal(implementationStatus(reassign, [task('closed')], today), 'done')
})

t.test('a recorded position is done; a duty transfer is done from its effective date', async (t) => {
  t.equal(implementationStatus({ kind: 'record-position' }, [], today), 'done')
  const transfer: ResolutionEffect = {
    kind: 'transfer-duty',
    fromBureauId: 'market-supervision',
    listKind: 'power',
    dutyId: 'patent-enforcement',
    toBureauId: 'ip-office',
    effectiveDate: today,
  }
  t.equal(implementationStatus(transfer, [], today), 'done')
  t.equal(implementationStatus(transfer, [], '2018-05-31'), 'not_started')
})
