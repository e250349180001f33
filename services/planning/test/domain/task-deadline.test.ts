import { fold } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import t from 'tap'
import { taskDecider } from '../../src/domain.ts'
import {
  assigned,
  cancelled,
  closed,
  inProgress,
  ipOffice,
  planner,
  published,
  publishedFromResolution,
  secretariat,
  submitted,
  supervisor,
  suspended,
  system,
  taskCommand,
  verified,
  withDeadline,
  specFor,
} from './fixtures.ts'

const spec = specFor(taskDecider)
// `now` in the fixtures is 2018-03-01 in Shanghai.
const deadline = '2018-03-08'

t.test('SetDeadline', async (t) => {
  const set = (actor = planner, value = deadline) => taskCommand('SetDeadline', { deadline: value }, actor)
  const deadlineSet: TaskEvent[] = [{ type: 'DeadlineSet', data: { deadline } }]
  t.test('the plan or supervision office sets the first deadline', async (t) => {
    spec(t).given(assigned).when(set()).then(deadlineSet)
    spec(t).given(published).when(set(supervisor)).then(deadlineSet)
  })
  t.test('the secretariat sets deadlines of tasks from resolutions only', async (t) => {
    spec(t).given(publishedFromResolution).when(set(secretariat)).then(deadlineSet)
    spec(t).given(published).when(set(secretariat)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a bureau cannot set its own deadline', async (t) => {
    spec(t).given(assigned).when(set(ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('setting the same deadline again records nothing; another one needs ChangeDeadline', async (t) => {
    spec(t).given(withDeadline(assigned, deadline)).when(set()).then([])
    spec(t)
      .given(withDeadline(assigned, deadline))
      .when(set(planner, '2018-04-01'))
      .thenThrows('DEADLINE_ALREADY_SET')
  })
  t.test('a deadline is a calendar day', async (t) => {
    spec(t).given(assigned).when(set(planner, '2018-13-01')).thenThrows('INVALID_DATE')
    spec(t).given(assigned).when(set(planner, '2018-03-08T12:00:00Z')).thenThrows('INVALID_DATE')
  })
  t.test('closed tasks get no deadline', async (t) => {
    spec(t).given(closed).when(set()).thenThrows('TASK_CLOSED')
    spec(t).given([]).when(set()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('ChangeDeadline', async (t) => {
  const change = (actor = supervisor, to = '2018-06-30', reason = '展会延期') =>
    taskCommand('ChangeDeadline', { deadline: to, reason }, actor)
  const given = withDeadline(inProgress, deadline)
  t.test('the supervision office moves a deadline and says why', async (t) => {
    spec(t)
      .given(given)
      .when(change())
      .then([{ type: 'DeadlineChanged', data: { from: deadline, to: '2018-06-30', reason: '展会延期' } }])
  })
  t.test('the plan office and the secretariat may move deadlines too', async (t) => {
    spec(t)
      .given(given)
      .when(change(planner))
      .then([{ type: 'DeadlineChanged', data: { from: deadline, to: '2018-06-30', reason: '展会延期' } }])
    spec(t)
      .given(given)
      .when(change(secretariat))
      .then([{ type: 'DeadlineChanged', data: { from: deadline, to: '2018-06-30', reason: '展会延期' } }])
  })
  t.test("the platform carries out a joint meeting's resolution to move a deadline", async (t) => {
    spec(t)
      .given(given)
      .when(change(system))
      .then([{ type: 'DeadlineChanged', data: { from: deadline, to: '2018-06-30', reason: '展会延期' } }])
  })
  t.test('a bureau cannot move its own deadline', async (t) => {
    spec(t).given(given).when(change(ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a changed deadline needs a reason', async (t) => {
    spec(t)
      .given(given)
      .when(change(supervisor, '2018-06-30', ' '))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('only a set deadline can be changed', async (t) => {
    spec(t).given(inProgress).when(change()).thenThrows('NO_DEADLINE')
  })
  t.test('moving a deadline to where it is records nothing', async (t) => {
    spec(t).given(given).when(change(supervisor, deadline)).then([])
  })
  t.test('a new deadline is a calendar day', async (t) => {
    spec(t).given(given).when(change(supervisor, '2018-02-29')).thenThrows('INVALID_DATE')
  })
  t.test('deadlines of cancelled or closed tasks stay as they were', async (t) => {
    spec(t).given(withDeadline(cancelled, deadline)).when(change()).thenThrows('TASK_CANCELLED')
    spec(t).given(withDeadline(closed, deadline)).when(change()).thenThrows('TASK_CLOSED')
    spec(t).given([]).when(change()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('MarkDeadlineApproaching', async (t) => {
  const mark = (value = deadline, actor = system, at?: string) =>
    taskCommand('MarkDeadlineApproaching', { deadline: value }, actor, at)
  const notice: TaskEvent = { type: 'DeadlineApproaching', data: { deadline, daysLeft: 7 } }
  const given = withDeadline(inProgress, deadline)
  t.test('the watcher records an approaching deadline with the days left', async (t) => {
    spec(t).given(given).when(mark()).then([notice])
  })
  t.test('days are counted in Shanghai business days', async (t) => {
    // 2018-03-07T16:30Z is already 00:30 on the 8th in Shanghai: the deadline is today.
    spec(t)
      .given(given)
      .when(mark(deadline, system, '2018-03-07T16:30:00Z'))
      .then([{ type: 'DeadlineApproaching', data: { deadline, daysLeft: 0 } }])
  })
  t.test('a deadline is noticed as approaching once; a restarted watcher records nothing', async (t) => {
    spec(t)
      .given([...given, notice])
      .when(mark())
      .then([])
    spec(t)
      .given([...given, notice, ...closed.slice(-3)])
      .when(mark())
      .then([])
  })
  t.test('a moved deadline gets its own notice', async (t) => {
    const moved: TaskEvent = {
      type: 'DeadlineChanged',
      data: { from: deadline, to: '2018-03-10', reason: '顺延' },
    }
    spec(t)
      .given([...given, notice, moved])
      .when(mark('2018-03-10'))
      .then([{ type: 'DeadlineApproaching', data: { deadline: '2018-03-10', daysLeft: 9 } }])
  })
  t.test('only the platform sends deadline notices', async (t) => {
    spec(t).given(given).when(mark(deadline, supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a notice names the task’s current deadline', async (t) => {
    spec(t).given(inProgress).when(mark()).thenThrows('NO_DEADLINE')
    spec(t).given(given).when(mark('2018-03-09')).thenThrows('DEADLINE_MISMATCH')
    spec(t).given(given).when(mark('8 March')).thenThrows('INVALID_DATE')
  })
  t.test('a passed deadline is not approaching', async (t) => {
    spec(t)
      .given(given)
      .when(mark(deadline, system, '2018-03-09T02:00:00Z'))
      .thenThrows('DEADLINE_PASSED')
  })
  t.test('no notices for tasks the bureaus no longer owe', async (t) => {
    spec(t).given(withDeadline(submitted, deadline)).when(mark()).thenThrows('COMPLETION_PENDING')
    spec(t).given(withDeadline(verified, deadline)).when(mark()).thenThrows('TASK_VERIFIED')
    spec(t).given(withDeadline(closed, deadline)).when(mark()).thenThrows('TASK_CLOSED')
    spec(t).given(withDeadline(cancelled, deadline)).when(mark()).thenThrows('TASK_CANCELLED')
    spec(t).given(withDeadline(suspended, deadline)).when(mark()).thenThrows('TASK_SUSPENDED')
    spec(t).given([]).when(mark()).thenThrows('TASK_NOT_FOUND')
  })
})

t.test('MarkDeadlineMissed', async (t) => {
  const after = '2018-03-09T02:00:00Z'
  const mark = (value = deadline, actor = system, at = after) =>
    taskCommand('MarkDeadlineMissed', { deadline: value }, actor, at)
  const missed: TaskEvent = { type: 'DeadlineMissed', data: { deadline } }
  const given = withDeadline(assigned, deadline)
  t.test('the watcher records a deadline that passed with the work open', async (t) => {
    spec(t).given(given).when(mark()).then([missed])
    t.match(fold(taskDecider, [...given, missed]), { notices: { approaching: [], missed: [deadline] } })
  })
  t.test('a deadline is missed once; a restarted watcher records nothing', async (t) => {
    spec(t)
      .given([...given, missed])
      .when(mark())
      .then([])
  })
  t.test('a deadline is not missed on its own day', async (t) => {
    spec(t)
      .given(given)
      .when(mark(deadline, system, '2018-03-08T15:59:00Z'))
      .thenThrows('DEADLINE_NOT_PASSED')
  })
  t.test('only the platform records missed deadlines', async (t) => {
    spec(t).given(given).when(mark(deadline, planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a missed notice names the task’s current deadline', async (t) => {
    spec(t).given(assigned).when(mark()).thenThrows('NO_DEADLINE')
    spec(t).given(given).when(mark('2018-03-07')).thenThrows('DEADLINE_MISMATCH')
  })
  t.test('a closed task misses no deadline', async (t) => {
    spec(t).given(withDeadline(closed, deadline)).when(mark()).thenThrows('TASK_CLOSED')
  })
})
