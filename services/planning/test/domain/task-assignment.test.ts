import { fold } from '@coord/domain'
import type { TaskEvent } from '@coord/events'
import t from 'tap'
import { taskDecider, type AssignTask, type PublishTask } from '../../src/domain.ts'
import {
  acknowledged,
  assigned,
  cancelled,
  closed,
  commerce,
  culture,
  ipOffice,
  planner,
  publishData,
  published,
  publishedFromResolution,
  resolutionBasis,
  secretariat,
  supervisor,
  suspended,
  system,
  taskCommand,
  verified,
  specFor,
} from './fixtures.ts'

const spec = specFor(taskDecider)

t.test('PublishTask', async (t) => {
  const publish = (data: Partial<PublishTask['data']>, actor = planner) =>
    taskCommand('PublishTask', { ...publishData, ...data }, actor)
  t.test('the plan office publishes a task from a clause of the plan', async (t) => {
    spec(t).given([]).when(publish({})).then(published)
  })
  t.test('the secretariat and process managers publish tasks from resolutions', async (t) => {
    spec(t)
      .given([])
      .when(publish({ basis: resolutionBasis }, secretariat))
      .then(publishedFromResolution)
    spec(t)
      .given([])
      .when(publish({ basis: resolutionBasis }, system))
      .then(publishedFromResolution)
  })
  t.test('the secretariat cannot publish a task from a plan clause', async (t) => {
    spec(t).given([]).when(publish({}, secretariat)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a bureau cannot publish tasks', async (t) => {
    spec(t).given([]).when(publish({}, ipOffice)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('publishing the same task again records nothing', async (t) => {
    spec(t).given(assigned).when(publish({})).then([])
  })
  t.test('a different task cannot be published under a used id', async (t) => {
    spec(t)
      .given(published)
      .when(publish({ title: '另一项工作' }))
      .thenThrows('TASK_ALREADY_PUBLISHED')
  })
  t.test('a task needs a title and section path of non-empty names', async (t) => {
    spec(t)
      .given([])
      .when(publish({ title: '' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(publish({ sectionPath: ['三', ''] }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('a plan-clause basis names the task’s own plan', async (t) => {
    const basis = { kind: 'plan-clause' as const, planId: 'other-plan', clause: '三.(二).7' }
    spec(t).given([]).when(publish({ basis })).thenThrows('INVALID_VALUE')
  })
  t.test('a basis is a plan clause or a resolution', async (t) => {
    spec(t)
      .given([])
      .when(publish({ basis: { kind: 'rumour' } as never }))
      .thenThrows('INVALID_VALUE')
  })
})

t.test('AssignTask', async (t) => {
  const assign = (data: AssignTask['data'], actor = planner) => taskCommand('AssignTask', data, actor)
  const ipLead = { leads: ['ip-office'], partners: ['commerce'] }
  t.test('the plan office names lead and partner bureaus', async (t) => {
    spec(t)
      .given(published)
      .when(assign(ipLead))
      .then([{ type: 'TaskAssigned', data: ipLead }])
  })
  t.test('a reassignment is recorded with its cause', async (t) => {
    const data = {
      leads: ['market-supervision'],
      partners: [],
      cause: { kind: 'reorganisation' as const, id: 'reorg-2018' },
    }
    spec(t)
      .given(acknowledged)
      .when(assign(data, system))
      .then([{ type: 'TaskAssigned', data }])
  })
  t.test('a replaced lead’s acknowledgment no longer counts', async (t) => {
    const events: TaskEvent[] = [
      ...acknowledged,
      { type: 'TaskAssigned', data: { leads: ['market-supervision'], partners: [] } },
    ]
    t.match(fold(taskDecider, events), { status: 'assigned', acknowledgedBy: [] })
  })
  t.test('an assignment equal to the current one records nothing', async (t) => {
    spec(t).given(assigned).when(assign(ipLead)).then([])
  })
  t.test('an assignment needs at least one lead', async (t) => {
    spec(t)
      .given(published)
      .when(assign({ leads: [], partners: ['commerce'] }))
      .thenThrows('INVALID_ASSIGNMENT')
  })
  t.test('a bureau cannot be both lead and partner', async (t) => {
    spec(t)
      .given(published)
      .when(assign({ leads: ['commerce'], partners: ['commerce'] }))
      .thenThrows('INVALID_ASSIGNMENT')
  })
  t.test('a bureau is named once', async (t) => {
    spec(t)
      .given(published)
      .when(assign({ leads: ['ip-office', 'ip-office'], partners: [] }))
      .thenThrows('INVALID_ASSIGNMENT')
    spec(t)
      .given(published)
      .when(assign({ leads: ['ip-office', ''], partners: [] }))
      .thenThrows('INVALID_ASSIGNMENT')
  })
  t.test('a cause has a known kind', async (t) => {
    const cause = { kind: 'whim', id: 'x' } as never
    spec(t)
      .given(published)
      .when(assign({ ...ipLead, cause }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('the secretariat assigns tasks from resolutions only', async (t) => {
    spec(t)
      .given(publishedFromResolution)
      .when(assign(ipLead, secretariat))
      .then([{ type: 'TaskAssigned', data: ipLead }])
    spec(t).given(published).when(assign(ipLead, secretariat)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('neither a bureau nor the supervision office assigns tasks', async (t) => {
    spec(t).given(published).when(assign(ipLead, ipOffice)).thenThrows('FORBIDDEN_ROLE')
    spec(t).given(published).when(assign(ipLead, supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('an unpublished task cannot be assigned', async (t) => {
    spec(t).given([]).when(assign(ipLead)).thenThrows('TASK_NOT_FOUND')
  })
  t.test('a suspended task can be reassigned and resumes with the new bureaus', async (t) => {
    const data = { leads: ['commerce'], partners: [] }
    spec(t)
      .given(suspended)
      .when(assign(data))
      .then([{ type: 'TaskAssigned', data }])
    t.match(fold(taskDecider, [...suspended, { type: 'TaskAssigned', data }]), {
      status: 'suspended',
      leads: ['commerce'],
    })
  })
  t.test('verified, closed and cancelled tasks keep their assignment', async (t) => {
    const other = { leads: ['commerce'], partners: [] }
    spec(t).given(verified).when(assign(other)).thenThrows('TASK_VERIFIED')
    spec(t).given(closed).when(assign(other)).thenThrows('TASK_CLOSED')
    spec(t).given(cancelled).when(assign(other)).thenThrows('TASK_CANCELLED')
  })
})

t.test('AcknowledgeTask', async (t) => {
  const acknowledge = (actor = ipOffice) => taskCommand('AcknowledgeTask', {}, actor)
  const twoLeads: TaskEvent[] = [
    ...published,
    { type: 'TaskAssigned', data: { leads: ['ip-office', 'culture'], partners: [] } },
  ]
  t.test('a lead bureau signs for its task', async (t) => {
    spec(t)
      .given(assigned)
      .when(acknowledge())
      .then([{ type: 'TaskAcknowledged', data: { bureauId: 'ip-office' } }])
    t.match(fold(taskDecider, acknowledged), { status: 'acknowledged', acknowledgedBy: ['ip-office'] })
  })
  t.test('a lead that signed already records nothing, even after the task moved on', async (t) => {
    spec(t).given(acknowledged).when(acknowledge()).then([])
    spec(t).given(closed).when(acknowledge()).then([])
  })
  t.test('each lead signs for itself, also once work has started', async (t) => {
    const events = [...twoLeads, { type: 'TaskAcknowledged' as const, data: { bureauId: 'ip-office' } }]
    spec(t)
      .given(events)
      .when(acknowledge(culture))
      .then([{ type: 'TaskAcknowledged', data: { bureauId: 'culture' } }])
  })
  t.test('a partner bureau does not sign for a task', async (t) => {
    spec(t).given(assigned).when(acknowledge(commerce)).thenThrows('NOT_LEAD_BUREAU')
  })
  t.test('a bureau cannot acknowledge another bureau’s task', async (t) => {
    spec(t).given(assigned).when(acknowledge(culture)).thenThrows('FORBIDDEN_BUREAU')
    spec(t).given(published).when(acknowledge()).thenThrows('FORBIDDEN_BUREAU')
  })
  t.test('the plan office cannot sign in a bureau’s place', async (t) => {
    spec(t).given(assigned).when(acknowledge(planner)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a suspended, verified, closed or cancelled task takes no new signature', async (t) => {
    const suspendedTwo = [...twoLeads, { type: 'TaskSuspended' as const, data: { reason: '机构改革' } }]
    spec(t).given(suspendedTwo).when(acknowledge(culture)).thenThrows('TASK_SUSPENDED')
    const cancelledTwo = [...twoLeads, { type: 'TaskCancelled' as const, data: { reason: '撤销' } }]
    spec(t).given(cancelledTwo).when(acknowledge(culture)).thenThrows('TASK_CANCELLED')
    const verifiedTwo = [...twoLeads, ...verified.slice(2)]
    spec(t).given(verifiedTwo).when(acknowledge(culture)).thenThrows('TASK_VERIFIED')
    spec(t)
      .given([...verifiedTwo, { type: 'TaskClosed', data: {} }])
      .when(acknowledge(culture))
      .thenThrows('TASK_CLOSED')
  })
  t.test('an unpublished task cannot be acknowledged', async (t) => {
    spec(t).given([]).when(acknowledge()).thenThrows('TASK_NOT_FOUND')
  })
  t.test('a bureau token that names no bureau acts for none', async (t) => {
    spec(t)
      .given(assigned)
      .when(acknowledge({ role: 'bureau', user: 'x' }))
      .thenThrows('FORBIDDEN_BUREAU')
  })
})
