export type { Command, CommandActor, CommandMetadata, Decider, DomainEvent } from './decider.ts'
export { fold, unreachable } from './decider.ts'
export { DomainError, errorCatalogue, type ErrorDefinition } from './errors.ts'
