import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderReviewHtml, SignedYearReview, type ReviewDocument } from '@coord/audit'
import { loadSigningKey } from '@coord/notary/key'
import { CliError } from '../cli.ts'
import { checkSchema, onDatabase, openExistingStore, storeConfig } from '../database.ts'
import { cannotWrite, checkDirectoryTarget, isFileError } from '../files.ts'
import { htmlToPdf } from '../report-pdf.ts'

export const reportFormats = ['html', 'pdf', 'json'] as const
export type ReportFormat = (typeof reportFormats)[number]

export interface ReportOptions {
  year: string | undefined
  bureau: string | undefined
  out: string | undefined
  format: string | undefined
  schema: string | undefined
}

/** Checks the options of `coord audit report`; a bad one is a usage error (exit 2). */
export function reportRequest(options: ReportOptions): {
  year: number
  bureauId: string | undefined
  out: string
  formats: ReportFormat[]
} {
  if (options.year === undefined) throw new CliError('report needs --year <YYYY>')
  if (!/^\d{4}$/.test(options.year) || Number(options.year) < 1900) {
    throw new CliError(`--year must be a year such as 2025, got '${options.year}'`)
  }
  // The id names the output files, so it may not climb out of the directory.
  const bureau = options.bureau
  if (bureau !== undefined && (bureau === '' || bureau.length > 200 || /[/\\]|^\./.test(bureau))) {
    throw new CliError(`--bureau must be a bureau id, got '${bureau}'`)
  }
  const formats = (options.format ?? reportFormats.join(',')).split(',').map((f) => f.trim())
  for (const format of formats) {
    if (!(reportFormats as readonly string[]).includes(format)) {
      throw new CliError(`--format takes a list of ${reportFormats.join(', ')}; got '${format}'`)
    }
  }
  return {
    year: Number(options.year),
    bureauId: options.bureau,
    out: options.out ?? '.',
    formats: [...new Set(formats)] as ReportFormat[],
  }
}

/**
 * `coord audit report`: the annual review of one or every bureau from the store's history, with a
 * tree head signed by the notary's key over exactly the events it read; writes
 * report-<year>[-<bureau>].{html,pdf,json} to the output directory. Every file is made (the PDF
 * printed) before any is written, so a failure leaves none behind.
 */
export async function auditReport(options: ReportOptions): Promise<number> {
  const request = reportRequest(options)
  const { schema } = options
  checkSchema(schema)
  await checkDirectoryTarget(request.out)
  const config = storeConfig()
  const review = new SignedYearReview(request.year)
  // The log is folded as it streams and read only up to the year end: it is never held in memory.
  await onDatabase(config.databaseUrl, async () => {
    const store = await openExistingStore(config, schema)
    try {
      for await (const event of store.readAll()) if (!review.take(event)) break
    } finally {
      await store.close()
    }
  })
  const bureauIds = request.bureauId === undefined ? undefined : [request.bureauId]
  const document = review.document({
    privateKey: loadSigningKey(config),
    now: new Date(),
    ...(bureauIds ? { bureauIds } : {}),
  })
  if (request.bureauId !== undefined && !registered(document, request.bureauId)) {
    throw new CliError(`no bureau '${request.bureauId}' was registered by the end of ${request.year}`)
  }
  const base = join(request.out, `report-${request.year}${request.bureauId ? `-${request.bureauId}` : ''}`)
  const files = await renderFiles(document, request.formats)
  const asWriteError = (path: string) => (error: unknown) => {
    throw isFileError(error) ? cannotWrite(path, error) : error
  }
  await mkdir(request.out, { recursive: true }).catch(asWriteError(request.out))
  const written: string[] = []
  for (const [format, content] of files) {
    const path = `${base}.${format}`
    await writeFile(path, content).catch(asWriteError(path))
    written.push(path)
  }
  const head = document.treeHead
  process.stdout.write(
    `annual review ${request.year}: ${document.bureaus.length} bureaus from ${document.eventCount} events, ` +
      `tree head size ${head.treeSize} root ${head.rootHash} key ${head.keyId}\n${written.join('\n')}\n`,
  )
  return 0
}

/** Each format's content, in the order asked for; the PDF is the HTML printed by chromium. */
async function renderFiles(
  document: ReviewDocument,
  formats: ReportFormat[],
): Promise<[ReportFormat, string | Uint8Array][]> {
  const html = renderReviewHtml(document)
  const pdf = formats.includes('pdf') ? await htmlToPdf(html) : undefined
  return formats.map((format) => {
    if (format === 'json') return [format, `${JSON.stringify(document, null, 2)}\n`]
    return [format, format === 'html' ? html : (pdf as Uint8Array)]
  })
}

/** Whether the review found the bureau in the registry (a name of its own, not just the id). */
function registered(document: ReviewDocument, bureauId: string): boolean {
  const review = document.bureaus.find((b) => b.bureauId === bureauId)
  return review !== undefined && review.registered
}
