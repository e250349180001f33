import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { openEmbeddedStore, type EventStore, type RecordedEvent } from '@coord/eventstore'
import { loadConfig, signToken, type Role } from '@coord/service-kit'
import { build } from '../../src/app.ts'

export const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

export function bearer(role: Role, bureauId?: string): string {
  const user = `${role}-${bureauId ?? 'user'}`
  return `Bearer ${signToken(config, { role, user, ...(bureauId === undefined ? {} : { bureauId }) })}`
}

export const secretariat = bearer('secretariat')
export const planner = bearer('planner')
export const ipOffice = bearer('bureau', 'ip-office')
export const auditor = bearer('auditor')

export interface Harness {
  app: FastifyInstance
  store: EventStore
  post(url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>
  events(meetingId: string): Promise<RecordedEvent[]>
  /** Schedules `meetingId` on 2018-03-15 and brings it as far as `until`. */
  meeting(meetingId: string, until?: 'scheduled' | 'adopted' | 'minuted' | 'closed'): Promise<void>
}

export const scheduleBody = (meetingId: string) => ({
  meetingId,
  session: 1,
  date: '2018-03-15',
  convener: '分管副区长',
  agenda: ['2018年重点工作安排'],
})
export const workEffect = {
  kind: 'assign-work',
  planId: 'pudong-ip-2017',
  title: '进博会期间设立知识产权保护工作站',
  leads: ['ip-office'],
  partners: ['commerce'],
  deadline: '2018-11-05',
}
export const adoptBody = {
  text: '会议同意设立知识产权保护工作站，由区知识产权局牵头，区商务委配合。',
  effect: workEffect,
}
export const minutesBody = { minutesNumber: '浦知联纪〔2018〕1号', issuedOn: '2018-03-20' }

/** One app over one in-memory store for the file (opening PGlite takes seconds); tests use their own meetings. */
export async function harness(t: { teardown(fn: () => unknown): void }): Promise<Harness> {
  const store = await openEmbeddedStore()
  const app = await build(config, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  await app.ready()
  const post = (url: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      headers: { authorization: secretariat, ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    })
  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { authorization: auditor, ...headers } })
  const ok = async (url: string, body?: unknown) => {
    const response = await post(url, body)
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`)
  }
  const steps = ['scheduled', 'adopted', 'minuted', 'closed'] as const
  return {
    app,
    store,
    post,
    get,
    async events(meetingId) {
      const found: RecordedEvent[] = []
      for await (const event of store.readStream(`meeting-${meetingId}`)) found.push(event)
      return found
    },
    async meeting(meetingId, until = 'scheduled') {
      const reach = (step: (typeof steps)[number]) => steps.indexOf(step) <= steps.indexOf(until)
      await ok('/meetings', scheduleBody(meetingId))
      if (reach('adopted')) await ok(`/meetings/${meetingId}/resolutions`, adoptBody)
      if (reach('minuted')) await ok(`/meetings/${meetingId}/minutes`, minutesBody)
      if (reach('closed')) await ok(`/meetings/${meetingId}/close`)
    },
  }
}
