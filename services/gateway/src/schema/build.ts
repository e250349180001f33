import { readFileSync } from 'node:fs'
import type { ReadModels } from '@coord/projector'
import {
  buildSchema,
  isObjectType,
  isUnionType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type GraphQLTypeResolver,
} from 'graphql'
import { enforceAccess } from '../access/enforce.ts'
import { annualReviewQueries, type HistorySource } from '../annual-review.ts'
import { auditQueries, type AuditSource } from '../audit.ts'
import { accessRules } from '../access/rules.ts'
import { resolvers, type Resolvers } from './resolvers.ts'

/** The schema's SDL, with a description on every type and on the fields that need one. */
export const schemaText = readFileSync(new URL('schema.graphql', import.meta.url), 'utf8')

/**
 * The executable schema: the SDL, its resolvers over `models` (the notary's log, `audit`, and the
 * event log the annual review reads, `history`), and the access rules applied.
 */
export function gatewaySchema(
  models: ReadModels,
  audit?: AuditSource,
  history?: HistorySource,
): GraphQLSchema {
  const schema = buildSchema(schemaText)
  const map = resolvers(models)
  const query = { ...map.Query, ...auditQueries(audit), ...annualReviewQueries(history, audit) }
  attach(schema, { ...map, Query: query })
  enforceAccess(schema, accessRules)
  return schema
}

type Resolver = GraphQLFieldResolver<unknown, unknown>

function attach(schema: GraphQLSchema, map: Resolvers): void {
  for (const [typeName, fields] of Object.entries(map)) {
    const type = schema.getType(typeName)
    if (isUnionType(type)) {
      type.resolveType = fields.__resolveType as GraphQLTypeResolver<unknown, unknown>
      continue
    }
    if (!isObjectType(type)) throw new Error(`resolvers for ${typeName}, which the schema lacks`)
    const defined = type.getFields()
    for (const [name, resolver] of Object.entries(fields)) {
      const field = defined[name]
      if (!field) throw new Error(`a resolver for ${typeName}.${name}, which the schema lacks`)
      if (typeof resolver === 'function') {
        field.resolve = resolver as Resolver
      } else {
        const { subscribe, resolve } = resolver as { subscribe: Resolver; resolve: Resolver }
        field.subscribe = subscribe
        field.resolve = resolve
      }
    }
  }
}
