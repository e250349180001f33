export { build, meetingsPlugin, type MeetingsOptions } from './app.ts'
export * from './domain.ts'
