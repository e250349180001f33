import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { EventStore } from '@coord/eventstore'
import { signToken, type Config } from '@coord/service-kit'

/** The plan the platform starts with on an empty store: the published example plan. */
export const examplePlanId = 'pudong-ip-2017'

/**
 * On first start (an empty store), imports the example plan through the platform's own API, as
 * the plan office would, so the seeded history is the same as a real import.
 */
export async function seedExamplePlan(
  app: FastifyInstance,
  store: EventStore,
  config: Config,
  file: string,
): Promise<{ seeded: boolean; tasks?: number }> {
  if ((await store.headPosition()) > 0) return { seeded: false }
  const bytes = await readFile(file)
  const token = signToken(config, { role: 'planner', user: 'platform-seed' })
  const response = await app.inject({
    method: 'POST',
    url: '/planning/plans/import',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': `seed-${examplePlanId}` },
    payload: { contentBase64: bytes.toString('base64'), fileName: basename(file), planId: examplePlanId },
  })
  if (response.statusCode !== 200) throw new Error(`seeding the example plan failed: ${response.body}`)
  return { seeded: true, tasks: response.json<{ tasks: number }>().tasks }
}
