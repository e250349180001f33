import { errorCatalogue } from '@coord/domain'

/**
 * The projector's error codes. README.md lists them with status and message; a test keeps the two
 * equal. `waitFor` rejects with PROJECTION_TIMEOUT; the gateway maps it to its own answer.
 */
export const projectorErrors = errorCatalogue({
  INVALID_QUERY: { status: 400, message: 'a read-model query argument is missing or malformed' },
  PROJECTION_TIMEOUT: {
    status: 504,
    message: 'the read models did not reach the requested position in time',
  },
  PROJECTOR_STOPPED: { status: 503, message: 'the projector is not running' },
  NO_LIVE_VERSION: { status: 503, message: 'no read-model version is live yet' },
  UNKNOWN_BUREAU: { status: 404, message: 'no event of the record concerns a bureau of that id' },
  UNKNOWN_PLAN: { status: 404, message: 'no event of the record concerns a plan of that id' },
  UNKNOWN_TASK: { status: 404, message: 'no event of the record concerns a task of that id in that plan' },
  UNKNOWN_MEETING: { status: 404, message: 'no event of the record concerns a meeting of that id' },
  REPLAY_TARGET_IN_USE: { status: 409, message: 'the replay target already holds tables' },
})

export type ProjectorErrorCode = keyof typeof projectorErrors.definitions
