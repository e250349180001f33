import { bureauStreamId, dutyListStreamId, reorganisationStreamId } from '@coord/events/responsibility'
import t from 'tap'
import { bureauOn, holderOn, reorganisationsOf, responsibleOn } from '../../src/index.ts'
import { fairProtection, ipOffice, market, merge, planner, publication, renamedNames } from './fixtures.ts'
import { World } from './world.ts'

// 知识产权局 is registered in 2015, renamed in 2017 and merged into 市场监管局 on 2019-01-01. The
// merge is recorded in 2018, before it takes effect: effective dates decide what each day shows.
async function pudong(): Promise<World> {
  const world = new World()
  await world.bureau(bureauStreamId('market'), { type: 'RegisterBureau', data: market }, planner)
  await world.bureau(bureauStreamId('ip-office'), { type: 'RegisterBureau', data: ipOffice }, planner)
  await world.list(
    dutyListStreamId('ip-office', 'power'),
    { type: 'PublishList', data: publication },
    planner,
  )
  const responsibility = {
    ...publication,
    listKind: 'responsibility' as const,
    duties: [fairProtection],
  }
  await world.list(
    dutyListStreamId('ip-office', 'responsibility'),
    { type: 'PublishList', data: responsibility },
    planner,
  )
  const rename = { ...renamedNames, effectiveDate: '2017-01-01', reason: '加挂版权局牌子' }
  await world.bureau(bureauStreamId('ip-office'), { type: 'RenameBureau', data: rename }, planner)
  const [decision] = await world.reorganisation(
    reorganisationStreamId(merge.reorganisationId),
    { type: 'MergeBureaus', data: merge },
    planner,
  )
  if (decision?.type !== 'BureausMerged') throw new Error('no merge')
  t.same(await world.carryOut(decision), [], 'every follow-up applied')
  return world
}

t.test('before the merge the query names the old bureau, with the name it bore that day', async (t) => {
  const { events } = await pudong()
  t.equal(bureauOn(events, 'ip-office', '2016-06-01')?.nameZh, '浦东新区知识产权局')
  t.equal(bureauOn(events, 'ip-office', '2018-12-31')?.nameZh, '浦东新区知识产权局(版权局)')
  t.equal(bureauOn(events, 'ip-office', '2018-12-31')?.status, 'active')
  t.equal(holderOn(events, 'IP-P-001', '2018-12-31')?.bureauId, 'ip-office')
  const before = responsibleOn(events, '2018-12-31')
  t.same(
    before.map((b) => b.bureauId),
    ['ip-office', 'market'],
  )
  t.same(
    before[0]?.duties.power.map((d) => d.dutyId),
    ['IP-P-001', 'IP-P-002'],
  )
  t.same(
    before[0]?.duties.responsibility.map((d) => d.dutyId),
    ['IP-R-001'],
  )
})

t.test(
  'after the merge the query names the new bureau, and the old one as dissolved with its successor',
  async (t) => {
    const { events } = await pudong()
    const old = bureauOn(events, 'ip-office', '2019-01-01')
    t.equal(old?.status, 'dissolved')
    t.same(old?.successorIds, ['market'])
    t.equal(holderOn(events, 'IP-P-001', '2019-01-01')?.bureauId, 'market')
    t.equal(holderOn(events, 'IP-R-001', '2019-01-01')?.listKind, 'responsibility')
    const after = responsibleOn(events, '2019-06-01')
    t.same(
      after.map((b) => b.bureauId),
      ['market'],
    )
    t.same(
      after[0]?.duties.power.map((d) => [d.dutyId, d.since]),
      [
        ['IP-P-001', '2019-01-01'],
        ['IP-P-002', '2019-01-01'],
      ],
    )
  },
)

t.test(
  'before registration there is no bureau; a reorganisation lists as completed once carried out',
  async (t) => {
    const { events } = await pudong()
    t.equal(bureauOn(events, 'ip-office', '2014-12-31'), undefined)
    t.equal(holderOn(events, 'IP-P-001', '2015-06-01'), undefined, 'the list took effect in 2016')
    t.same(
      responsibleOn(events, '2014-06-01').map((b) => b.bureauId),
      ['market'],
    )
    const [summary] = reorganisationsOf(events)
    t.equal(summary?.type, 'BureausMerged')
    t.equal(summary?.status, 'decided', 'the world helper does not record completion')
  },
)

t.test('the order events were recorded in does not change what a day shows', async (t) => {
  const { events } = await pudong()
  const reversedStreams = [...new Set(events.map((e) => e.streamId))]
    .reverse()
    .flatMap((streamId) => events.filter((e) => e.streamId === streamId))
  for (const day of ['2016-06-01', '2017-06-01', '2018-12-31', '2019-01-01', '2020-01-01']) {
    t.same(responsibleOn(reversedStreams, day), responsibleOn(events, day), day)
  }
})
