import { uuidv7, type NewEvent } from '@coord/eventstore'

/** A progress report of about 300 bytes of JSON, as bureaus send them. */
export function benchEvent(index: number): NewEvent {
  return {
    id: uuidv7(),
    type: 'ProgressReported',
    data: {
      bureauId: `bureau-${index % 40}`,
      percent: index % 100,
      narrative: '已完成展会知识产权保护工作站的设立，正在组织执法检查',
      evidence: [{ name: 'report.pdf', ref: `evidence/${index}` }],
    },
    metadata: {
      actor: { role: 'bureau', bureauId: `bureau-${index % 40}`, user: 'bench' },
      correlationId: `c-${index}`,
      causationId: null,
      occurredAt: '2018-03-01T08:00:00.000Z',
    },
  }
}

/** Spreads appends over streams so writers rarely share one (as bureaus do). */
export function streamFor(index: number, concurrency: number): string {
  return `task-bench/${index % (concurrency * 25)}`
}
