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

/**
 * Depth and estimated cost of each operation, following fragments: each fragment is measured once
 * (per page size it inherits) and its measure reused wherever it is spread, so the work is linear
 * in the document however its fragments multiply. A fragment spread inside itself counts once.
 */
function depthAndCostRule(limits: GatewayLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const root = rootType(context.getSchema(), operation)
      if (!root) return
      const measurer = new Measurer(context, limits)
      const measure = measurer.selectionSet(operation.selectionSet, root, 1, undefined)
      if (measure.depth > limits.maxDepth) {
        context.reportError(fail('QUERY_TOO_DEEP', `deeper than ${limits.maxDepth}`, [operation]))
        return
      }
      if (measure.cost > limits.maxCost || measure.fields > maxFields || measurer.steps > maxSteps) {
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

/** Fields a document may expand to, fragments spread in full: spreads can multiply without nesting deeper. */
const maxFields = 100_000

/** Selections the measure itself visits at most (fields, spreads and inline fragments alike). */
const maxSteps = 100_000

/**
 * What a selection set adds below the level it sits at: `depth`, the levels of fields it nests
 * (introspection fields not counted), `cost`, the objects it resolves for one parent object, and
 * `fields`, the fields it expands to with every fragment spread in full.
 */
interface Measure {
  depth: number
  cost: number
  fields: number
}

const nothing: Measure = Object.freeze({ depth: 0, cost: 0, fields: 0 })

class Measurer {
  steps = 0
  private readonly fragments = new Map<string, Measure>()
  /** The fragments being measured, to skip a spread of a fragment inside itself. */
  private readonly path = new Set<string>()

  constructor(
    private readonly context: ValidationContext,
    private readonly limits: GatewayLimits,
  ) {}

  /**
   * The measure of `selections` whose fields sit at `depth`; `hint` is the page size a parent's
   * `first` gives the lists below it. Below the depth limit the answer is known: nothing deeper is
   * measured, and a fragment measured there may fall short, which changes no verdict.
   */
  selectionSet(
    selections: SelectionSetNode,
    parent: GraphQLCompositeType,
    depth: number,
    hint: number | undefined,
  ): Measure {
    if (depth > this.limits.maxDepth + 1) return { depth: 1, cost: 0, fields: 0 }
    let deepest = 0
    let cost = 0
    let fields = 0
    for (const selection of selections.selections) {
      if (++this.steps > maxSteps) break
      let measure: Measure
      if (selection.kind === Kind.FIELD) {
        measure = this.field(selection, parent, depth, hint)
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition
          ? this.context.getSchema().getType(selection.typeCondition.name.value)
          : parent
        measure = isCompositeType(type)
          ? this.selectionSet(selection.selectionSet, type, depth, hint)
          : nothing
      } else {
        measure = this.fragment(selection.name.value, depth, hint)
      }
      deepest = Math.max(deepest, measure.depth)
      cost = this.capped(cost + measure.cost)
      fields = Math.min(fields + measure.fields, maxFields + 1)
    }
    return { depth: deepest, cost, fields }
  }

  private fragment(name: string, depth: number, hint: number | undefined): Measure {
    const key = `${name}/${hint ?? ''}`
    const known = this.fragments.get(key)
    if (known) return known
    if (this.path.has(name)) return nothing
    const fragment: FragmentDefinitionNode | null | undefined = this.context.getFragment(name)
    const type = fragment && this.context.getSchema().getType(fragment.typeCondition.name.value)
    if (!fragment || !isCompositeType(type)) return nothing
    this.path.add(name)
    const measure = this.selectionSet(fragment.selectionSet, type, depth, hint)
    this.path.delete(name)
    this.fragments.set(key, measure)
    return measure
  }

  private field(
    node: Extract<SelectionSetNode['selections'][number], { kind: Kind.FIELD }>,
    parent: GraphQLCompositeType,
    depth: number,
    hint: number | undefined,
  ): Measure {
    const name = node.name.value
    // Introspection is governed by its own switch and its shape is fixed.
    if (name.startsWith('__')) return { depth: 0, cost: 0, fields: 1 }
    const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined
    if (!definition || !node.selectionSet) return { depth: 1, cost: 0, fields: 1 }
    const named = getNamedType(definition.type)
    // A page's `first` sizes the lists of the page below it.
    const first = firstOf(node)
    const size = isListType(getNullableType(definition.type))
      ? (first ?? hint ?? this.limits.defaultListSize)
      : 1
    const below = isCompositeType(named)
      ? this.selectionSet(node.selectionSet, named, depth + 1, first)
      : nothing
    return {
      depth: 1 + below.depth,
      cost: this.capped(size * (1 + below.cost)),
      fields: Math.min(1 + below.fields, maxFields + 1),
    }
  }

  /** Costs stop growing just past the limit: the verdict is the same and the numbers stay finite. */
  private capped(cost: number): number {
    return Math.min(cost, this.limits.maxCost + 1)
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
