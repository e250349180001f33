import { AjvCompiler } from '@fastify/ajv-compiler'
import type { FastifyInstance, FastifySchemaValidationError, FastifyServerOptions } from 'fastify'

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>

// What @fastify/ajv-compiler does at run time (its published types describe a different call).
type RouteDefinition = { httpPart?: string }
type CompilerFactory = (
  externalSchemas: Record<string, unknown>,
  options?: { customOptions?: object },
) => (route: RouteDefinition) => unknown

// The validator factory Fastify itself uses (the same major version as Fastify's own dependency).
const defaultFactory = (AjvCompiler as unknown as () => CompilerFactory)()

// Fastify's default `removeAdditional: true` strips unknown fields silently; we reject them.
// One error is enough to answer and cheaper to compute on hostile input.
const shared = { removeAdditional: false, allErrors: false, useDefaults: true } as const

/**
 * Two Ajv instances: bodies are JSON and must already have the right types (`"3"` is not 3);
 * querystring, params and headers are text, so they keep Fastify's type coercion.
 */
const buildStrictValidator: CompilerFactory = (externalSchemas, options) => {
  const custom = options?.customOptions ?? {}
  const forBody = defaultFactory(externalSchemas, {
    ...options,
    customOptions: { ...custom, ...shared, coerceTypes: false },
  })
  const forText = defaultFactory(externalSchemas, {
    ...options,
    customOptions: { ...custom, ...shared, coerceTypes: 'array' },
  })
  return (route) => (route.httpPart === 'body' ? forBody(route) : forText(route))
}

export const buildValidator = buildStrictValidator as unknown as ValidatorFactory

/**
 * Makes `additionalProperties` the rule: a route whose body schema has an object schema that
 * does not say whether unknown fields are allowed fails to register, naming the spot.
 */
export function requireClosedBodySchemas(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const body = route.schema?.body
    if (body === undefined) return
    const open = openObjects(body, 'body')
    if (open.length > 0) {
      throw new Error(
        `route ${String(route.method)} ${route.url}: ${open.join(', ')} must set additionalProperties (false rejects unknown fields)`,
      )
    }
  })
}

function openObjects(schema: unknown, path: string): string[] {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return []
  const s = schema as Record<string, unknown>
  if (typeof s.$ref === 'string') return []
  const types = Array.isArray(s.type) ? (s.type as unknown[]) : [s.type]
  const isObject = types.includes('object') || s.properties !== undefined
  const closed = 'additionalProperties' in s || 'unevaluatedProperties' in s
  const found = isObject && !closed ? [path] : []
  const properties = (s.properties ?? {}) as Record<string, unknown>
  for (const [name, child] of Object.entries(properties)) found.push(...openObjects(child, `${path}.${name}`))
  found.push(...openObjects(s.items, `${path}[]`))
  for (const branch of [s.anyOf, s.oneOf]) {
    if (Array.isArray(branch)) for (const child of branch) found.push(...openObjects(child, path))
  }
  return found
}

export interface ValidationProblem {
  message: string
  /** The offending field as a dotted path (`items.0.name`), or null for the whole part. */
  field: string | null
}

/** Turns Ajv's first error into a message a client can act on, naming the field. */
export function describeValidation(errors: FastifySchemaValidationError[], part = 'body'): ValidationProblem {
  const first = errors[0]
  if (first === undefined) return { message: `${part} is invalid`, field: null }
  const at = first.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
  const where = part === 'body' ? 'field' : `${part} field`
  if (first.keyword === 'additionalProperties') {
    const field = [...at, String(first.params.additionalProperty)].join('.')
    return { message: `unknown ${where} '${field}'`, field }
  }
  if (first.keyword === 'required') {
    const field = [...at, String(first.params.missingProperty)].join('.')
    return { message: `missing required ${where} '${field}'`, field }
  }
  const field = at.length > 0 ? at.join('.') : null
  const reason = choices(errors, first) ?? first.message ?? 'is invalid'
  return { message: field === null ? `${part} ${reason}` : `${where} '${field}' ${reason}`, field }
}

/**
 * For a value outside a fixed set, the set: an enum's allowed values, or the constants of a union
 * of literals (Ajv reports each branch's const, then the anyOf, all at the same place).
 */
function choices(errors: FastifySchemaValidationError[], first: FastifySchemaValidationError): string | null {
  let values: unknown[] = []
  if (first.keyword === 'enum') values = (first.params.allowedValues as unknown[] | undefined) ?? []
  if (first.keyword === 'const') {
    values = errors
      .filter((error) => error.keyword === 'const' && error.instancePath === first.instancePath)
      .map((error) => error.params.allowedValue)
  }
  return values.length > 0 ? `must be one of ${values.map(String).join(', ')}` : null
}
