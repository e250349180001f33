import t, { type Test } from 'tap'
import type { Command, Decider, DomainEvent } from '@coord/domain'
import { EventStoreError, openEmbeddedStore, uuidv7, type EventStore } from '@coord/eventstore'
import { build as buildPlanning, taskDecider } from '@coord/planning'
import { recordingLogger } from '@coord/service-kit/testing'
import { build } from '../src/app.ts'
import { ResolutionProcessManager } from '../src/resolution/process-manager.ts'
import { config, ipOffice, scheduleBody, secretariat, workEffect } from './http/helpers.ts'

// The resolution process manager when a step fails: for good (it is refused and the manager goes
// on) or for a while (the manager pauses and carries the step out once the store answers).

const deciderFor = (streamId: string) =>
  streamId.startsWith('task-') ? (taskDecider as unknown as Decider<Command, DomainEvent, unknown>) : null

/** Waits for `done` to hold, or fails the test after a generous while (no duration is asserted). */
async function eventually(what: string, done: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await done()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`never happened: ${what}`)
}

/** The meetings and planning apps over one store (or a view of it the manager alone uses). */
async function apps(t: Test, store: EventStore) {
  const meetings = await build(config, { store })
  const planning = await buildPlanning(config, { store })
  t.teardown(async () => {
    await meetings.close()
    await planning.close()
  })
  const post = (url: string, payload: object) =>
    meetings.inject({ method: 'POST', url, headers: { authorization: secretariat }, payload })
  const taskStatus = async (taskId: string) => {
    const url = `/planning/plans/${workEffect.planId}/tasks/${encodeURIComponent(taskId)}`
    const answer = await planning.inject({ method: 'GET', url, headers: { authorization: ipOffice } })
    return answer.statusCode
  }
  return { post, taskStatus }
}

t.test(
  'a resolution whose step the store refuses for good is logged as refused, and later resolutions still become tasks',
  async (t) => {
    const store = await openEmbeddedStore()
    t.teardown(() => store.close())
    const { post, taskStatus } = await apps(t, store)
    t.equal((await post('/meetings', scheduleBody('pm-poison'))).statusCode, 200)
    // Recorded before ids were checked at adoption: its task stream id is past the store's 200
    // characters, so publishing it fails with INVALID_STREAM_ID on every attempt.
    await store.appendToStream('meeting-pm-poison', [
      {
        id: uuidv7(),
        type: 'ResolutionAdopted',
        data: { resolutionId: 'R1', text: '设立工作站', effect: { ...workEffect, taskId: 'T'.repeat(200) } },
        metadata: {
          actor: { role: 'secretariat', user: 'sec' },
          correlationId: 'poison',
          causationId: null,
          occurredAt: '2018-03-15T02:00:00.000Z',
        },
      },
    ])
    const { lines, logger } = recordingLogger()
    const manager = new ResolutionProcessManager({ store, deciderFor, logger, name: 'pm-poison' })
    await manager.start()
    t.teardown(() => manager.stop())

    const later = { text: '后续工作', effect: { ...workEffect, taskId: 'LATER' } }
    t.equal((await post('/meetings/pm-poison/resolutions', later)).statusCode, 200)
    await eventually('the later task is published', async () => (await taskStatus('LATER')) === 200)

    const refused = lines.filter((line) => line.message === 'resolution step refused')
    t.same(
      refused.map((line) => [line.level, line.details.command, line.details.code]),
      [
        ['error', 'PublishTask', 'INVALID_STREAM_ID'],
        ['error', 'AssignTask', 'INVALID_STREAM_ID'],
        ['error', 'SetDeadline', 'INVALID_STREAM_ID'],
      ],
      'each of its steps is logged as refused, once',
    )
    const adoption = (await store.streamState('meeting-pm-poison'))?.position ?? Infinity
    await eventually('the checkpoint passes both resolutions', async () => {
      return (await store.checkpoint('pm-poison')) >= adoption
    })
  },
)

t.test(
  'a store that stops answering holds a step up but never skips it: the manager resumes from its checkpoint',
  async (t) => {
    const store = await openEmbeddedStore()
    t.teardown(() => store.close())
    const { post, taskStatus } = await apps(t, store)
    // The manager's view of the store: its appends fail while `down` holds.
    let down = true
    const failing = new Proxy(store, {
      get(target, property, receiver) {
        if (property === 'appendToStream' && down) {
          return () => Promise.reject(new EventStoreError('STORE_UNAVAILABLE', 'connection refused'))
        }
        const value: unknown = Reflect.get(target, property, receiver)
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
      },
    })
    const { lines, logger } = recordingLogger()
    const manager = new ResolutionProcessManager({
      store: failing,
      deciderFor,
      logger,
      name: 'pm-outage',
      restartDelayMs: 20,
    })
    await manager.start()
    t.teardown(() => manager.stop())

    t.equal((await post('/meetings', scheduleBody('pm-outage'))).statusCode, 200)
    const work = { text: '设立工作站', effect: { ...workEffect, taskId: 'OUTAGE' } }
    t.equal((await post('/meetings/pm-outage/resolutions', work)).statusCode, 200)
    await eventually('the failure is logged twice, with a pause between', () => {
      const failed = lines.filter((line) => line.message === 'resolution process manager failed on an event')
      return failed.length >= 2
    })
    t.equal(await taskStatus('OUTAGE'), 404, 'nothing is published while the store is down')
    t.equal(await store.checkpoint('pm-outage'), 0, 'the checkpoint stays before the resolution')

    down = false
    await eventually(
      'the task is published once the store answers',
      async () => (await taskStatus('OUTAGE')) === 200,
    )
    const failure = lines.find((line) => line.message === 'resolution process manager failed on an event')
    t.match(failure, { level: 'error', details: { err: { code: 'STORE_UNAVAILABLE' } } })
    t.ok(
      lines.some(
        (line) =>
          line.level === 'warn' && line.message === 'resolution process manager resumes from its checkpoint',
      ),
      'the pause is logged',
    )
    t.notOk(
      lines.some((line) => line.message === 'resolution step refused'),
      'a passing failure is not taken for a refusal',
    )
    await eventually(
      'the checkpoint passes the resolution',
      async () => (await store.checkpoint('pm-outage')) > 0,
    )
  },
)
