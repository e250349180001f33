import t from 'tap'
import { openPlatform, until } from './support/platform.ts'

t.test('a resolution that moves a deadline, and a correction of it, move the task deadline', async (t) => {
  const { store, post } = await openPlatform(t)
  const deadlines = async (taskId: string) => {
    const task = `task-p-e2e/${taskId}`
    const events: { type: string; data: unknown }[] = []
    for await (const event of store.readStream(task)) events.push({ type: event.type, data: event.data })
    return events.filter((e) => e.type.startsWith('Deadline')).map((e) => e.data)
  }

  await post('/responsibility/bureaus', 'planner', {
    bureauId: 'ip-office',
    nameZh: '区知识产权局',
    nameEn: 'District IP Office',
    shortName: '知识产权局',
    kind: '委办局',
    effectiveDate: '2017-01-01',
  })
  const meeting = await post('/meetings', 'secretariat', {
    session: 3,
    date: '2018-05-10',
    convener: '区知识产权局',
    agenda: ['展会知识产权保护'],
  })
  const resolutions = `/meetings/${String(meeting.meetingId)}/resolutions`
  const assignWork = (deadline: string) => ({
    text: '区知识产权局牵头制定展会知识产权保护工作方案',
    effect: {
      kind: 'assign-work',
      planId: 'p-e2e',
      taskId: 'R-1',
      title: '制定展会知识产权保护工作方案',
      leads: ['ip-office'],
      partners: [],
      deadline,
    },
  })
  const assigned = await post(resolutions, 'secretariat', assignWork('2018-06-30'))
  await until(
    () => deadlines('R-1'),
    (d) => d.length === 1,
    'the first deadline',
  )
  await post(resolutions, 'secretariat', {
    text: '展会延期，方案完成时间顺延至年底',
    effect: {
      kind: 'change-deadline',
      planId: 'p-e2e',
      taskId: 'R-1',
      deadline: '2018-12-31',
      reason: '展会延期',
    },
  })
  await until(
    () => deadlines('R-1'),
    (d) => d.length === 2,
    'the moved deadline',
  )
  t.same(await deadlines('R-1'), [
    { deadline: '2018-06-30' },
    { from: '2018-06-30', to: '2018-12-31', reason: '展会延期' },
  ])

  // A correction of the assign-work resolution's deadline moves it as well.
  await post(`${resolutions}/${String(assigned.resolutionId)}/corrections`, 'secretariat', {
    ...assignWork('2019-03-31'),
    reason: '纪要更正',
  })
  const moved = await until(
    () => deadlines('R-1'),
    (d) => d.length === 3,
    'the corrected deadline',
  )
  t.match(moved[2], { from: '2018-12-31', to: '2019-03-31' })
})
