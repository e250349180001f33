import type { DutyListEvent } from '@coord/events/responsibility'
import t from 'tap'
import { dutyListDecider, type ReceiveDuty, type Span, type TransferDuty } from '../../src/domain.ts'
import {
  bureauClerk,
  command,
  marketSpan,
  planner,
  published,
  specFor,
  system,
  trademarkEnforcement,
  transferredAway,
} from './fixtures.ts'

const spec = specFor(dutyListDecider)
const transferData = {
  dutyId: 'IP-P-002',
  toBureauId: 'market',
  effectiveDate: '2018-01-01',
  reason: '商标执法划转',
}
const transfer = (
  data: Partial<TransferDuty['data']> = {},
  target: Span | null = marketSpan,
  actor = planner,
) => command<TransferDuty>('TransferDuty', { ...transferData, ...data }, { facts: { target } }, actor)

const { dutyId, ...duty } = trademarkEnforcement
const receiveData = {
  bureauId: 'market',
  listKind: 'power' as const,
  dutyId,
  duty,
  fromBureauId: 'ip-office',
  effectiveDate: '2018-01-01',
  reason: '商标执法划转',
}
const marketFacts = { bureau: marketSpan, elsewhere: [] }
const receive = (
  data: Partial<ReceiveDuty['data']> = {},
  facts: ReceiveDuty['facts'] = marketFacts,
  actor = planner,
) => command<ReceiveDuty>('ReceiveDuty', { ...receiveData, ...data }, { facts }, actor)
const { bureauId: _b, listKind: _l, ...received } = receiveData
const receivedEvents: DutyListEvent[] = [
  { type: 'DutyReceived', data: { ...received, toBureauId: 'market', listKind: 'power' } },
]

t.test('TransferDuty', async (t) => {
  t.test('the plan office transfers a duty to another bureau from a day on', async (t) => {
    spec(t).given(published).when(transfer()).then(transferredAway.slice(1))
  })
  t.test('the process manager transfers in a reorganisation, naming it', async (t) => {
    const data = { ...transferData, reorganisationId: 'reform-2019' }
    spec(t)
      .given(published)
      .when(transfer({ reorganisationId: 'reform-2019' }, marketSpan, system))
      .then([{ type: 'DutyTransferred', data: { ...data, fromBureauId: 'ip-office' } }])
  })
  t.test('the same transfer again records nothing', async (t) => {
    spec(t).given(transferredAway).when(transfer()).then([])
  })
  t.test('a duty gone from the list cannot be transferred again elsewhere', async (t) => {
    spec(t)
      .given(transferredAway)
      .when(transfer({ toBureauId: 'commerce' }))
      .thenThrows('DUTY_NOT_IN_FORCE')
    spec(t)
      .given(published)
      .when(transfer({ dutyId: 'nope' }))
      .thenThrows('DUTY_NOT_FOUND')
    spec(t).given([]).when(transfer()).thenThrows('LIST_NOT_FOUND')
  })
  t.test('the target must exist on the day', async (t) => {
    spec(t).given(published).when(transfer({}, null)).thenThrows('BUREAU_NOT_FOUND')
    spec(t)
      .given(published)
      .when(transfer({}, { from: '2018-06-01', until: null }))
      .thenThrows('BUREAU_NOT_ACTIVE')
    // The receipt would be refused, leaving the duty on no list: the transfer is refused first.
    spec(t)
      .given(published)
      .when(transfer({}, { from: '2014-01-01', until: '2019-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a transfer goes to another bureau, after the wording in force, with a reason', async (t) => {
    spec(t)
      .given(published)
      .when(transfer({ toBureauId: 'ip-office' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given(published)
      .when(transfer({ effectiveDate: '2015-06-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
    spec(t)
      .given(published)
      .when(transfer({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('a bureau clerk cannot transfer duties', async (t) => {
    spec(t)
      .given(published)
      .when(transfer({}, marketSpan, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('ReceiveDuty', async (t) => {
  t.test('the target list takes the duty, and exists from then on if it did not', async (t) => {
    spec(t).given([]).when(receive()).then(receivedEvents)
  })
  t.test('taking the same duty again records nothing', async (t) => {
    spec(t).given(receivedEvents).when(receive()).then([])
  })
  t.test('a list that holds the duty already refuses a second copy', async (t) => {
    spec(t)
      .given(receivedEvents)
      .when(receive({ fromBureauId: 'commerce' }))
      .thenThrows('DUTY_EXISTS')
  })
  t.test('the duty must have left the source first', async (t) => {
    const stillThere = {
      dutyId,
      bureauId: 'ip-office',
      listKind: 'power' as const,
      from: '2016-01-01',
      until: null,
    }
    spec(t)
      .given([])
      .when(receive({}, { ...marketFacts, elsewhere: [stillThere] }))
      .thenThrows('DUTY_HELD_ELSEWHERE')
  })
  t.test('the receiving bureau must exist on the day', async (t) => {
    spec(t)
      .given([])
      .when(receive({}, { bureau: null, elsewhere: [] }))
      .thenThrows('BUREAU_NOT_FOUND')
    const ended = { bureau: { from: '2014-01-01', until: '2017-01-01' }, elsewhere: [] }
    spec(t).given([]).when(receive({}, ended)).thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a receipt cannot reach back before the duty last left this list', async (t) => {
    const left: DutyListEvent[] = [
      ...receivedEvents,
      { type: 'DutyRevoked', data: { dutyId, effectiveDate: '2018-06-01', reason: '取消' } },
    ]
    spec(t)
      .given(left)
      .when(receive({ effectiveDate: '2018-03-01' }))
      .thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('a duty cannot come from its own bureau, and must be whole', async (t) => {
    spec(t)
      .given([])
      .when(receive({ fromBureauId: 'market' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(receive({ duty: { ...duty, title: '' } }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(receive({ effectiveDate: '2018-13-01' }))
      .thenThrows('INVALID_DATE')
    spec(t)
      .given([])
      .when(receive({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('a bureau clerk cannot receive duties', async (t) => {
    spec(t)
      .given([])
      .when(receive({}, marketFacts, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
  })
})
