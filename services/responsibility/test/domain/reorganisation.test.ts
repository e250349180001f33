import type { ReorganisationEvent } from '@coord/events/responsibility'
import t from 'tap'
import {
  reorganisationDecider,
  type CompleteReorganisation,
  type MergeBureaus,
  type RenameBureauByReorganisation,
  type ReorganisationFacts,
  type SplitBureau,
} from '../../src/domain.ts'
import {
  auditor,
  bureauClerk,
  command,
  ipOfficeSpan,
  marketSpan,
  merge,
  merged,
  planner,
  renamedNames,
  reorganisationFacts,
  specFor,
  system,
} from './fixtures.ts'

const spec = specFor(reorganisationDecider)
const mergeBureaus = (
  data: Partial<MergeBureaus['data']> = {},
  facts: ReorganisationFacts = reorganisationFacts,
  actor = planner,
) => command<MergeBureaus>('MergeBureaus', { ...merge, ...data }, { facts }, actor)

const splitData = {
  reorganisationId: 'split-2019',
  fromBureauId: 'ip-office',
  intoBureauIds: ['market', 'copyright'],
  dutyAllocation: { 'IP-R-002': 'copyright' },
  taskAllocation: { 'pudong-ip-2017/三.(二).7': 'copyright' },
  effectiveDate: '2019-01-01',
  reason: '职能分设',
}
const splitFacts = {
  ...reorganisationFacts,
  bureaus: { ...reorganisationFacts.bureaus, copyright: { from: '2019-01-01', until: null } },
}
const split = (
  data: Partial<SplitBureau['data']> = {},
  facts: ReorganisationFacts = splitFacts,
  actor = planner,
) => command<SplitBureau>('SplitBureau', { ...splitData, ...data }, { facts }, actor)

const renameData = {
  reorganisationId: 'rename-2017',
  bureauId: 'ip-office',
  ...renamedNames,
  effectiveDate: '2017-01-01',
  reason: '加挂版权局牌子',
}
const rename = (
  data: Partial<RenameBureauByReorganisation['data']> = {},
  facts: ReorganisationFacts = reorganisationFacts,
  actor = planner,
) =>
  command<RenameBureauByReorganisation>(
    'RenameBureauByReorganisation',
    { ...renameData, ...data },
    { facts },
    actor,
  )
const complete = (actor = system) =>
  command<CompleteReorganisation>('CompleteReorganisation', { steps: 3, refused: [] }, {}, actor)

t.test('MergeBureaus', async (t) => {
  t.test('the plan office merges bureaus into one from a day on', async (t) => {
    spec(t).given([]).when(mergeBureaus()).then(merged)
  })
  t.test('the same merge again records nothing, even after the old bureau ended', async (t) => {
    const after = {
      ...reorganisationFacts,
      bureaus: { 'ip-office': { ...ipOfficeSpan, until: '2019-01-01' }, market: marketSpan },
    }
    spec(t).given(merged).when(mergeBureaus({}, after)).then([])
  })
  t.test('another decision cannot reuse the id', async (t) => {
    spec(t)
      .given(merged)
      .when(mergeBureaus({ effectiveDate: '2019-02-01' }))
      .thenThrows('REORGANISATION_EXISTS')
  })
  t.test('each bureau is named once, and none merges into itself', async (t) => {
    spec(t)
      .given([])
      .when(mergeBureaus({ fromBureauIds: ['market'] }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given([])
      .when(mergeBureaus({ fromBureauIds: ['ip-office', 'ip-office'] }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given([])
      .when(mergeBureaus({ fromBureauIds: [] }))
      .thenThrows('INVALID_REORGANISATION')
  })
  t.test('the bureaus must be registered', async (t) => {
    spec(t)
      .given([])
      .when(mergeBureaus({ fromBureauIds: ['ghost'] }))
      .thenThrows('BUREAU_NOT_FOUND')
  })
  t.test('an old bureau must have existed before the day; the successor on it', async (t) => {
    const young = {
      ...reorganisationFacts,
      bureaus: { 'ip-office': { from: '2019-01-01', until: null }, market: marketSpan },
    }
    spec(t).given([]).when(mergeBureaus({}, young)).thenThrows('BUREAU_NOT_ACTIVE')
    const late = {
      ...reorganisationFacts,
      bureaus: { 'ip-office': ipOfficeSpan, market: { from: '2019-06-01', until: null } },
    }
    spec(t).given([]).when(mergeBureaus({}, late)).thenThrows('BUREAU_NOT_ACTIVE')
    const ending = {
      ...reorganisationFacts,
      bureaus: { 'ip-office': ipOfficeSpan, market: { from: '2014-01-01', until: '2020-01-01' } },
    }
    spec(t).given([]).when(mergeBureaus({}, ending)).thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a bureau cannot end before changes already recorded for later days', async (t) => {
    const changed = { ...reorganisationFacts, lastChanges: { 'ip-office': '2019-03-01' } }
    spec(t).given([]).when(mergeBureaus({}, changed)).thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
  })
  t.test('a merge needs a reason and a day', async (t) => {
    spec(t)
      .given([])
      .when(mergeBureaus({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
    spec(t)
      .given([])
      .when(mergeBureaus({ effectiveDate: '2019-1-1' }))
      .thenThrows('INVALID_DATE')
    spec(t)
      .given([])
      .when(mergeBureaus({ reorganisationId: '' }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('only the plan office reorganises', async (t) => {
    spec(t)
      .given([])
      .when(mergeBureaus({}, reorganisationFacts, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
    spec(t)
      .given([])
      .when(mergeBureaus({}, reorganisationFacts, auditor))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('SplitBureau', async (t) => {
  const splitEvents: ReorganisationEvent[] = [{ type: 'BureauSplit', data: splitData }]
  t.test('the plan office splits a bureau, allocating duties and tasks', async (t) => {
    spec(t).given([]).when(split()).then(splitEvents)
  })
  t.test('allocations default to none: everything goes to the first successor', async (t) => {
    spec(t)
      .given([])
      .when(split({ dutyAllocation: undefined, taskAllocation: undefined }))
      .then([{ type: 'BureauSplit', data: { ...splitData, dutyAllocation: {}, taskAllocation: {} } }])
  })
  t.test('the same split again records nothing', async (t) => {
    spec(t).given(splitEvents).when(split()).then([])
  })
  t.test('a split has two successors or more, and allocates only to them', async (t) => {
    spec(t)
      .given([])
      .when(split({ intoBureauIds: ['market'] }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given([])
      .when(split({ intoBureauIds: ['market', 'ip-office'] }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given([])
      .when(split({ dutyAllocation: { 'IP-R-002': 'commerce' } }))
      .thenThrows('INVALID_REORGANISATION')
    spec(t)
      .given([])
      .when(split({ taskAllocation: [] as never }))
      .thenThrows('INVALID_VALUE')
  })
  t.test('the successors must be registered and exist on the day', async (t) => {
    spec(t).given([]).when(split({}, reorganisationFacts)).thenThrows('BUREAU_NOT_FOUND')
    const later = {
      ...splitFacts,
      bureaus: { ...splitFacts.bureaus, copyright: { from: '2019-02-01', until: null } },
    }
    spec(t).given([]).when(split({}, later)).thenThrows('BUREAU_NOT_ACTIVE')
  })
  t.test('a split needs a reason, and the plan office', async (t) => {
    spec(t)
      .given([])
      .when(split({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
    spec(t)
      .given([])
      .when(split({}, splitFacts, system))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('RenameBureauByReorganisation', async (t) => {
  t.test('a name takes effect after the current one, as the rename step requires', async (t) => {
    const named = { ...reorganisationFacts, namedFrom: { 'ip-office': '2018-01-01' } }
    spec(t).given([]).when(rename({}, named)).thenThrows('EFFECTIVE_DATE_OUT_OF_ORDER')
    spec(t)
      .given([])
      .when(rename({ effectiveDate: '2018-01-01' }, named))
      .then([{ type: 'BureauRenameDecided', data: { ...renameData, effectiveDate: '2018-01-01' } }])
  })
  const decided: ReorganisationEvent[] = [{ type: 'BureauRenameDecided', data: renameData }]
  t.test('the plan office renames a bureau as a reorganisation', async (t) => {
    spec(t).given([]).when(rename()).then(decided)
  })
  t.test('the same rename again records nothing; another under the id is refused', async (t) => {
    spec(t).given(decided).when(rename()).then([])
    spec(t)
      .given(decided)
      .when(rename({ nameZh: '另一个名字' }))
      .thenThrows('REORGANISATION_EXISTS')
  })
  t.test('the bureau must exist on the day, and the names be given', async (t) => {
    spec(t)
      .given([])
      .when(rename({ bureauId: 'ghost' }))
      .thenThrows('BUREAU_NOT_FOUND')
    spec(t)
      .given([])
      .when(rename({ effectiveDate: '2014-01-01' }))
      .thenThrows('BUREAU_NOT_ACTIVE')
    spec(t)
      .given([])
      .when(rename({ shortName: '' }))
      .thenThrows('INVALID_VALUE')
    spec(t)
      .given([])
      .when(rename({ reason: '' }))
      .thenThrows('REASON_REQUIRED')
  })
  t.test('a bureau clerk cannot rename', async (t) => {
    spec(t)
      .given([])
      .when(rename({}, reorganisationFacts, bureauClerk))
      .thenThrows('FORBIDDEN_ROLE')
  })
})

t.test('CompleteReorganisation', async (t) => {
  const completed: ReorganisationEvent[] = [
    { type: 'ReorganisationCompleted', data: { reorganisationId: 'reform-2019', steps: 3, refused: [] } },
  ]
  t.test('the process manager records the reorganisation carried out', async (t) => {
    spec(t).given(merged).when(complete()).then(completed)
  })
  t.test('completing twice records nothing', async (t) => {
    spec(t)
      .given([...merged, ...completed])
      .when(complete())
      .then([])
  })
  t.test('only a decided reorganisation completes, and only by the platform', async (t) => {
    spec(t).given([]).when(complete()).thenThrows('REORGANISATION_NOT_FOUND')
    spec(t).given(merged).when(complete(planner)).thenThrows('FORBIDDEN_ROLE')
  })
})
