import t from 'tap'
import {
  bureauDecider,
  type DissolveBureau,
  type RegisterBureau,
  type RenameBureau,
} from '../../src/domain.ts'
import {
  auditor,
  bureauClerk,
  command,
  dissolution,
  dissolved,
  ipOffice,
  ipOfficeNames,
  planner,
  registeredIpOffice,
  renamed,
  renamedNames,
  specFor,
  system,
} from './fixtures.ts'

const spec = specFor(bureauDecider)
const register = (
  data: Partial<RegisterBureau['data']> = {},
  parent: RegisterBureau['facts']['parent'] = null,
  actor = planner,
) => command<RegisterBureau>('RegisterBureau', { ...ipOffice, ...data }, { facts: { parent } }, actor)
const rename = (data: Partial<RenameBureau['data']> = {}, actor = planner) =>
  command<RenameBureau>(
    'RenameBureau',
    { ...renamedNames, effectiveDate: '2017-01-01', reason: '加挂版权局牌子', ...data },
    {},
    actor,
  )
const dissolve = (data: Partial<DissolveBureau['data']> = {}, actor = system) =>
  command<DissolveBureau>('DissolveBureau', { ...dissolution, ...data }, {}, actor)

t.test('RegisterBureau', async (t) => {
  t.test('the plan office registers a bureau from the day it exists', async (t) => {
    spec(t).given([]).when(register()).then(registeredIpOffice)
  })
  t.test('a 街镇 registers under a parent that exists on its first day', async (t) => {
    const town = {
      bureauId: 'zhangjiang',
      kind: '街镇' as const,
      parentId: 'ip-office',
      effectiveDate: '2016-01-01',
    }
    spec(t)
      .given([])
      .when(register(town, { from: '2015-01-01', until: null }))
      .then([{ type: 'BureauRegistered', data: { ...ipOffice, ...town } }])
  })
  t.test('registering the same bureau again records nothing', async (t) => {
    spec(t).given(renamed).when(register()).then([])
  })
  t.test('a different bureau cannot take a used id', async (t) => {
    spec(t)
      .given(registeredIpOffice)
      .when(register({ nameZh: '别的局' }))
      .thenThrows('BUREAU_EXISTS')
  })
  t.test('only the plan office registers bureaus', async (t) => {
    spec(t)
      .given([])
      .when(register({}, null, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
    spec(t)
      .given([])
      .when(register({}, null, auditor))
      .thenThrows('FORBIDDEN_ROLE')
  })
  t.test('names, kind and date must be valid', async (t) => {
    spec(t)
      .given([])
      .when(register({ nameZh: ' ' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(register({ kind: '局' as never }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(register({ parentId: 'ip-office' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(register({ effectiveDate: '2015-02-30' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('the parent must be registered and exist on the first day', async (t) => {
    spec(t)
      .given([])
      .when(register({ bureauId: 'town', parentId: 'nowhere' }))
      .thenThrows('PARENT_NOT_FOUND')
    spec(t)
      .given([])
      .when(register({ bureauId: 'town', parentId: 'old' }, { from: '2010-01-01', until: '2012-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
  })
})

t.test('RenameBureau', async (t) => {
  t.test('the plan office renames a bureau from a day on, with a reason', async (t) => {
    spec(t).given(registeredIpOffice).when(rename()).then(renamed.slice(1))
  })
  t.test('a reorganisation renames through the process manager and is named as the cause', async (t) => {
    spec(t)
      .given(registeredIpOffice)
      .when(rename({ reorganisationId: 'reform-2017' }, system))
      .then([
        {
          type: 'BureauRenamed',
          data: {
            ...renamedNames,
            effectiveDate: '2017-01-01',
            reason: '加挂版权局牌子',
            reorganisationId: 'reform-2017',
          },
        },
      ])
  })
  t.test('renaming to the names it bears records nothing', async (t) => {
    spec(t).given(renamed).when(rename()).then([])
    spec(t).given(registeredIpOffice).when(rename(ipOfficeNames)).then([])
  })
  t.test('a bureau must be registered to be renamed', async (t) => {
    spec(t).given([]).when(rename()).thenThrows('BUREAU_NOT_FOUND')
  })
  t.test('a rename needs a reason', async (t) => {
    spec(t)
      .given(registeredIpOffice)
      .when(rename({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('a rename cannot take effect before the name in force', async (t) => {
    spec(t)
      .given(renamed)
      .when(rename({ nameZh: '第三个名字', effectiveDate: '2016-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('a dissolved bureau cannot be renamed from its end on', async (t) => {
    spec(t)
      .given(dissolved)
      .when(rename({ effectiveDate: '2019-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a bureau clerk cannot rename', async (t) => {
    spec(t).given(registeredIpOffice).when(rename({}, bureauClerk)).thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('DissolveBureau', async (t) => {
  t.test('the process manager dissolves a bureau in a reorganisation', async (t) => {
    spec(t).given(registeredIpOffice).when(dissolve()).then(dissolved.slice(1))
  })
  t.test('dissolving again for the same reorganisation records nothing', async (t) => {
    spec(t).given(dissolved).when(dissolve()).then([])
  })
  t.test('another reorganisation cannot dissolve it again', async (t) => {
    spec(t)
      .given(dissolved)
      .when(dissolve({ reorganisationId: 'reform-2020' }))
      .thenThrows('BUREAU_DISSOLVED')
  })
  t.test('a bureau ends after it began, and after its latest rename', async (t) => {
    spec(t)
      .given(registeredIpOffice)
      .when(dissolve({ effectiveDate: '2015-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
    spec(t)
      .given(renamed)
      .when(dissolve({ effectiveDate: '2016-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('a bureau cannot succeed itself, and needs a successor', async (t) => {
    spec(t)
      .given(registeredIpOffice)
      .when(dissolve({ successorIds: ['ip-office'] }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given(registeredIpOffice)
      .when(dissolve({ successorIds: [] }))
      .thenThrows('INVALID_REORGANISATION')
  })
  t.test('only the platform or the plan office dissolves, and only what is registered', async (t) => {
    spec(t).given(registeredIpOffice).when(dissolve({}, bureauClerk)).thenThrows('FORBIDDEN_ROLE')
    spec(t).given([]).when(dissolve()).thenThrows('BUREAU_NOT_FOUND')
  })
})
