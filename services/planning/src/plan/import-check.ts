import type { CommandMetadata } from '@coord/domain'
import type { EventStore } from '@coord/eventstore'
import type { ParsedPlan } from '@coord/plan-import'
import { foldStream } from '@coord/service-kit'
import { fail } from '../domain-errors.ts'
import { planDecider, taskDecider, type ImportPlan, type TaskCommand } from '../domain.ts'

type Intent<C> = C extends { type: infer T; data: infer D } ? { type: T; data: D } : never

/** One key task of the document: its stream, its publication, and its assignment if it names bureaus. */
export interface ImportedTask {
  streamId: string
  publish: Intent<TaskCommand>
  assign: Intent<TaskCommand> | null
}

/** Whether the document's assignment is still to be sent: only right after publishing (revision 1). */
export function assignmentDue(task: ImportedTask, revisionAfterPublish: number): boolean {
  return task.assign !== null && revisionAfterPublish <= 1
}

/**
 * Two key tasks numbered alike (a typo such as `1．` twice) would land on one task stream: the
 * second would be refused after the first was recorded. Refused as a whole instead, naming the
 * number, under the code the importer gives the same mistake when it finds it first.
 */
export function requireDistinctTasks(parsed: ParsedPlan): void {
  const titles = new Map<string, string>()
  for (const task of parsed.tasks) {
    const first = titles.get(task.id)
    if (first !== undefined) {
      throw fail('IMPORT_DUPLICATE_TASK_ID', `${task.id} numbers both “${first}” and “${task.title}”`, {
        taskId: task.id,
        titles: [first, task.title],
      })
    }
    titles.set(task.id, task.title)
  }
}

/**
 * Decides every command of an import on the streams as they are now, appending nothing: the
 * plan, then each task's publication and assignment. A refusal (another document imported as this
 * plan, a task id that holds a different task, an assignment the decider refuses) is thrown before
 * the import writes anything. What an earlier attempt of the same import recorded passes: the
 * deciders recognise a repeat and decide nothing for it.
 */
export async function checkImport(
  store: EventStore,
  metadata: CommandMetadata,
  plan: { streamId: string; command: Intent<ImportPlan> },
  tasks: readonly ImportedTask[],
): Promise<void> {
  const current = await foldStream(store, plan.streamId, planDecider)
  planDecider.decide({ ...plan.command, metadata }, current.state)
  for (const task of tasks) {
    const { state, revision } = await foldStream(store, task.streamId, taskDecider)
    const published = taskDecider.decide({ ...task.publish, metadata }, state)
    if (!task.assign || !assignmentDue(task, revision + published.length)) continue
    const after = published.reduce((s, event) => taskDecider.evolve(s, event), state)
    taskDecider.decide({ ...task.assign, metadata }, after)
  }
}
