export {
  contractPackage,
  excludedEventTypes,
  fromMessage,
  internalEventTypes,
  mappedEventTypes,
  schemaOf,
  toMessage,
  type MappedEvent,
} from './mapping.ts'
export { cloudEventHeaders, streamCategory, type CloudEventHeaders } from './cloudevents.ts'
export * from './gen/coord/v1/common_pb.ts'
export * from './gen/coord/v1/envelope_pb.ts'
export * from './gen/coord/v1/plan_events_pb.ts'
export * from './gen/coord/v1/task_events_pb.ts'
export * from './gen/coord/v1/meeting_events_pb.ts'
export * from './gen/coord/v1/responsibility_events_pb.ts'
