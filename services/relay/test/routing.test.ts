import t from 'tap'
import type { JsonValue, RecordedEvent } from '@coord/eventstore'
import { BureauRouter } from '../src/routing.ts'

let position = 0
function event(streamId: string, type: string, data: JsonValue): RecordedEvent {
  position++
  return {
    id: `e${position}`,
    streamId,
    revision: position,
    position,
    type,
    schemaVersion: 1,
    data,
    metadata: {
      actor: { role: 'planner', user: 'plan.office' },
      correlationId: 'c',
      causationId: null,
      occurredAt: '2018-01-02T00:00:00.000Z',
      recordedAt: '2018-01-02T00:00:00.000Z',
    },
  }
}

const task = 'task-p1/三.(二).7'
const published = () => event(task, 'TaskPublished', { planId: 'p1', taskId: '三.(二).7', title: '展会保护' })
const assigned = (leads: string[], partners: string[]) => event(task, 'TaskAssigned', { leads, partners })

t.test(
  'a task reaches its bureaus from the assignment on, and each gets the publication first, once',
  async (t) => {
    const router = new BureauRouter()
    const publication = published()
    t.same(router.route(publication), [], 'a publication names no bureau yet')
    const assignment = assigned(['ip-office'], ['commerce'])
    const bureaus = router.route(assignment)
    t.same(bureaus, ['commerce', 'ip-office'])
    t.same(router.introductions(assignment, bureaus), {
      event: publication,
      bureaus: ['commerce', 'ip-office'],
    })

    const report = event(task, 'ProgressReported', { bureauId: 'ip-office', percent: 30 })
    const again = router.route(report)
    t.same(again, ['commerce', 'ip-office'], 'a report reaches the lead and the partner')
    t.equal(router.introductions(report, again), null, 'who has the publication does not get it again')

    // A reassignment reaches the bureaus losing the task and those gaining it; only the new one is introduced.
    const moved = assigned(['market'], ['commerce'])
    const reached = router.route(moved)
    t.same(reached, ['commerce', 'ip-office', 'market'])
    t.same(router.introductions(moved, reached), { event: publication, bureaus: ['market'] })
    const later = event(task, 'TaskAcknowledged', { bureauId: 'market' })
    t.same(router.route(later), ['commerce', 'market'], 'the old lead no longer hears of it')
  },
)

t.test('after a restart the router remembers what was relayed before the checkpoint', async (t) => {
  const before = new BureauRouter()
  const publication = published()
  const assignment = assigned(['ip-office'], [])
  before.route(publication)
  before.introductions(assignment, before.route(assignment))

  const after = new BureauRouter()
  after.remember(publication)
  after.remember(assignment)
  const report = event(task, 'ProgressReported', { bureauId: 'ip-office', percent: 50 })
  const bureaus = after.route(report)
  t.same(bureaus, ['ip-office'], 'the assignment made before the restart still routes')
  t.equal(after.introductions(report, bureaus), null, 'the assigned bureau had the publication already')
  const partnered = assigned(['ip-office'], ['science'])
  t.same(after.introductions(partnered, after.route(partnered)), { event: publication, bureaus: ['science'] })
})

t.test('lists, transfers, reorganisations and resolutions reach the bureaus they name', async (t) => {
  const router = new BureauRouter()
  t.same(router.route(event('duties-ip-office-responsibility', 'DutyAdded', { dutyId: 'D1' })), ['ip-office'])
  t.same(
    router.route(
      event('duties-ip-office-responsibility', 'DutyTransferred', { dutyId: 'D1', toBureauId: 'culture' }),
    ),
    ['culture', 'ip-office'],
  )
  t.same(
    router.route(
      event('reorganisation-r1', 'ReorganisationDecided', {
        fromBureauIds: ['a', 'b'],
        intoBureauIds: ['c'],
      }),
    ),
    ['a', 'b', 'c'],
  )
  router.route(assigned(['ip-office'], ['commerce']))
  t.same(
    router.route(
      event('meeting-jm-2018-1', 'ResolutionAdopted', {
        resolutionId: 'R1',
        effect: { kind: 'change-deadline', planId: 'p1', taskId: '三.(二).7', deadline: '2018-09-30' },
      }),
    ),
    ['commerce', 'ip-office'],
    'a resolution on a task reaches the bureaus on it',
  )
  t.same(router.route(event('bureau-market', 'BureauRenamed', { nameZh: '区市场局' })), ['market'])
})
