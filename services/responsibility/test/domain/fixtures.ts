import type { Command, CommandActor, CommandMetadata, Decider, DomainEvent } from '@coord/domain'
import { deciderSpec } from '@coord/domain/testing'
import type {
  BureauEvent,
  BureauRegistered,
  Duty,
  DutyListEvent,
  ReorganisationEvent,
} from '@coord/events/responsibility'
import type { ListFacts, Span } from '../../src/domain.ts'

/** The assertions deciderSpec uses, with messages required: that is the shape tap's `t` has. */
interface TapAssertions {
  same(found: unknown, wanted: unknown, message: string): unknown
  fail(message: string): unknown
  ok(value: unknown, message: string): unknown
}

/** deciderSpec for tap, whose overloaded assertion signatures want messages. */
export function specFor<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  const spec = deciderSpec(decider)
  return (t: TapAssertions) =>
    spec({
      same: (found, wanted, message) => t.same(found, wanted, message ?? 'decided events'),
      fail: (message) => t.fail(message),
      ok: (value, message) => t.ok(value, message ?? 'holds'),
    })
}

export const now = '2018-03-01T02:00:00.000Z'

export const planner: CommandActor = { role: 'planner', user: 'plan-office-zhang' }
export const system: CommandActor = { role: 'system', user: 'reorganisation-process-manager' }
export const supervisor: CommandActor = { role: 'supervisor', user: 'supervision-wang' }
export const auditor: CommandActor = { role: 'auditor', user: 'auditor-zhao' }
export const bureauClerk: CommandActor = { role: 'bureau', bureauId: 'ip-office', user: 'ip-office-clerk' }

export function metadata(actor: CommandActor, at = now): CommandMetadata {
  return { actor, now: at }
}

/** A command of any aggregate: type, data, the facts the edge would read, and the actor. */
export function command<C extends Command>(
  type: C['type'],
  data: C['data'],
  extra: Omit<C, 'type' | 'data' | 'metadata'>,
  actor: CommandActor = planner,
): C {
  return { type, data, ...extra, metadata: metadata(actor) } as C
}

// ---- bureaus: 知识产权局 merges into 市场监督管理局 on 2019-01-01

export const always: Span = { from: '2000-01-01', until: null }
export const ipOfficeSpan: Span = { from: '2015-01-01', until: null }
export const marketSpan: Span = { from: '2014-01-01', until: null }

export const ipOfficeNames = {
  nameZh: '浦东新区知识产权局',
  nameEn: 'Pudong New Area Intellectual Property Office',
  shortName: '知识产权局',
}
export const ipOffice: BureauRegistered['data'] = {
  bureauId: 'ip-office',
  ...ipOfficeNames,
  kind: '委办局',
  parentId: null,
  effectiveDate: '2015-01-01',
}
export const market: BureauRegistered['data'] = {
  bureauId: 'market',
  nameZh: '浦东新区市场监督管理局',
  nameEn: 'Pudong New Area Market Supervision Administration',
  shortName: '市场监管局',
  kind: '委办局',
  parentId: null,
  effectiveDate: '2014-01-01',
}
export const registeredIpOffice: BureauEvent[] = [{ type: 'BureauRegistered', data: ipOffice }]
export const renamedNames = {
  nameZh: '浦东新区知识产权局(版权局)',
  nameEn: 'Pudong New Area Intellectual Property and Copyright Office',
  shortName: '知识产权局',
}
export const renamed: BureauEvent[] = [
  ...registeredIpOffice,
  { type: 'BureauRenamed', data: { ...renamedNames, effectiveDate: '2017-01-01', reason: '加挂版权局牌子' } },
]
export const dissolution = {
  reorganisationId: 'reform-2019',
  successorIds: ['market'],
  effectiveDate: '2019-01-01',
  reason: '机构改革',
}
export const dissolved: BureauEvent[] = [
  ...registeredIpOffice,
  { type: 'BureauDissolved', data: dissolution },
]

// ---- the power list of 知识产权局

export const patentEnforcement: Duty = {
  dutyId: 'IP-P-001',
  title: '专利侵权纠纷行政裁决',
  category: '行政裁决',
  legalBasis: '《中华人民共和国专利法》第六十条',
}
export const trademarkEnforcement: Duty = {
  dutyId: 'IP-P-002',
  title: '商标侵权行为查处',
  category: '行政处罚',
  legalBasis: '《中华人民共和国商标法》第六十条',
}
export const fairProtection: Duty = {
  dutyId: 'IP-R-001',
  title: '展会知识产权保护',
  category: '公共服务',
  legalBasis: '《展会知识产权保护办法》',
}

export const publication = {
  bureauId: 'ip-office',
  listKind: 'power' as const,
  effectiveDate: '2016-01-01',
  reason: '首次公布权力清单',
  duties: [patentEnforcement, trademarkEnforcement],
}
export const published: DutyListEvent[] = [
  { type: 'ResponsibilityListPublished', data: { ...publication, version: 1 } },
]
export const transferredAway: DutyListEvent[] = [
  ...published,
  {
    type: 'DutyTransferred',
    data: {
      dutyId: 'IP-P-002',
      fromBureauId: 'ip-office',
      toBureauId: 'market',
      effectiveDate: '2018-01-01',
      reason: '商标执法划转',
    },
  },
]

/** No other list holds anything, and the bureau exists from 2015. */
export const ipOfficeFacts: ListFacts = { bureau: ipOfficeSpan, elsewhere: [] }

// ---- reorganisations

export const merge = {
  reorganisationId: 'reform-2019',
  fromBureauIds: ['ip-office'],
  intoBureauId: 'market',
  effectiveDate: '2019-01-01',
  reason: '机构改革:组建市场监督管理局',
}
export const reorganisationFacts = {
  bureaus: { 'ip-office': ipOfficeSpan, market: marketSpan },
  lastChanges: { 'ip-office': '2018-01-01' },
  namedFrom: {},
}
export const merged: ReorganisationEvent[] = [{ type: 'BureausMerged', data: merge }]
