import { fold } from '@coord/domain'
import t from 'tap'
import { planDecider, type ReportTargetMeasurement } from '../../src/domain.ts'
import { bureau, imported, issued, planCommand, planner, supervisor, specFor } from './fixtures.ts'

const spec = specFor(planDecider)
const report = (data: Partial<ReportTargetMeasurement['data']>, actor = bureau('ip-office'), at?: string) =>
  planCommand(
    'ReportTargetMeasurement',
    { targetId: 'T1', value: 41.5, asOf: '2017-12-31', ...data },
    actor,
    at,
  )
const reported = (data: object) => [{ type: 'TargetMeasurementReported' as const, data: data as never }]

t.test('a bureau reports a measurement of a target open to every bureau', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ note: '年报' }))
    .then(reported({ targetId: 'T1', value: 41.5, asOf: '2017-12-31', bureauId: 'ip-office', note: '年报' }))
})

t.test('a listed bureau reports the target it is responsible for', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ targetId: 'T2', value: 230 }, bureau('market-supervision')))
    .then(reported({ targetId: 'T2', value: 230, asOf: '2017-12-31', bureauId: 'market-supervision' }))
})

t.test('a bureau cannot report a target other bureaus are responsible for', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ targetId: 'T2' }))
    .thenThrows('FORBIDDEN_BUREAU')
})

t.test('a bureau cannot report in another bureau’s name', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ bureauId: 'commerce' }))
    .thenThrows('FORBIDDEN_BUREAU')
})

t.test('a bureau token that names no bureau reports nothing', async (t) => {
  spec(t)
    .given(issued)
    .when(report({}, { role: 'bureau', user: 'anonymous' }))
    .thenThrows('FORBIDDEN_BUREAU')
})

t.test('the plan office reports for itself or for a listed bureau', async (t) => {
  spec(t)
    .given(issued)
    .when(report({}, planner))
    .then(reported({ targetId: 'T1', value: 41.5, asOf: '2017-12-31', bureauId: null }))
  spec(t)
    .given(issued)
    .when(report({ targetId: 'T2', bureauId: 'market-supervision' }, planner))
    .then(reported({ targetId: 'T2', value: 41.5, asOf: '2017-12-31', bureauId: 'market-supervision' }))
})

t.test('the plan office cannot report for a bureau the target does not list', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ targetId: 'T2', bureauId: 'commerce' }, planner))
    .thenThrows('FORBIDDEN_BUREAU')
})

t.test('the supervision office does not report measurements', async (t) => {
  spec(t).given(issued).when(report({}, supervisor)).thenThrows('FORBIDDEN_ROLE')
})

t.test('a measurement names a target of the plan', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ targetId: 'T9' }))
    .thenThrows('TARGET_NOT_FOUND')
})

t.test('measurements wait until the plan is issued', async (t) => {
  spec(t).given(imported).when(report({})).thenThrows('PLAN_NOT_ISSUED')
})

t.test('a measurement cannot be dated after today', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ asOf: '2018-03-02' }))
    .thenThrows('INVALID_DATE')
  spec(t)
    .given(issued)
    .when(report({ asOf: '2018-3-1' }))
    .thenThrows('INVALID_DATE')
})

t.test('a measured value is a number', async (t) => {
  spec(t)
    .given(issued)
    .when(report({ value: '48' as never }))
    .thenThrows('INVALID_VALUE')
})

t.test('a plan that was never imported has no targets to report', async (t) => {
  spec(t).given([]).when(report({})).thenThrows('PLAN_NOT_FOUND')
})

t.test('a late report of an older date does not replace the latest measurement', async (t) => {
  const events = [
    ...issued,
    ...reported({ targetId: 'T1', value: 44, asOf: '2018-01-31', bureauId: 'ip-office' }),
    ...reported({ targetId: 'T1', value: 41.5, asOf: '2017-12-31', bureauId: 'ip-office' }),
  ]
  t.match(fold(planDecider, events), {
    targets: [{ targetId: 'T1', latest: { value: 44, asOf: '2018-01-31' } }],
  })
})
