import { fold } from '@coord/domain'
import t from 'tap'
import { planDecider, type ImportPlan } from '../../src/domain.ts'
import {
  auditor,
  bureau,
  header,
  importData,
  imported,
  issued,
  patents,
  planCommand,
  planImported,
  planner,
  secretariat,
  supervisor,
  trademarks,
  trademarksDefined,
  specFor,
} from './fixtures.ts'

const spec = specFor(planDecider)
const importPlan = (data: Partial<ImportPlan['data']>, actor = planner) =>
  planCommand('ImportPlan', { ...importData, ...data }, actor)

t.test('ImportPlan', async (t) => {
  t.test('the plan office imports a plan and each stated target becomes T1, T2…', async (t) => {
    spec(t).given([]).when(importPlan({})).then(imported)
  })
  t.test('importing the same document again records nothing', async (t) => {
    spec(t)
      .given(issued)
      .when(importPlan({ title: 'retyped title' }))
      .then([])
  })
  t.test('a different document cannot be imported over an existing plan', async (t) => {
    spec(t)
      .given(imported)
      .when(importPlan({ source: { sha256: 'cd'.repeat(32) } }))
      .thenThrows('PLAN_ALREADY_IMPORTED')
  })
  t.test('only the plan office imports plans', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({}, bureau('ip-office')))
      .thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a plan needs a title; a stated issuer or document number is not blank', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({ title: '  ' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(importPlan({ issuer: '' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(importPlan({ docNumber: ' ' }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('a plan text that states no number, issuer, date or period is imported all the same', async (t) => {
    const unstated = { docNumber: null, issuer: null, issueDate: null, period: null }
    const [event] = planDecider.decide(importPlan({ ...unstated, targets: [] }), planDecider.initialState)
    t.same(event, { type: 'PlanImported', data: { ...planImported.data, ...unstated } })
  })
  t.test('the issue date must be a real calendar day', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({ issueDate: '2017-02-30' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('a period cannot end before it starts', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({ period: { from: '2019', to: '2017' } }))
      .thenThrows('INVALID_DATE')
  })
  t.test('the source must carry a SHA-256 of the document', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({ source: { sha256: 'not-a-hash' } }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('a target value must be a number', async (t) => {
    const targets = [{ ...patents, value: Number.NaN }]
    spec(t).given([]).when(importPlan({ targets })).thenThrows('INVALID_VALUE')
  })
  t.test('a document stating one metric twice for the same year is refused', async (t) => {
    spec(t)
      .given([])
      .when(importPlan({ targets: [patents, { ...patents, value: 50 }] }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('fields outside the catalogue do not reach the event', async (t) => {
    const events = planDecider.decide(
      importPlan({ targets: [], ...{ draftNotes: 'x' } }),
      planDecider.initialState,
    )
    t.same(events, [planImported])
    t.notOk('draftNotes' in (events[0]?.data ?? {}))
  })
})

t.test('IssuePlan', async (t) => {
  const issue = (actor = planner) => planCommand('IssuePlan', {}, actor)
  t.test('the plan office issues an imported plan', async (t) => {
    spec(t)
      .given(imported)
      .when(issue())
      .then([{ type: 'PlanIssued', data: {} }])
  })
  t.test('issuing an issued plan again records nothing', async (t) => {
    spec(t).given(issued).when(issue()).then([])
  })
  t.test('a plan that was never imported cannot be issued', async (t) => {
    spec(t).given([]).when(issue()).thenThrows('PLAN_NOT_FOUND')
  })
  t.test('the supervision office cannot issue a plan', async (t) => {
    spec(t).given(imported).when(issue(supervisor)).thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('AmendPlan', async (t) => {
  const amend = (data: { reason: string; changes: object }, actor = planner) =>
    planCommand('AmendPlan', data as never, actor)
  t.test('an amendment records its reason and only the fields that change', async (t) => {
    const changes = { docNumber: '浦府〔2017〕95号', issuer: header.issuer }
    spec(t)
      .given(issued)
      .when(amend({ reason: '更正文号', changes }))
      .then([
        { type: 'PlanAmended', data: { reason: '更正文号', changes: { docNumber: '浦府〔2017〕95号' } } },
      ])
  })
  t.test('an amended plan shows the new values and counts the amendment', async (t) => {
    const events = [
      ...issued,
      ...planDecider.decide(
        amend({ reason: '延期', changes: { period: { from: '2017', to: '2020' } } }),
        fold(planDecider, issued),
      ),
    ]
    const state = fold(planDecider, events)
    t.match(state, { status: 'issued', period: { from: '2017', to: '2020' }, amendments: 1 })
  })
  t.test('an amendment that changes nothing records nothing', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: '核对', changes: { title: header.title } }))
      .then([])
  })
  t.test('an amendment needs a reason', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: ' ', changes: { title: '新标题' } }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('an amendment must name at least one field', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: '核对', changes: {} }))
      .thenThrows('AMENDMENT_EMPTY')
  })
  t.test('an amendment cannot touch fields outside the plan header', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: '核对', changes: { planId: 'other' } }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('amended values are validated like imported ones', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: '更正', changes: { issueDate: '22/05/2017' } }))
      .thenThrows('INVALID_DATE')
  })
  t.test('only the plan office amends a plan', async (t) => {
    spec(t)
      .given(issued)
      .when(amend({ reason: 'r', changes: { title: 'x' } }, secretariat))
      .thenThrows('FORBIDDEN_ROLE')
  })
  t.test('a plan that was never imported cannot be amended', async (t) => {
    spec(t)
      .given([])
      .when(amend({ reason: 'r', changes: { title: 'x' } }))
      .thenThrows('PLAN_NOT_FOUND')
  })
})

t.test('DefineGoal', async (t) => {
  const define = (text: string, actor = planner) => planCommand('DefineGoal', { text }, actor)
  const goal1 = { type: 'GoalDefined' as const, data: { goalId: 'G1', text: '知识产权保护效果显著提升' } }
  t.test('goals are numbered G1, G2… in the order they are defined', async (t) => {
    spec(t).given(imported).when(define(goal1.data.text)).then([goal1])
    spec(t)
      .given([...imported, goal1])
      .when(define('知识产权创造能力显著增强'))
      .then([{ type: 'GoalDefined', data: { goalId: 'G2', text: '知识产权创造能力显著增强' } }])
  })
  t.test('a goal worded like an existing one records nothing', async (t) => {
    spec(t)
      .given([...imported, goal1])
      .when(define(goal1.data.text))
      .then([])
  })
  t.test('a goal needs text', async (t) => {
    spec(t).given(imported).when(define('')).thenThrows('INVALID_VALUE')
  })
  t.test('the secretariat cannot define goals', async (t) => {
    spec(t).given(imported).when(define('x', secretariat)).thenThrows('FORBIDDEN_ROLE')
  })
  t.test('goals belong to an imported plan', async (t) => {
    spec(t).given([]).when(define('x')).thenThrows('PLAN_NOT_FOUND')
  })
})

t.test('DefineTarget', async (t) => {
  const software = {
    metric: '软件著作权新增登记量',
    text: '软件著作权新增登记量达到1.8万件',
    value: 1.8,
    unit: '万件',
    deadline: '2019',
  }
  const define = (data: object, actor = planner) => planCommand('DefineTarget', data as never, actor)
  t.test('a new target gets the next number and no baseline unless stated', async (t) => {
    spec(t)
      .given(issued)
      .when(define(software))
      .then([
        {
          type: 'TargetDefined',
          data: { targetId: 'T3', ...software, baseline: null, reportingBureauIds: [] },
        },
      ])
  })
  t.test('a milestone of a known metric for another year is a target of its own', async (t) => {
    const events = planDecider.decide(
      define({ ...patents, value: 45, deadline: '2018' }),
      fold(planDecider, issued),
    )
    t.match(events, [{ type: 'TargetDefined', data: { targetId: 'T3', deadline: '2018', value: 45 } }])
  })
  t.test('defining a known target again records nothing', async (t) => {
    spec(t).given(issued).when(define(trademarks)).then([])
  })
  t.test('a different target for a known metric and year is refused', async (t) => {
    spec(t)
      .given(issued)
      .when(define({ ...trademarks, value: 300 }))
      .thenThrows('TARGET_EXISTS')
  })
  t.test('a target deadline is a year', async (t) => {
    spec(t)
      .given(issued)
      .when(define({ ...software, deadline: '19' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('a bureau cannot define targets', async (t) => {
    spec(t)
      .given(issued)
      .when(define(software, bureau('ip-office')))
      .thenThrows('FORBIDDEN_ROLE')
  })
  t.test('targets belong to an imported plan', async (t) => {
    spec(t).given([]).when(define(software)).thenThrows('PLAN_NOT_FOUND')
  })
  t.test('the defined target is part of the plan state', async (t) => {
    t.match(fold(planDecider, issued), {
      targets: [{ targetId: 'T1' }, { ...trademarksDefined.data, latest: null }],
    })
  })
})

t.test('an auditor reads plans but issues no plan commands', async (t) => {
  spec(t)
    .given(issued)
    .when(planCommand('IssuePlan', {}, auditor))
    .thenThrows('FORBIDDEN_ROLE')
  spec(t)
    .given(issued)
    .when(planCommand('DefineGoal', { text: '审计' }, auditor))
    .thenThrows('FORBIDDEN_ROLE')
})
