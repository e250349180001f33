// The lag client's worker entry: a worker thread does not inherit the TypeScript loader of the
// thread that starts it, so it registers tsx's before loading the client.
import { register } from 'tsx/esm/api'

register()
await import('./lag-client.ts')
