import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  OperationTypeNode,
  type ASTNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql'
import type { GatewayErrorCode } from './errors.ts'
import { gatewayErrors } from './errors.ts'

/** What one request may ask for. Every limit is checked before anything executes. */
export interface GatewayLimits {
  /** Fields nested below the root at most (introspection fields not counted). */
  maxDepth: number
  /** Estimated objects resolved at most: each object or list field costs its parent's multiplicity. */
  maxCost: number
  /** Aliased fields in one document at most. */
  maxAliases: number
  /** Lexical tokens in one document at most (checked while parsing, so a huge document stops early). */
  maxTokens: number
  /** Size assumed for a list with no `first` argument. */
  defaultListSize: number
  /** Whether `__schema` and `__type` may be asked (off in production). */
  introspection: boolean
}

export const defaultLimits: GatewayLimits = Object.freeze({
  maxDepth: 10,
  maxCost: 50_000,
  maxAliases: 50,
  maxTokens: 5_000,
  defaultListSize: 10,
  introspection: true,
})

function fail(code: GatewayErrorCode, detail: string, nodes?: readonly ASTNode[]): GraphQLError {
  const { message } = gatewayErrors.definitions[code]
  return new GraphQLError(`${message}: ${detail}`, { ...(nodes ? { nodes } : {}), extensions: { code } })
}

/** The validation rules enforcing `limits` (besides the token limit, which the parser applies). */
export function limitRules(limits: GatewayLimits): ValidationRule[] {
  const rules: ValidationRule[] = [aliasRule(limits.maxAliases), depthAndCostRule(limits)]
  if (!limits.introspection) rules.push(noIntrospectionRule)
  return rules
}

function aliasRule(max: number): ValidationRule {
  return (context) => {
    let aliases = 0
    return {
      Field(node) {
        if (node.alias && ++aliases === max + 1) {
          context.reportError(fail('TOO_MANY_ALIASES', `more than ${max}`, [node]))
        }
      },
    }
  }
}

const noIntrospectionRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(fail('INTROSPECTION_DISABLED', node.name.value, [node]))
    }
  },
})

/** Depth and estimated cost of each operation, following fragments (a cycle counts once). */
function depthAndCostRule(limits: GatewayLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = rootType(context.getSchema(), operation)
      if (!root) return
      const deep = new Walker(context, { ...limits, maxCost: Number.POSITIVE_INFINITY })
      deep.walk(operation.selectionSet, root, 1, 0, new Set())
      if (deep.depth > limits.maxDepth) {
        context.reportError(fail('QUERY_TOO_DEEP', `deeper than ${limits.maxDepth}`, [operation]))
        return
      }
      const costly = new Walker(context, limits)
      costly.walk(operation.selectionSet, root, 1, 1, new Set())
      if (costly.cost > limits.maxCost || deep.visits > maxVisits || costly.visits > maxVisits) {
        context.reportError(fail('QUERY_TOO_COSTLY', `estimated cost above ${limits.maxCost}`, [operation]))
      }
    },
  })
}

function rootType(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  switch (operation.operation) {
    case OperationTypeNode.QUERY:
      return schema.getQueryType()
    case OperationTypeNode.SUBSCRIPTION:
      return schema.getSubscriptionType()
    case OperationTypeNode.MUTATION:
      return schema.getMutationType()
  }
}

/** Fields a walk visits at most: fragments spread inside fragments can multiply without nesting deeper. */
const maxVisits = 100_000

class Walker {
  depth = 0
  cost = 0
  visits = 0

  constructor(
    private readonly context: ValidationContext,
    private readonly limits: GatewayLimits,
  ) {}

  walk(
    selections: SelectionSetNode,
    parent: GraphQLCompositeType,
    depth: number,
    multiplier: number,
    fragments: Set<string>,
    hint?: number,
  ): void {
    // Past the limits the answer is known: stop before a crafted document makes this slow.
    if (this.cost > this.limits.maxCost || depth > this.limits.maxDepth + 1 || this.visits > maxVisits) {
      this.depth = Math.max(this.depth, depth)
      return
    }
    for (const selection of selections.selections) {
      if (selection.kind === Kind.FIELD) {
        this.field(selection, parent, depth, multiplier, fragments, hint)
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.context.getSchema().getType(selection.typeCondition.name.value)
          : parent
        if (isCompositeType(type)) this.walk(selection.selectionSet, type, depth, multiplier, fragments, hint)
      } else {
        const name = selection.name.value
        const fragment: FragmentDefinitionNode | null | undefined = this.context.getFragment(name)
        if (!fragment || fragments.has(name)) continue
        const type = this.context.getSchema().getType(fragment.typeCondition.name.value)
        if (isCompositeType(type)) {
          this.walk(fragment.selectionSet, type, depth, multiplier, new Set([...fragments, name]), hint)
        }
      }
    }
  }

  private field(
    node: Extract<SelectionSetNode['selections'][number], { kind: Kind.FIELD }>,
    parent: GraphQLCompositeType,
    depth: number,
    multiplier: number,
    fragments: Set<string>,
    hint: number | undefined,
  ): void {
    this.visits += 1
    const name = node.name.value
    // Introspection is governed by its own switch and its shape is fixed.
    if (name.startsWith('__')) return
    this.depth = Math.max(this.depth, depth)
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined
    if (!definition || !node.selectionSet) return
    const named = getNamedType(definition.type)
    // A page's `first` sizes the lists of the page below it.
    const first = firstOf(node)
    const size = isListType(getNullableType(definition.type))
      ? (first ?? hint ?? this.limits.defaultListSize)
      : 1
    const count = multiplier * size
    this.cost += count
    if (isCompositeType(named)) this.walk(node.selectionSet, named, depth + 1, count, fragments, first)
  }
}

/** Page size asked for: a literal `first`, or the largest page a timeline gives for a variable. */
function firstOf(node: {
  arguments?: readonly { name: { value: string }; value: ASTNode }[]
}): number | undefined {
  const first = node.arguments?.find((argument) => argument.name.value === 'first')?.value
  if (first?.kind === Kind.INT) return Math.max(1, Number(first.value))
  if (first?.kind === Kind.VARIABLE) return 500
  return undefined
}
