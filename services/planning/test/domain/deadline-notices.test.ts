import { fold } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import t from 'tap'
import { businessDay, daysBetween, deadlineNotices, taskDecider } from '../../src/domain.ts'
import {
  cancelled,
  closed,
  inProgress,
  published,
  submitted,
  suspended,
  verified,
  withDeadline,
} from './fixtures.ts'

const deadline = '2018-03-08'
const state = (events: TaskEvent[]) => fold(taskDecider, events)
const open = withDeadline(inProgress, deadline)
const types = (now: string, events = open, leadDays = 7) =>
  deadlineNotices(state(events), now, leadDays).map((command) => command.type)

t.test('a task without a deadline needs no notice', async (t) => {
  t.same(deadlineNotices(state(inProgress), '2018-03-07T02:00:00Z', 7), [])
  t.same(deadlineNotices(taskDecider.initialState, '2018-03-07T02:00:00Z', 7), [])
})

t.test('a deadline within the lead days is approaching, one further away is not', async (t) => {
  t.same(types('2018-02-28T02:00:00Z'), [])
  t.same(types('2018-03-01T02:00:00Z'), ['MarkDeadlineApproaching'])
  t.same(types('2018-03-08T02:00:00Z'), ['MarkDeadlineApproaching'])
})

t.test('a passed deadline is missed, without a late approaching notice', async (t) => {
  t.same(types('2018-03-09T02:00:00Z'), ['MarkDeadlineMissed'])
})

t.test('notices already recorded are not proposed again', async (t) => {
  const noticed: TaskEvent[] = [...open, { type: 'DeadlineApproaching', data: { deadline, daysLeft: 3 } }]
  t.same(types('2018-03-06T02:00:00Z', noticed), [])
  t.same(types('2018-03-09T02:00:00Z', [...noticed, { type: 'DeadlineMissed', data: { deadline } }]), [])
})

t.test('tasks the bureaus no longer owe get no notices', async (t) => {
  for (const [name, events] of Object.entries({ submitted, verified, closed, cancelled, suspended })) {
    t.same(types('2018-03-09T02:00:00Z', withDeadline(events, deadline)), [], name)
  }
  t.same(
    types('2018-03-09T02:00:00Z', withDeadline(published, deadline)),
    ['MarkDeadlineMissed'],
    'unassigned',
  )
})

t.test('each proposed notice is accepted by the decider as it is', async (t) => {
  for (const now of ['2018-03-01T02:00:00Z', '2018-03-08T15:59:59Z', '2018-03-08T16:00:00Z']) {
    for (const command of deadlineNotices(state(open), now, 7)) {
      t.equal(taskDecider.decide(command, state(open)).length, 1, `${command.type} at ${now}`)
    }
  }
})

t.test('the watcher’s clock must be an ISO date-time', async (t) => {
  t.throws(() => deadlineNotices(state(open), 'yesterday', 7), RangeError)
})

t.test('business days are taken in China Standard Time', async (t) => {
  t.equal(businessDay('2018-03-07T15:59:59Z'), '2018-03-07')
  t.equal(businessDay('2018-03-07T16:00:00Z'), '2018-03-08')
  t.equal(businessDay('2018-03-08T00:30:00+08:00'), '2018-03-08')
  t.equal(businessDay('not a time'), undefined)
  t.equal(daysBetween('2018-02-28', '2018-03-01'), 1)
  t.equal(daysBetween('2020-02-28', '2020-03-01'), 2)
  t.equal(daysBetween('2018-03-09', '2018-03-08'), -1)
})
