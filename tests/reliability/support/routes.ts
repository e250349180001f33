import type { FastifyInstance } from 'fastify'

export interface Route {
  method: string
  /** The path with every `{param}` filled with a sample value. */
  url: string
  template: string
}

/**
 * Every route the platform documents (its OpenAPI document at /docs/json lists each with its
 * schema), path parameters filled in: what the abuse tests walk, so a new route is covered the day
 * it is added.
 */
export async function documentedRoutes(app: FastifyInstance): Promise<Route[]> {
  const response = await app.inject({ method: 'GET', url: '/docs/json' })
  if (response.statusCode !== 200) throw new Error(`no OpenAPI document: ${response.statusCode}`)
  const spec = response.json<{ paths: Record<string, Record<string, unknown>> }>()
  const routes: Route[] = []
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const method of Object.keys(operations)) {
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(sample(name)))
      routes.push({ method: method.toUpperCase(), url, template })
    }
  }
  return routes
}

function sample(name: string): string {
  if (name === 'listKind') return 'responsibility'
  if (name === 'taskId') return '三.(二).0'
  if (name === 'planId') return 'bench-plan'
  return `sample-${name}`
}

export const writes = (route: Route) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method)
