import type { DutyListEvent } from '@coord/events/responsibility'
import t from 'tap'
import {
  dutyListDecider,
  type AddDuty,
  type AmendDuty,
  type Holding,
  type PublishList,
  type RevokeDuty,
  type Span,
} from '../../src/domain.ts'
import {
  bureauClerk,
  command,
  fairProtection,
  ipOfficeFacts,
  patentEnforcement,
  planner,
  publication,
  published,
  specFor,
  supervisor,
  trademarkEnforcement,
  transferredAway,
} from './fixtures.ts'

const spec = specFor(dutyListDecider)
const publish = (data: Partial<PublishList['data']> = {}, facts = ipOfficeFacts, actor = planner) =>
  command<PublishList>('PublishList', { ...publication, ...data }, { facts }, actor)
const addData = { ...fairProtection, effectiveDate: '2017-01-01', reason: '新增职责' }
const add = (data: Partial<AddDuty['data']> = {}, facts = ipOfficeFacts, actor = planner) =>
  command<AddDuty>('AddDuty', { ...addData, ...data }, { facts }, actor)
const amend = (
  data: Partial<AmendDuty['data']> = {},
  bureau: Span | null = ipOfficeFacts.bureau,
  actor = planner,
) =>
  command<AmendDuty>(
    'AmendDuty',
    {
      dutyId: 'IP-P-001',
      changes: { legalBasis: '《专利法》(2020修正)' },
      effectiveDate: '2018-06-01',
      reason: '法律修订',
      ...data,
    },
    { facts: { bureau } },
    actor,
  )
const revoke = (data: Partial<RevokeDuty['data']> = {}, actor = planner) =>
  command<RevokeDuty>(
    'RevokeDuty',
    { dutyId: 'IP-P-001', effectiveDate: '2018-06-01', reason: '取消', ...data },
    {},
    actor,
  )

const heldByMarket: Holding = {
  dutyId: 'IP-R-001',
  bureauId: 'market',
  listKind: 'power',
  from: '2014-01-01',
  until: null,
}
const added: DutyListEvent[] = [...published, { type: 'DutyAdded', data: addData }]

t.test('PublishList', async (t) => {
  t.test('the plan office publishes a power list of a bureau', async (t) => {
    spec(t).given([]).when(publish()).then(published)
  })
  t.test('a new version drops what it omits and counts up', async (t) => {
    spec(t)
      .given(published)
      .when(publish({ effectiveDate: '2017-01-01', duties: [patentEnforcement] }))
      .then([
        {
          type: 'ResponsibilityListPublished',
          data: { ...publication, effectiveDate: '2017-01-01', duties: [patentEnforcement], version: 2 },
        },
      ])
  })
  t.test('publishing the list it holds on the same date records nothing', async (t) => {
    spec(t)
      .given(published)
      .when(publish({ duties: [trademarkEnforcement, patentEnforcement] }))
      .then([])
  })
  t.test('a publication cannot take effect before a change already in force', async (t) => {
    spec(t)
      .given(added)
      .when(publish({ effectiveDate: '2016-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('the bureau must be registered and exist on the day', async (t) => {
    spec(t)
      .given([])
      .when(publish({}, { bureau: null, elsewhere: [] }))
      .thenThrows('BUREAU_NOT_FOUND')
    const ended = { bureau: { from: '2015-01-01', until: '2015-06-01' }, elsewhere: [] }
    spec(t).given([]).when(publish({}, ended)).thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test("a duty on another bureau's list cannot be published", async (t) => {
    const facts = { ...ipOfficeFacts, elsewhere: [{ ...heldByMarket, dutyId: 'IP-P-001' }] }
    spec(t).given([]).when(publish({}, facts)).thenThrows('DUTY_HELD_ELSEWHERE')
  })
  t.test('a duty that left another list before the day can be published', async (t) => {
    const facts = {
      ...ipOfficeFacts,
      elsewhere: [{ ...heldByMarket, dutyId: 'IP-P-001', until: '2016-01-01' }],
    }
    spec(t).given([]).when(publish({}, facts)).then(published)
  })
  t.test('duties are complete and listed once; the list kind is power or responsibility', async (t) => {
    spec(t)
      .given([])
      .when(publish({ duties: [patentEnforcement, patentEnforcement] }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(publish({ duties: [{ ...patentEnforcement, legalBasis: '' }] }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(publish({ listKind: 'other' as never }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('a publication needs a reason and a day', async (t) => {
    spec(t)
      .given([])
      .when(publish({ reason: ' ' }))
      .thenThrows('REASON_REQUIRED')
    spec(t)
      .given([])
      .when(publish({ effectiveDate: '2016' }))
      .thenThrows('INVALID_DATE')
  })
  t.test('only the plan office publishes lists', async (t) => {
    spec(t)
      .given([])
      .when(publish({}, ipOfficeFacts, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('AddDuty', async (t) => {
  t.test('the plan office adds a duty to a published list', async (t) => {
    spec(t).given(published).when(add()).then(added.slice(1))
  })
  t.test('adding the same duty again records nothing', async (t) => {
    spec(t).given(added).when(add()).then([])
  })
  t.test('a duty the list holds cannot be added with other wording', async (t) => {
    spec(t)
      .given(added)
      .when(add({ title: '另一职责' }))
      .thenThrows('DUTY_EXISTS')
  })
  t.test('a duty transferred away can come back later, not earlier', async (t) => {
    const back = { ...trademarkEnforcement, effectiveDate: '2018-06-01', reason: '收回' }
    spec(t)
      .given(transferredAway)
      .when(add(back))
      .then([{ type: 'DutyAdded', data: back }])
    spec(t)
      .given(transferredAway)
      .when(add({ ...back, effectiveDate: '2017-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('the list must be published first', async (t) => {
    spec(t).given([]).when(add()).thenThrows('LIST_NOT_FOUND')
  })
  t.test('a dissolved bureau takes no new duties from its end on', async (t) => {
    const facts = { bureau: { from: '2015-01-01', until: '2019-01-01' }, elsewhere: [] }
    spec(t)
      .given(published)
      .when(add({ effectiveDate: '2019-01-01' }, facts))
      .thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a dissolved bureau takes no duties even back-dated, which would stand past its end', async (t) => {
    const facts = { bureau: { from: '2015-01-01', until: '2019-01-01' }, elsewhere: [] }
    spec(t)
      .given(published)
      .when(add({ effectiveDate: '2017-01-01' }, facts))
      .thenThrows('BUREAU_NOT_ACTIVE')
    spec(t).given([]).when(publish({}, facts)).thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test("a duty on another bureau's list cannot be added", async (t) => {
    spec(t)
      .given(published)
      .when(add({}, { ...ipOfficeFacts, elsewhere: [heldByMarket] }))
      .thenThrows('DUTY_HELD_ELSEWHERE')
  })
  t.test('only the plan office adds duties', async (t) => {
    spec(t)
      .given(published)
      .when(add({}, ipOfficeFacts, supervisor))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('AmendDuty', async (t) => {
  const amended = {
    ...patentEnforcement,
    legalBasis: '《专利法》(2020修正)',
    effectiveDate: '2018-06-01',
    reason: '法律修订',
  }
  t.test('the plan office amends a duty from a day on; the event holds the duty whole', async (t) => {
    spec(t)
      .given(published)
      .when(amend())
      .then([{ type: 'DutyAmended', data: amended }])
  })
  t.test('an amendment that changes nothing records nothing', async (t) => {
    spec(t)
      .given([...published, { type: 'DutyAmended', data: amended }])
      .when(amend())
      .then([])
  })
  t.test('an amendment changes at least one field, to a valid value', async (t) => {
    spec(t)
      .given(published)
      .when(amend({ changes: {} }))
      .thenThrows('AMENDMENT_EMPTY')
    spec(t)
      .given(published)
      .when(amend({ changes: { title: '' } }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('only a duty on the list can be amended', async (t) => {
    spec(t)
      .given(published)
      .when(amend({ dutyId: 'nope' }))
      .thenThrows('DUTY_NOT_FOUND')
    spec(t)
      .given(transferredAway)
      .when(amend({ dutyId: 'IP-P-002' }))
      .thenThrows('DUTY_NOT_IN_FORCE')
    spec(t).given([]).when(amend()).thenThrows('LIST_NOT_FOUND')
  })
  t.test('an amendment cannot reach back before the wording in force', async (t) => {
    spec(t)
      .given(published)
      .when(amend({ effectiveDate: '2015-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('nor take effect after the bureau ended', async (t) => {
    spec(t)
      .given(published)
      .when(amend({}, { from: '2015-01-01', until: '2018-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('an amendment needs a reason, and the plan office', async (t) => {
    spec(t)
      .given(published)
      .when(amend({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
    spec(t)
      .given(published)
      .when(amend({}, ipOfficeFacts.bureau, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('RevokeDuty', async (t) => {
  const revoked: DutyListEvent[] = [
    { type: 'DutyRevoked', data: { dutyId: 'IP-P-001', effectiveDate: '2018-06-01', reason: '取消' } },
  ]
  t.test('the plan office revokes a duty from a day on', async (t) => {
    spec(t).given(published).when(revoke()).then(revoked)
  })
  t.test('revoking it again on the same day records nothing', async (t) => {
    spec(t)
      .given([...published, ...revoked])
      .when(revoke())
      .then([])
  })
  t.test('a duty off the list cannot be revoked', async (t) => {
    spec(t)
      .given([...published, ...revoked])
      .when(revoke({ effectiveDate: '2019-01-01' }))
      .thenThrows('DUTY_NOT_IN_FORCE')
    spec(t)
      .given(published)
      .when(revoke({ dutyId: 'nope' }))
      .thenThrows('DUTY_NOT_FOUND')
    spec(t).given([]).when(revoke()).thenThrows('LIST_NOT_FOUND')
  })
  t.test('a revocation cannot reach back before the duty took effect', async (t) => {
    spec(t)
      .given(published)
      .when(revoke({ effectiveDate: '2015-12-31' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('a revocation needs a reason, a day, and the plan office', async (t) => {
    spec(t)
      .given(published)
      .when(revoke({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
    spec(t)
      .given(published)
      .when(revoke({ effectiveDate: 'soon' }))
      .thenThrows('INVALID_DATE')
    spec(t).given(published).when(revoke({}, bureauClerk)).thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('a publication files every duty once, and a duty id such as __proto__ is an ordinary key', (t) => {
  const odd = { ...patentEnforcement, dutyId: '__proto__' }
  const first: DutyListEvent = {
    type: 'ResponsibilityListPublished',
    data: { ...publication, version: 1, duties: [patentEnforcement, odd, trademarkEnforcement] },
  }
  const second: DutyListEvent = {
    type: 'ResponsibilityListPublished',
    data: { ...publication, version: 2, effectiveDate: '2017-01-01', duties: [trademarkEnforcement] },
  }
  const state = [first, second].reduce(
    (list, event) => dutyListDecider.evolve(list, event),
    dutyListDecider.initialState,
  )
  if (state.status !== 'open') return t.fail('the list should be open')
  t.equal(Object.getPrototypeOf(state.duties), Object.prototype, 'the map of duties keeps its prototype')
  t.same(Object.keys(state.duties).sort(), ['IP-P-001', 'IP-P-002', '__proto__'].sort())
  const changes = (dutyId: string) =>
    (Object.getOwnPropertyDescriptor(state.duties, dutyId)?.value as { change: string; from: string }[]).map(
      (version) => `${version.change}@${version.from}`,
    )
  t.same(changes('__proto__'), ['published@2016-01-01', 'dropped@2017-01-01'])
  t.same(changes(patentEnforcement.dutyId), ['published@2016-01-01', 'dropped@2017-01-01'])
  t.same(changes(trademarkEnforcement.dutyId), ['published@2016-01-01', 'published@2017-01-01'])
  t.end()
})
