import type { Command, Decider, DomainEvent } from './decider.ts'
import { fold } from './decider.ts'

interface Assertions {
  same(found: unknown, wanted: unknown, message?: string): void
  fail(message: string): void
  ok(value: unknown, message?: string): void
}

/**
 * Given/when/then for deciders: given past events, when a command, then these events, or this
 * error. Usage: `spec(t).given([...]).when(command).then([...])` or `.thenThrows('CODE')`.
 */
export function deciderSpec<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return (t: Assertions) => ({
    given: (events: E[]) => ({
      when: (command: C) => {
        const run = (): E[] => decider.decide(command, fold(decider, events))
        return {
          then(expected: E[]): void {
            t.same(run(), expected)
          },
          thenThrows(code: string): void {
            try {
              const produced = run()
              t.fail(`expected error ${code}, got events ${JSON.stringify(produced.map((e) => e.type))}`)
            } catch (error) {
              t.same((error as { code?: unknown }).code, code, `error code ${code}`)
            }
          },
        }
      },
    }),
  })
}
