import t from 'tap'
import { examplePlanPath } from '@coord/plan-import'
import { examplePlanId, seedExamplePlan } from '@coord/platform'
import { auth, config, openPlatform, until } from './support/platform.ts'

const taskId = '三.(二).7'
const taskPath = `/planning/plans/${examplePlanId}/tasks/${encodeURIComponent(taskId)}`

t.test(
  'a resolution assigns a task of the imported plan, a merger moves it to the successor, and the past still names the old bureau',
  async (t) => {
    const { url, post } = await openPlatform(t, (app, store) =>
      seedExamplePlan(app, store, config, examplePlanPath),
    )
    const get = async (path: string) => {
      const response = await fetch(`${url}${path}`, { headers: auth('auditor') })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    }

    // The registry and the lists, as the plan office records them.
    const bureaus = [
      ['ip-office', '区知识产权局', 'District IP Office', '知识产权局'],
      ['commerce', '区商务委', 'District Commerce Commission', '商务委'],
      ['market', '区市场监管局', 'District Market Regulation Bureau', '市场监管局'],
      ['market-ip', '区市场监督管理局', 'District Administration for Market Regulation', '市场监督管理局'],
    ] as const
    for (const [bureauId, nameZh, nameEn, shortName] of bureaus) {
      await post('/responsibility/bureaus', 'planner', {
        bureauId,
        nameZh,
        nameEn,
        shortName,
        kind: '委办局',
        effectiveDate: bureauId === 'market-ip' ? '2018-06-01' : '2017-01-01',
      })
    }
    await post('/responsibility/bureaus/ip-office/lists/responsibility', 'planner', {
      effectiveDate: '2017-06-01',
      reason: '区政府办公室印发责任清单',
      duties: [
        { dutyId: 'D-EXPO', title: '展会知识产权保护', category: '行政检查', legalBasis: '《专利法》' },
      ],
    })

    // The joint meeting resolves who leads the task.
    const meeting = await post('/meetings', 'secretariat', {
      session: 1,
      date: '2018-03-01',
      convener: '区知识产权局',
      agenda: ['展会知识产权保护'],
    })
    await post(`/meetings/${String(meeting.meetingId)}/resolutions`, 'secretariat', {
      text: '展会知识产权保护由区知识产权局牵头，区商务委配合',
      effect: {
        kind: 'change-responsibility',
        planId: examplePlanId,
        taskId,
        leads: ['ip-office'],
        partners: ['commerce'],
      },
    })
    await until(
      () => get(taskPath),
      (task) => (task.body.state as { leads?: string[] }).leads?.[0] === 'ip-office',
      'the resolution to assign the task',
    )

    // 机构改革: the IP office and market regulation merge on 2018-07-01.
    await post('/responsibility/reorganisations/merge', 'planner', {
      reorganisationId: 'reorg-2018-07',
      fromBureauIds: ['ip-office', 'market'],
      intoBureauId: 'market-ip',
      effectiveDate: '2018-07-01',
      reason: '浦东新区机构改革方案',
    })
    const moved = await until(
      () => get(taskPath),
      (task) => (task.body.state as { leads?: string[] }).leads?.[0] === 'market-ip',
      'the merger to move the task',
    )
    t.same((moved.body.state as { partners: string[] }).partners, ['commerce'], 'the partner stays')

    const events = await get(`${taskPath}/events`)
    const assignments = (
      events.body.events as { type: string; data: { leads: string[]; cause?: { kind: string } } }[]
    )
      .filter((e) => e.type === 'TaskAssigned')
      .map((e) => [e.data.cause?.kind, e.data.leads[0]])
    t.same(assignments, [
      ['resolution', 'ip-office'],
      ['reorganisation', 'market-ip'],
    ])

    const before = await get(`/responsibility/duties/D-EXPO?asOf=2018-03-15`)
    const after = await get(`/responsibility/duties/D-EXPO?asOf=2018-08-01`)
    t.match(before.body, { bureauId: 'ip-office' }, 'in March 2018 the IP office held the duty')
    t.match(after.body, { bureauId: 'market-ip' }, 'after the merger its successor holds it')
    const old = await get('/responsibility/bureaus/ip-office?asOf=2018-03-15')
    t.equal(old.status, 200)
    t.match(old.body, { bureau: { nameZh: '区知识产权局' } }, 'the past still names the old bureau')
  },
)
