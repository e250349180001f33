import { fold } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import t from 'tap'
import { taskDecider, type ReportProgress } from '../../src/domain.ts'
import {
  acknowledged,
  assigned,
  cancelled,
  closed,
  commerce,
  culture,
  evidence,
  inProgress,
  ipOffice,
  planner,
  published,
  submitted,
  supervisor,
  suspended,
  taskCommand,
  verified,
  specFor,
} from './fixtures.ts'

const spec = specFor(taskDecider)

t.test('ReportProgress', async (t) => {
  const data = { percent: 80, narrative: '完成展会巡查', evidence }
  const report = (more: Partial<ReportProgress['data']> = {}, actor = ipOffice) =>
    taskCommand('ReportProgress', { ...data, ...more }, actor)
  const progress = (bureauId: string): TaskEvent[] => [
    { type: 'ProgressReported', data: { bureauId, ...data } },
  ]
  t.test('a lead bureau reports progress with evidence', async (t) => {
    spec(t).given(inProgress).when(report()).then(progress('ip-office'))
  })
  t.test('a partner bureau reports its own share', async (t) => {
    spec(t).given(acknowledged).when(report({}, commerce)).then(progress('commerce'))
    t.match(fold(taskDecider, [...acknowledged, ...progress('commerce')]), { progress: { commerce: 80 } })
  })
  t.test('the first report starts the work, acknowledged or not', async (t) => {
    t.equal(fold(taskDecider, [...assigned, ...progress('commerce')]).status, 'in_progress')
  })
  t.test('a bureau cannot report progress on another bureau’s task', async (t) => {
    spec(t).given(inProgress).when(report({}, culture)).thenThrows('FORBIDDEN_BUREAU')
  })
  t.test('the plan office does not report progress for a bureau', async (t) => {
    spec(t).given(inProgress).when(report({}, planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a percentage lies between 0 and 100', async (t) => {
    spec(t)
      .given(inProgress)
      .when(report({ percent: 101 }))
      .thenThrows('INVALID_PERCENT')
    spec(t)
      .given(inProgress)
      .when(report({ percent: -1 }))
      .thenThrows('INVALID_PERCENT')
    spec(t)
      .given(inProgress)
      .when(report({ percent: Number.NaN }))
      .thenThrows('INVALID_PERCENT')
  })
  t.test('a report says what was done and names its evidence', async (t) => {
    spec(t)
      .given(inProgress)
      .when(report({ narrative: '' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given(inProgress)
      .when(report({ evidence: [{ name: '照片', ref: '' }] }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('no progress on a suspended, closed or cancelled task', async (t) => {
    spec(t).given(suspended).when(report()).thenThrows('TASK_SUSPENDED')
    spec(t).given(closed).when(report()).thenThrows('TASK_CLOSED')
    spec(t).given(cancelled).when(report()).thenThrows('TASK_CANCELLED')
  })
  t.test('no progress while a completion awaits verification or after it was verified', async (t) => {
    spec(t).given(submitted).when(report()).thenThrows('COMPLETION_PENDING')
    spec(t).given(verified).when(report()).thenThrows('TASK_VERIFIED')
  })
  t.test('an unpublished task has no progress', async (t) => {
    spec(t).given([]).when(report()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('SubmitCompletion', async (t) => {
  const submit = (actor = ipOffice, summary = '已办结') =>
    taskCommand('SubmitCompletion', { summary, evidence }, actor)
  t.test('a lead bureau that signed submits completion', async (t) => {
    spec(t).given(inProgress).when(submit()).then(submitted.slice(-1))
    spec(t).given(acknowledged).when(submit()).then(submitted.slice(-1))
  })
  t.test('completion waits for the lead’s signature', async (t) => {
    spec(t).given(assigned).when(submit()).thenThrows('TASK_NOT_ACKNOWLEDGED')
    const twoLeads: TaskEvent[] = [
      ...acknowledged,
      { type: 'TaskAssigned', data: { leads: ['ip-office', 'culture'], partners: [] } },
    ]
    spec(t).given(twoLeads).when(submit(culture)).thenThrows('TASK_NOT_ACKNOWLEDGED')
  })
  t.test('a partner bureau cannot submit completion', async (t) => {
    spec(t).given(inProgress).when(submit(commerce)).thenThrows('NOT_LEAD_BUREAU')
  })
  t.test('a bureau cannot submit completion of another bureau’s task', async (t) => {
    spec(t).given(inProgress).when(submit(culture)).thenThrows('FORBIDDEN_BUREAU')
  })
  t.test('the supervision office cannot submit completion', async (t) => {
    spec(t).given(inProgress).when(submit(supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a completion needs a summary', async (t) => {
    spec(t).given(inProgress).when(submit(ipOffice, ' ')).thenThrows('INVALID_VALUE')
  })
  t.test('one completion at a time, none while suspended', async (t) => {
    spec(t).given(submitted).when(submit()).thenThrows('COMPLETION_PENDING')
    spec(t).given(suspended).when(submit()).thenThrows('TASK_SUSPENDED')
  })
  t.test('an unpublished task cannot be completed', async (t) => {
    spec(t).given([]).when(submit()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('VerifyCompletion and RejectCompletion', async (t) => {
  const verify = (actor = supervisor, note?: string) =>
    taskCommand('VerifyCompletion', note === undefined ? {} : { note }, actor)
  const reject = (reason = '缺少执法记录', actor = supervisor) =>
    taskCommand('RejectCompletion', { reason }, actor)
  t.test('the supervision office verifies a pending completion', async (t) => {
    spec(t)
      .given(submitted)
      .when(verify())
      .then([{ type: 'CompletionVerified', data: { note: '' } }])
    spec(t)
      .given(submitted)
      .when(verify(supervisor, '材料齐全'))
      .then([{ type: 'CompletionVerified', data: { note: '材料齐全' } }])
  })
  t.test('a bureau cannot verify its own completion', async (t) => {
    spec(t).given(submitted).when(verify(ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('only a pending completion can be verified', async (t) => {
    spec(t).given(inProgress).when(verify()).thenThrows('COMPLETION_NOT_SUBMITTED')
    spec(t).given(verified).when(verify()).thenThrows('TASK_VERIFIED')
    spec(t).given([]).when(verify()).thenThrows('TASK_NOT_FOUND')
  })
  t.test('a rejection gives its reason and sends the task back to work', async (t) => {
    const rejected: TaskEvent = { type: 'CompletionRejected', data: { reason: '缺少执法记录' } }
    spec(t).given(submitted).when(reject()).then([rejected])
    t.equal(fold(taskDecider, [...submitted, rejected]).status, 'in_progress')
  })
  t.test('a rejection needs a reason', async (t) => {
    spec(t).given(submitted).when(reject('')).thenThrows('REASON_REQUIRED')
  })
  t.test('the plan office cannot reject a completion', async (t) => {
    spec(t).given(submitted).when(reject('x', planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('only a pending completion can be rejected', async (t) => {
    spec(t).given(acknowledged).when(reject()).thenThrows('COMPLETION_NOT_SUBMITTED')
    spec(t).given(cancelled).when(reject()).thenThrows('TASK_CANCELLED')
  })
})

t.test('CloseTask', async (t) => {
  const close = (actor = supervisor) => taskCommand('CloseTask', {}, actor)
  t.test('the supervision office closes out a verified task', async (t) => {
    spec(t)
      .given(verified)
      .when(close())
      .then([{ type: 'TaskClosed', data: {} }])
  })
  t.test('close-out follows verification', async (t) => {
    spec(t).given(submitted).when(close()).thenThrows('COMPLETION_PENDING')
    spec(t).given(inProgress).when(close()).thenThrows('COMPLETION_NOT_SUBMITTED')
    spec(t).given(assigned).when(close()).thenThrows('TASK_NOT_ACKNOWLEDGED')
    spec(t).given(published).when(close()).thenThrows('TASK_NOT_ASSIGNED')
  })
  t.test('a task is closed once and cancelled tasks are not closed', async (t) => {
    spec(t).given(closed).when(close()).thenThrows('TASK_CLOSED')
    spec(t).given(cancelled).when(close()).thenThrows('TASK_CANCELLED')
  })
  t.test('the plan office cannot close out a task', async (t) => {
    spec(t).given(verified).when(close(planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('an unpublished task cannot be closed', async (t) => {
    spec(t).given([]).when(close()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('SuspendTask and ResumeTask', async (t) => {
  const suspend = (actor = supervisor, reason = '机构改革') => taskCommand('SuspendTask', { reason }, actor)
  const resume = (actor = supervisor, reason = '改革完成') => taskCommand('ResumeTask', { reason }, actor)
  t.test('the supervision or plan office suspends a task with a reason', async (t) => {
    spec(t).given(inProgress).when(suspend()).then(suspended.slice(-1))
    spec(t).given(published).when(suspend(planner)).then(suspended.slice(-1))
  })
  t.test('a suspended task remembers where it stood and resumes there', async (t) => {
    t.match(fold(taskDecider, suspended), { status: 'suspended', resumeTo: 'in_progress' })
    const resumed: TaskEvent = { type: 'TaskResumed', data: { reason: '改革完成' } }
    spec(t).given(suspended).when(resume(planner)).then([resumed])
    t.equal(fold(taskDecider, [...suspended, resumed]).status, 'in_progress')
  })
  t.test('suspending and resuming need a reason', async (t) => {
    spec(t).given(inProgress).when(suspend(supervisor, '')).thenThrows('REASON_REQUIRED')
    spec(t).given(suspended).when(resume(supervisor, '')).thenThrows('REASON_REQUIRED')
  })
  t.test('a bureau neither suspends nor resumes its task', async (t) => {
    spec(t).given(inProgress).when(suspend(ipOffice)).thenThrows('FORBIDDEN_ROLE')
    spec(t).given(suspended).when(resume(ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a task is suspended once, and not after verification or close-out', async (t) => {
    spec(t).given(suspended).when(suspend()).thenThrows('TASK_SUSPENDED')
    spec(t).given(verified).when(suspend()).thenThrows('TASK_VERIFIED')
    spec(t).given(closed).when(suspend()).thenThrows('TASK_CLOSED')
  })
  t.test('only a suspended task resumes', async (t) => {
    spec(t).given(inProgress).when(resume()).thenThrows('TASK_NOT_SUSPENDED')
    spec(t).given(closed).when(resume()).thenThrows('TASK_CLOSED')
    spec(t)
      .given([...suspended, { type: 'TaskCancelled', data: { reason: '撤销' } }])
      .when(resume())
      .thenThrows('TASK_CANCELLED')
    spec(t).given([]).when(resume()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('CancelTask', async (t) => {
  const cancel = (actor = planner, reason = '并入其他任务') => taskCommand('CancelTask', { reason }, actor)
  t.test('the plan office cancels a task not closed out, with a reason', async (t) => {
    spec(t).given(assigned).when(cancel()).then(cancelled.slice(-1))
    spec(t).given(suspended).when(cancel()).then(cancelled.slice(-1))
    spec(t).given(verified).when(cancel()).then(cancelled.slice(-1))
    t.equal(fold(taskDecider, cancelled).status, 'cancelled')
  })
  t.test('a cancellation needs a reason', async (t) => {
    spec(t).given(assigned).when(cancel(planner, '')).thenThrows('REASON_REQUIRED')
  })
  t.test('the supervision office cannot cancel tasks', async (t) => {
    spec(t).given(assigned).when(cancel(supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a closed task cannot be cancelled, nor a cancelled one again', async (t) => {
    spec(t).given(closed).when(cancel()).thenThrows('TASK_CLOSED')
    spec(t).given(cancelled).when(cancel()).thenThrows('TASK_CANCELLED')
    spec(t).given([]).when(cancel()).thenThrows('TASK_NOT_FOUND')
  })
})
