import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { openEmbeddedStore, type EventStore } from '@coord/eventstore'
import { buildPlatform } from '@coord/platform'
import { loadConfig, signToken } from '@coord/service-kit'

export const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }, { envFile: false })

export type Role = 'planner' | 'secretariat' | 'auditor'

/** The headers of a JSON request by `role`. */
export const auth = (role: Role) => ({
  authorization: `Bearer ${signToken(config, { role, user: `${role}-e2e` })}`,
  'content-type': 'application/json',
})

/** Polls `read` until `done` holds (the process managers work asynchronously). */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * The whole platform on an embedded store of its own, `prepare`d (the example plan seeded, say),
 * then listening on a free port, closed with the test; `post` sends a command over HTTP and
 * asserts it is accepted.
 */
export async function openPlatform(
  t: Test,
  prepare?: (app: FastifyInstance, store: EventStore) => Promise<unknown>,
): Promise<{
  store: EventStore
  url: string
  post: (path: string, role: Exclude<Role, 'auditor'>, body: object) => Promise<Record<string, unknown>>
}> {
  const store = await openEmbeddedStore()
  const app = await buildPlatform(config, { store })
  t.teardown(async () => {
    await app.close()
    await store.close()
  })
  await prepare?.(app, store)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const post = async (path: string, role: Exclude<Role, 'auditor'>, body: object) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: auth(role),
      body: JSON.stringify(body),
    })
    t.equal(response.status, 200, `POST ${path}: ${response.status === 200 ? 'ok' : await response.text()}`)
    return (await response.json()) as Record<string, unknown>
  }
  return { store, url, post }
}
