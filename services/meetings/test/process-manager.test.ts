import t from 'tap'
import type { Command, Decider, DomainEvent } from '@coord/domain'
import { openEmbeddedStore, type RecordedEvent } from '@coord/eventstore'
import { taskDecider } from '@coord/planning'
import { loadConfig, signToken } from '@coord/service-kit'
import { build } from '../src/app.ts'
import { ResolutionProcessManager } from '../src/resolution/process-manager.ts'

const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })
const secretariat = { authorization: `Bearer ${signToken(config, { role: 'secretariat', user: 'sec' })}` }
const deciderFor = (streamId: string) =>
  streamId.startsWith('task-') ? (taskDecider as unknown as Decider<Command, DomainEvent, unknown>) : null

async function collect(iterable: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = []
  for await (const event of iterable) all.push(event)
  return all
}

t.test('a resolution assigning work becomes one task, however often its event is delivered', async (t) => {
  const store = await openEmbeddedStore()
  const app = await build(config, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  const scheduled = await app.inject({
    method: 'POST',
    url: '/meetings',
    headers: secretariat,
    payload: { session: 3, date: '2018-03-01', convener: '区知识产权局', agenda: ['展会保护'] },
  })
  t.equal(scheduled.statusCode, 200, scheduled.body)
  const { meetingId } = scheduled.json<{ meetingId: string }>()
  const effect = {
    kind: 'assign-work',
    planId: 'pudong-ip',
    title: '制定展会知识产权保护工作方案',
    leads: ['ip-office'],
    partners: ['commerce'],
    deadline: '2018-06-30',
  }
  const adopted = await app.inject({
    method: 'POST',
    url: `/meetings/${meetingId}/resolutions`,
    headers: secretariat,
    payload: { text: '由区知识产权局牵头制定展会知识产权保护工作方案', effect },
  })
  t.equal(adopted.statusCode, 200, adopted.body)

  const resolution = (await collect(store.readAll({ filter: { typePrefix: 'ResolutionAdopted' } })))[0]
  if (!resolution) throw new Error('no resolution recorded')
  const first = new ResolutionProcessManager({ store, deciderFor, name: 'pm-test' })
  const recorded = await first.handle(resolution)
  t.equal(recorded, 3, 'published, assigned and given its deadline')
  t.equal(await first.handle(resolution), 0, 'a redelivery records nothing')

  // A restarted manager resumes from its checkpoint and replays nothing either.
  const second = new ResolutionProcessManager({ store, deciderFor, name: 'pm-test' })
  t.equal(await second.handle(resolution), 0, 'a restarted manager handling it again records nothing')
  await second.start()
  await second.stop()

  const tasks = await collect(store.readAll({ filter: { streamPrefix: 'task-' } }))
  t.same(
    tasks.map((e) => e.type),
    ['TaskPublished', 'TaskAssigned', 'DeadlineSet'],
    'one task, assigned once, with one deadline',
  )
  for (const event of tasks) {
    t.equal(event.metadata.causationId, resolution.id, `${event.type} names the resolution as its cause`)
    t.equal(
      event.metadata.correlationId,
      resolution.metadata.correlationId,
      `${event.type} keeps its correlation`,
    )
  }
  t.match(tasks[0]?.data, { basis: { kind: 'resolution', meetingId, resolutionId: 'R1' } })
})
