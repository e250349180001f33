import t from 'tap'
import type { RecordedEvent } from '@coord/eventstore'
import { ResolutionProcessManager } from '@coord/meetings'
import { dutyTransferRunner } from '@coord/platform'
import { taskDecider } from '@coord/planning'
import { auth, openPlatform, until } from './support/platform.ts'

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = []
  for await (const event of iterable) all.push(event)
  return all
}

t.test(
  'a resolution transferring a duty moves it between the two lists once; a refused transfer holds up no later resolution',
  async (t) => {
    const { store, url, post } = await openPlatform(t)
    const holder = async (dutyId: string, asOf: string) => {
      const response = await fetch(`${url}/responsibility/duties/${dutyId}?asOf=${asOf}`, {
        headers: auth('auditor'),
      })
      return response.status === 200 ? ((await response.json()) as { bureauId: string }).bureauId : null
    }

    for (const [bureauId, nameZh, nameEn, shortName] of [
      ['ip-office', '区知识产权局', 'District IP Office', '知识产权局'],
      ['culture', '区文化体育旅游局', 'District Culture, Sports and Tourism Bureau', '文体旅游局'],
    ] as const) {
      await post('/responsibility/bureaus', 'planner', {
        bureauId,
        nameZh,
        nameEn,
        shortName,
        kind: '委办局',
        effectiveDate: '2017-01-01',
      })
    }
    await post('/responsibility/bureaus/ip-office/lists/responsibility', 'planner', {
      effectiveDate: '2017-06-01',
      reason: '区政府办公室印发责任清单',
      duties: [
        { dutyId: 'D-COPYRIGHT', title: '版权执法', category: '行政处罚', legalBasis: '《著作权法》' },
        { dutyId: 'D-PATENT', title: '专利纠纷处理', category: '行政裁决', legalBasis: '《专利法》' },
      ],
    })

    const meeting = await post('/meetings', 'secretariat', {
      session: 2,
      date: '2018-04-10',
      convener: '区知识产权局',
      agenda: ['版权执法职责划转'],
    })
    const resolutions = `/meetings/${String(meeting.meetingId)}/resolutions`
    // Refused: the IP office never held D-TRADEMARK. It must not stop the resolution after it.
    await post(resolutions, 'secretariat', {
      text: '商标执法职责划转区文体旅游局',
      effect: {
        kind: 'transfer-duty',
        fromBureauId: 'ip-office',
        listKind: 'responsibility',
        dutyId: 'D-TRADEMARK',
        toBureauId: 'culture',
        effectiveDate: '2018-05-01',
      },
    })
    await post(resolutions, 'secretariat', {
      text: '版权执法职责自2018年5月1日起划转区文体旅游局',
      effect: {
        kind: 'transfer-duty',
        fromBureauId: 'ip-office',
        listKind: 'responsibility',
        dutyId: 'D-COPYRIGHT',
        toBureauId: 'culture',
        effectiveDate: '2018-05-01',
      },
    })

    await until(
      () => holder('D-COPYRIGHT', '2018-06-01'),
      (h) => h === 'culture',
      'the transfer',
    )
    t.equal(
      await holder('D-COPYRIGHT', '2018-04-15'),
      'ip-office',
      'before the effective day the IP office held it',
    )
    t.equal(await holder('D-PATENT', '2018-06-01'), 'ip-office', 'the other duty stays')
    t.equal(await holder('D-TRADEMARK', '2018-06-01'), null, 'the refused transfer created no duty')

    const adopted = await collect(store.readAll({ filter: { typePrefix: 'ResolutionAdopted' } }))
    const transfer = adopted[1]
    if (!transfer) throw new Error('the second resolution is missing')
    const lists = await collect(store.readAll({ filter: { streamPrefix: 'duties-' } }))
    const moved = lists.filter((e) => e.type === 'DutyTransferred' || e.type === 'DutyReceived')
    t.same(
      moved.map((e) => [e.streamId, e.type]),
      [
        ['duties-ip-office-responsibility', 'DutyTransferred'],
        ['duties-culture-responsibility', 'DutyReceived'],
      ],
      'the source list lets it go and the target list receives it',
    )
    for (const event of moved) {
      t.equal(event.metadata.causationId, transfer.id, `${event.type} names the resolution as its cause`)
      t.equal(
        event.metadata.correlationId,
        transfer.metadata.correlationId,
        `${event.type} keeps the correlation`,
      )
    }

    // Redelivered to a manager with no checkpoint (a restart that lost it): nothing is recorded twice.
    const again = new ResolutionProcessManager({
      store,
      name: 'redelivery-test',
      deciderFor: (streamId) => (streamId.startsWith('task-') ? taskDecider : null),
      transferDuty: dutyTransferRunner(store),
    })
    for (const event of adopted)
      t.equal(await again.handle(event), 0, `redelivering ${event.id} records nothing`)
    const after = await collect(store.readAll({ filter: { streamPrefix: 'duties-' } }))
    t.equal(after.length, lists.length, 'the lists hold no new event')
  },
)
