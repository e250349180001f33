import type { CommandActor } from '@coord/domain'
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql'
import { gatewayErrors } from '../errors.ts'
import { taskKey, type Loaders } from '../loaders/loaders.ts'
import type { AccessRules, Policy } from './rules.ts'

/** What every resolver gets: who asks (null only before authentication) and the request's loaders. */
export interface GatewayContext {
  actor: CommandActor | null
  loaders: Loaders
}

/**
 * The bureaus a record concerns, set by the resolver that hands it out (a progress report carries
 * its task's leads and partners); a task's own `leads` and `partners` count without it.
 */
export const concerns = Symbol('concerns')

/** Roles that read restricted texts of every task. */
const oversight: readonly string[] = ['supervisor', 'auditor']

type Args = Record<string, unknown>

/**
 * Applies the access rules to the schema's resolvers, in place: the one place authorisation is
 * enforced. Throws when a field has no rule or a rule names no field. Root fields always check
 * that someone is authenticated; fields open to everyone below the root run unwrapped.
 */
export function enforceAccess(schema: GraphQLSchema, rules: AccessRules): void {
  const seen = new Set<string>()
  const roots = new Set([schema.getQueryType(), schema.getSubscriptionType()].filter(Boolean))
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const [name, field] of Object.entries(type.getFields())) {
      const policy = rules[type.name]?.[name]
      if (policy === undefined) throw new Error(`no access rule for ${type.name}.${name}`)
      seen.add(`${type.name}.${name}`)
      if (policy === 'everyone' && !roots.has(type)) continue
      const check = checker(policy, `${type.name}.${name}`)
      if (type === schema.getSubscriptionType()) {
        field.subscribe = guarded(field.subscribe ?? defaultFieldResolver, check)
      } else {
        field.resolve = guarded(field.resolve ?? defaultFieldResolver, check)
      }
    }
  }
  for (const [typeName, fields] of Object.entries(rules)) {
    for (const name of Object.keys(fields)) {
      if (!seen.has(`${typeName}.${name}`))
        throw new Error(`access rule for a field the schema lacks: ${typeName}.${name}`)
    }
  }
}

type Check = (source: unknown, args: Args, context: GatewayContext) => void | Promise<void>

function guarded(
  inner: GraphQLFieldResolver<unknown, GatewayContext>,
  check: Check,
): GraphQLFieldResolver<unknown, GatewayContext> {
  return (source, args: Args, context, info) => {
    const pending = check(source, args, context)
    if (pending === undefined) return inner(source, args, context, info)
    return pending.then(() => inner(source, args, context, info))
  }
}

function checker(policy: Policy, field: string): Check {
  switch (policy) {
    case 'everyone':
      return (_source, _args, context) => {
        actorOf(context)
      }
    case 'ownBureau':
      return (_source, args, context) => {
        const actor = actorOf(context)
        if (actor.role === 'bureau' && args.bureauId !== actor.bureauId) {
          throw refuse('FORBIDDEN', `${field}: a bureau reads only its own bureauId`)
        }
      }
    case 'taskBureau':
      return async (_source, args, context) => {
        const actor = actorOf(context)
        if (actor.role !== 'bureau') return
        const task = await context.loaders.task.load(taskKey(String(args.planId), String(args.taskId)))
        if (!task || ![...task.leads, ...task.partners].includes(actor.bureauId ?? '')) {
          throw refuse('FORBIDDEN', `${field}: a bureau reads only tasks it leads or partners on`)
        }
      }
    case 'oversight':
      return (_source, _args, context) => {
        if (!oversight.includes(actorOf(context).role)) {
          throw refuse('FORBIDDEN', `${field} is for the supervision office and auditors`)
        }
      }
    case 'restricted':
      return (source, _args, context) => {
        const actor = actorOf(context)
        if (oversight.includes(actor.role)) return
        if (actor.role === 'bureau' && concernsOf(source).includes(actor.bureauId ?? '')) return
        throw refuse(
          'FORBIDDEN',
          `${field} is restricted to the bureaus on the task, supervisors and auditors`,
        )
      }
  }
}

/**
 * The catalogue's error, carrying its code as GraphQL `extensions` too: subscriptions over
 * WebSocket report errors without the HTTP error formatter.
 */
function refuse(code: 'FORBIDDEN' | 'UNAUTHENTICATED', detail?: string): Error {
  return Object.assign(gatewayErrors.make(code, detail), { extensions: { code } })
}

function actorOf(context: GatewayContext): CommandActor {
  if (!context.actor) throw refuse('UNAUTHENTICATED')
  return context.actor
}

function concernsOf(source: unknown): string[] {
  if (typeof source !== 'object' || source === null) return []
  const record = source as { [concerns]?: unknown; leads?: unknown; partners?: unknown }
  const named = record[concerns]
  if (Array.isArray(named)) return named as string[]
  const list = (value: unknown) => (Array.isArray(value) ? (value as string[]) : [])
  return [...list(record.leads), ...list(record.partners)]
}
