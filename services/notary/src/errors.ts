import { errorCatalogue } from '@coord/domain'

/**
 * The notary's error codes. README.md lists them with status and message; test/errors.test.ts
 * keeps the two equal.
 */
export const notaryErrors = errorCatalogue({
  INVALID_TREE_SIZE: { status: 400, message: 'the tree size must be from 1 to the size of the log' },
  INVALID_POSITION: { status: 400, message: 'the position must be from 1 to the tree size' },
  INVALID_RANGE: { status: 400, message: 'a consistency proof needs 1 <= from <= to <= the size of the log' },
  NO_TREE_HEAD: { status: 404, message: 'no tree head has been signed yet' },
  NOTARY_STOPPED: { status: 503, message: 'the notary is not running' },
})

export type NotaryErrorCode = keyof typeof notaryErrors.definitions
