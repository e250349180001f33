// One catalogue of the importer's error codes. The HTTP status is what a service should answer when
// the document came in a request; the README lists every code (a test keeps the two in sync).

export const planImportErrors = {
  EMPTY_DOCUMENT: { status: 400, reason: 'the document is empty' },
  BINARY_DOCUMENT: { status: 415, reason: 'the file holds binary data, not text' },
  UNDECODABLE: { status: 415, reason: 'the bytes are not UTF-8, UTF-16 or GBK/GB18030 text' },
  NO_STRUCTURE: { status: 422, reason: 'no numbered headings, decisions or task table were found' },
  NO_TASKS: { status: 422, reason: 'no tasks were found' },
  NO_TITLE: { status: 422, reason: 'the document has no title before its first heading' },
  UNTITLED_ITEM: { status: 422, reason: 'a numbered item has no text' },
  DUPLICATE_TASK_ID: { status: 422, reason: 'two tasks have the same number' },
  CONFLICTING_TARGETS: { status: 422, reason: 'one indicator has two different targets for one year' },
} as const

export type PlanImportErrorCode = keyof typeof planImportErrors

/** Why a document could not be imported, and where. Nothing is published when this is thrown. */
export class PlanImportError extends Error {
  readonly code: PlanImportErrorCode
  /** 1-based line of the input the problem was found on, or null when it concerns the whole file. */
  readonly line: number | null
  readonly status: number

  constructor(code: PlanImportErrorCode, line: number | null, detail?: string) {
    const reason = detail ?? planImportErrors[code].reason
    super(line === null ? reason : `line ${line}: ${reason}`)
    this.name = 'PlanImportError'
    this.code = code
    this.line = line
    this.status = planImportErrors[code].status
  }
}
