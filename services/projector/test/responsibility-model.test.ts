import t from 'tap'
import { harness } from './helpers.ts'

const h = await harness(t)

const names = (nameZh: string, shortName: string) => ({ nameZh, nameEn: shortName, shortName })
const duty = (dutyId: string, title: string) => ({
  dutyId,
  title,
  category: '行政检查',
  legalBasis: '《专利法》',
})
const register = (bureauId: string, nameZh: string) =>
  [
    'BureauRegistered',
    { bureauId, kind: '委办局', parentId: null, effectiveDate: '2016-01-01', ...names(nameZh, bureauId) },
  ] as const

t.before(async () => {
  await h.append(
    'bureau-ip-office',
    [...register('ip-office', '浦东新区知识产权局')],
    [
      'BureauRenamed',
      { ...names('浦东新区知识产权局（更名）', 'ip'), effectiveDate: '2019-01-01', reason: '机构改革' },
    ],
  )
  await h.append('bureau-commerce', [...register('commerce', '浦东新区商务委')])
  await h.append('bureau-market', [...register('market', '浦东新区市场监管局')])
  const list = { bureauId: 'ip-office', listKind: 'responsibility' }
  await h.append(
    'duties-ip-office-responsibility',
    [
      'ResponsibilityListPublished',
      {
        ...list,
        version: 1,
        effectiveDate: '2017-01-01',
        reason: '首次公布',
        duties: [duty('D1', '专利行政执法'), duty('D2', '商标监管'), duty('D3', '版权登记')],
      },
    ],
    ['DutyAmended', { ...duty('D1', '专利行政执法与调解'), effectiveDate: '2018-01-01', reason: '调整' }],
    ['DutyRevoked', { dutyId: 'D3', effectiveDate: '2018-06-01', reason: '取消' }],
    [
      'ResponsibilityListPublished',
      {
        ...list,
        version: 2,
        effectiveDate: '2018-09-01',
        reason: '重新公布',
        duties: [duty('D1', '专利行政执法与调解')],
      },
    ],
    [
      'DutyTransferred',
      {
        dutyId: 'D1',
        fromBureauId: 'ip-office',
        toBureauId: 'market',
        effectiveDate: '2019-01-01',
        reason: '划转',
      },
    ],
  )
  await h.append('duties-market-responsibility', [
    'DutyReceived',
    {
      dutyId: 'D1',
      duty: { title: '专利行政执法与调解', category: '行政检查', legalBasis: '《专利法》' },
      fromBureauId: 'ip-office',
      toBureauId: 'market',
      listKind: 'responsibility',
      effectiveDate: '2019-01-01',
      reason: '划转',
    },
  ])
  await h.append(
    'reorganisation-r2019',
    [
      'BureausMerged',
      {
        reorganisationId: 'r2019',
        fromBureauIds: ['commerce'],
        intoBureauId: 'market',
        effectiveDate: '2019-01-01',
        reason: '机构改革',
      },
    ],
    ['ReorganisationCompleted', { reorganisationId: 'r2019', steps: 2, refused: [] }],
  )
  await h.append('bureau-commerce', [
    'BureauDissolved',
    { reorganisationId: 'r2019', successorIds: ['market'], effectiveDate: '2019-01-01', reason: '合并' },
  ])
  await h.caughtUp()
})

const titles = async (bureauId: string, asOf: string) =>
  (await h.models.responsibilities(bureauId, { asOf }))?.duties.responsibility.map(
    (d) => `${d.dutyId} ${d.title}`,
  )

t.test('the duties in force on a day are a range lookup over effective-dated rows', async (t) => {
  t.same(await titles('ip-office', '2016-06-01'), [])
  t.same(await titles('ip-office', '2017-06-01'), ['D1 专利行政执法', 'D2 商标监管', 'D3 版权登记'])
  t.same(await titles('ip-office', '2018-07-01'), ['D2 商标监管', 'D1 专利行政执法与调解'])
  t.same(await titles('ip-office', '2018-10-01'), ['D1 专利行政执法与调解'], 'a republished list drops D2')
  t.same(await titles('ip-office', '2019-02-01'), [])
  t.same(await titles('market', '2018-12-31'), [])
  t.same(await titles('market', '2019-01-01'), ['D1 专利行政执法与调解'], 'received on the transfer date')
})

t.test('history keeps every version with how it began and ended', async (t) => {
  const view = await h.models.responsibilities('ip-office', { asOf: '2018-07-01' })
  t.same(
    view?.history.map((d) => [d.dutyId, d.change, d.effectiveFrom, d.effectiveTo, d.ended?.by ?? null]),
    [
      ['D1', 'published', '2017-01-01', '2018-01-01', 'amended'],
      ['D2', 'published', '2017-01-01', '2018-09-01', 'dropped'],
      ['D3', 'published', '2017-01-01', '2018-06-01', 'revoked'],
      ['D1', 'amended', '2018-01-01', '2018-09-01', 'published'],
      ['D1', 'published', '2018-09-01', '2019-01-01', 'transferred'],
    ],
  )
  t.same(
    view?.scheduled.map((d) => d.effectiveFrom),
    ['2018-09-01'],
    'changes decided ahead of the day',
  )
  t.match(view?.history.at(-1)?.ended, { by: 'transferred', to: 'market' })
})

t.test('a bureau is named as it was on the day asked about', async (t) => {
  const before = await h.models.responsibilities('ip-office', { asOf: '2018-12-31' })
  t.equal(before?.bureau?.name?.nameZh, '浦东新区知识产权局')
  const after = await h.models.responsibilities('ip-office', { asOf: '2019-01-01' })
  t.equal(after?.bureau?.name?.nameZh, '浦东新区知识产权局（更名）')
  t.equal(after?.bureau?.names.length, 2)
})

t.test('reorganisations show on the bureaus merged and the bureau they merged into', async (t) => {
  const commerce = await h.models.responsibilities('commerce', { asOf: '2019-02-01' })
  t.match(commerce?.bureau, { status: 'dissolved', dissolvedOn: '2019-01-01', successorIds: ['market'] })
  t.match(commerce?.reorganisations, [
    { reorganisationId: 'r2019', type: 'BureausMerged', status: 'completed', steps: 2 },
  ])
  const earlier = await h.models.responsibilities('commerce', { asOf: '2018-02-01' })
  t.equal(earlier?.bureau?.status, 'active')
  const market = await h.models.responsibilities('market', { asOf: '2019-02-01' })
  t.equal(market?.reorganisations.length, 1)
  t.equal(await h.models.responsibilities('unknown', { asOf: '2019-02-01' }), null)
  const { entries } = await h.models.timeline({ bureauId: 'market', limit: 10 })
  t.same(
    entries.map((e) => e.type),
    [
      'BureauDissolved',
      'ReorganisationCompleted',
      'BureausMerged',
      'DutyReceived',
      'DutyTransferred',
      'BureauRegistered',
    ],
  )
})
