import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { openEmbeddedStore, type EventStore } from '@coord/eventstore'
import { loadConfig, signToken, type Role } from '@coord/service-kit'
import { build } from '../../src/index.ts'

export const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

export const bearer = (role: Role, bureauId?: string) =>
  `Bearer ${signToken(config, { role, user: `${role}-user`, ...(bureauId ? { bureauId } : {}) })}`
export const tokens = {
  planner: bearer('planner'),
  secretariat: bearer('secretariat'),
  supervisor: bearer('supervisor'),
  bureau: bearer('bureau', 'ip-office'),
  auditor: bearer('auditor'),
}

interface Teardown {
  teardown(fn: () => unknown): void
}

/** One embedded store and one app per test file; tests keep apart by using ids of their own. */
export async function openApp(t: Teardown): Promise<{ app: FastifyInstance; store: EventStore }> {
  const store = await openEmbeddedStore()
  const app = await build(config, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  return { app, store }
}

export interface Send {
  token?: string | null
  headers?: Record<string, string>
}

export function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  send: Send = {},
): Promise<LightMyRequestResponse> {
  const token = send.token === undefined ? tokens.planner : send.token
  return app.inject({
    method: 'POST',
    url: `/responsibility${url}`,
    payload: body as object,
    headers: { ...(token ? { authorization: token } : {}), ...send.headers },
  })
}

export function get(app: FastifyInstance, url: string, token: string | null = tokens.auditor) {
  return app.inject({
    method: 'GET',
    url: `/responsibility${url}`,
    headers: token ? { authorization: token } : {},
  })
}

let counter = 0
/** A fresh id for each use, so tests sharing a store never meet. */
export const fresh = (prefix: string) => `${prefix}-${(counter += 1)}`

export const names = (id: string) => ({ nameZh: `${id}局`, nameEn: `Bureau ${id}`, shortName: id })

export async function register(app: FastifyInstance, bureauId: string, effectiveDate = '2015-01-01') {
  const response = await post(app, '/bureaus', {
    bureauId,
    ...names(bureauId),
    kind: '委办局',
    effectiveDate,
  })
  if (response.statusCode !== 200) throw new Error(`register ${bureauId}: ${response.body}`)
}

export const duty = (dutyId: string) => ({
  dutyId,
  title: `${dutyId} 专利执法`,
  category: '行政处罚',
  legalBasis: '《中华人民共和国专利法》',
})

export async function publish(
  app: FastifyInstance,
  bureauId: string,
  dutyIds: string[],
  effectiveDate = '2016-01-01',
) {
  const body = { effectiveDate, reason: '公布权力清单', duties: dutyIds.map(duty) }
  const response = await post(app, `/bureaus/${bureauId}/lists/power`, body)
  if (response.statusCode !== 200) throw new Error(`publish ${bureauId}: ${response.body}`)
}

export async function revision(store: EventStore, streamId: string): Promise<number> {
  return (await store.streamState(streamId))?.revision ?? 0
}
