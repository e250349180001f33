import type { ProjectorStatus } from './projector.ts'

/** The projector's status in the Prometheus text exposition format. */
export function metricsText(status: ProjectorStatus): string {
  const gauges: [name: string, help: string, value: number][] = [
    ['coord_projector_checkpoint', 'Position of the last event in the live read models.', status.checkpoint],
    ['coord_projector_head', 'Position of the last event in the store.', status.head],
    ['coord_projector_lag_events', 'Events in the store not yet in the live read models.', status.lagEvents],
    ['coord_projector_lag_seconds', 'Age of the oldest event not yet projected.', status.lagSeconds],
    ['coord_projector_version', 'Live version of the read-model tables.', status.version],
    [
      'coord_projector_rebuilding',
      '1 while a new version is built beside the live one.',
      status.rebuilding ? 1 : 0,
    ],
    ['coord_projector_failing', '1 while the last batch failed and is being retried.', status.error ? 1 : 0],
  ]
  return gauges
    .map(([name, help, value]) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`)
    .join('')
}
