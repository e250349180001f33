import t from 'tap'
import type { Command, Decider, DomainEvent } from '@coord/domain'
import { maxTaskIdLength } from '@coord/events'
import { openEmbeddedStore, uuidv7, type RecordedEvent } from '@coord/eventstore'
import { build as buildPlanning, taskDecider } from '@coord/planning'
import { build } from '../src/app.ts'
import { ResolutionProcessManager } from '../src/resolution/process-manager.ts'
import { config, ipOffice, scheduleBody, secretariat, workEffect } from './http/helpers.ts'

// Ids a resolution passes on to the other services: each must be one those services accept.

const store = await openEmbeddedStore()
const meetings = await build(config, { store })
const planning = await buildPlanning(config, { store })
t.teardown(async () => {
  await meetings.close()
  await planning.close()
  await store.close()
})
const deciderFor = (streamId: string) =>
  streamId.startsWith('task-') ? (taskDecider as unknown as Decider<Command, DomainEvent, unknown>) : null

const post = (url: string, payload: object, authorization = secretariat) =>
  meetings.inject({ method: 'POST', url, headers: { authorization }, payload })

async function resolutionsOf(meetingId: string): Promise<RecordedEvent[]> {
  const found: RecordedEvent[] = []
  for await (const event of store.readStream(`meeting-${meetingId}`))
    if (event.type.startsWith('Resolution')) found.push(event)
  return found
}

t.test(
  'a transfer-duty naming an id the bureau registry would refuse is a 400 and records nothing',
  async (t) => {
    const meetingId = 'ids-transfer'
    t.equal((await post('/meetings', scheduleBody(meetingId))).statusCode, 200)
    const transfer = {
      kind: 'transfer-duty',
      fromBureauId: 'ip-office',
      listKind: 'power',
      dutyId: 'D-EXPO',
      toBureauId: 'culture',
      effectiveDate: '2018-01-01',
    }
    const head = await store.headPosition()
    // The first made a stream id of 213 characters, which the store refuses: it stopped the manager.
    for (const bad of [
      { fromBureauId: '𠀀'.repeat(100) },
      { toBureauId: '区知识产权局' },
      { fromBureauId: 'a/b' },
      { dutyId: 'd'.repeat(65) },
    ]) {
      const answer = await post(`/meetings/${meetingId}/resolutions`, {
        text: '职责划转',
        effect: { ...transfer, ...bad },
      })
      t.equal(answer.statusCode, 400, `${JSON.stringify(bad).slice(0, 40)}: ${answer.body}`)
    }
    t.equal(await store.headPosition(), head, 'nothing was recorded')
    const good = await post(`/meetings/${meetingId}/resolutions`, { text: '职责划转', effect: transfer })
    t.equal(good.statusCode, 200, 'ids the registry accepts are accepted')
  },
)

t.test(
  'the default task of a resolution on a meeting with a 64-character id can be acknowledged through the planning routes',
  async (t) => {
    const meetingId = `m${'x'.repeat(63)}`
    t.equal((await post('/meetings', scheduleBody(meetingId))).statusCode, 200)
    const adopted = await post(`/meetings/${meetingId}/resolutions`, {
      text: '设立工作站',
      effect: workEffect,
    })
    t.equal(adopted.statusCode, 200, adopted.body)
    const [resolution] = await resolutionsOf(meetingId)
    if (!resolution) throw new Error('no resolution recorded')
    const { taskId } = (resolution.data as { effect: { taskId: string } }).effect
    t.ok(taskId.length <= maxTaskIdLength, `the default id ${taskId} fits the planning routes`)
    t.match(taskId, /^R-mxxx.*-R1$/, 'it still names the meeting and the resolution')

    const manager = new ResolutionProcessManager({ store, deciderFor, name: 'ids-test' })
    t.equal(await manager.handle(resolution), 3, 'published, assigned and given its deadline')
    const url = `/planning/plans/${workEffect.planId}/tasks/${encodeURIComponent(taskId)}`
    const read = await planning.inject({ method: 'GET', url, headers: { authorization: ipOffice } })
    t.equal(read.statusCode, 200, read.body)
    const acknowledged = await planning.inject({
      method: 'POST',
      url: `${url}/acknowledge`,
      headers: { authorization: ipOffice },
      payload: {},
    })
    t.equal(acknowledged.statusCode, 200, acknowledged.body)
    t.same(acknowledged.json<{ events: string[] }>().events, ['TaskAcknowledged'])
  },
)

t.test('a resolution recorded with a long default task id keeps that task when corrected', async (t) => {
  const meetingId = `m${'y'.repeat(63)}`
  t.equal((await post('/meetings', scheduleBody(meetingId))).statusCode, 200)
  const legacyTaskId = `R-${meetingId}-R1`
  const actor = { role: 'secretariat', user: 'secretariat-user' }
  await store.appendToStream(`meeting-${meetingId}`, [
    {
      id: uuidv7(),
      type: 'ResolutionAdopted',
      data: { resolutionId: 'R1', text: '设立工作站', effect: { ...workEffect, taskId: legacyTaskId } },
      metadata: { actor, correlationId: 'legacy', causationId: null, occurredAt: '2018-03-15T02:00:00.000Z' },
    },
  ])
  const corrected = await post(`/meetings/${meetingId}/resolutions/R1/corrections`, {
    text: '设立工作站',
    effect: { ...workEffect, deadline: '2018-12-31' },
    reason: '展会延期',
  })
  t.equal(corrected.statusCode, 200, corrected.body)
  const [, correction] = await resolutionsOf(meetingId)
  t.match(correction?.data, { effect: { taskId: legacyTaskId, deadline: '2018-12-31' } })
})
