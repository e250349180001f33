import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderReviewHtml, signedAnnualReview, type LeafEvent, type ReviewDocument } from '@coord/audit'
import { openEventStore } from '@coord/eventstore'
import { loadSigningKey } from '@coord/notary'
import { loadConfig } from '@coord/service-kit'
import { CliError } from '../cli.ts'
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
 * report-<year>[-<bureau>].{html,pdf,json} to the output directory.
 */
export async function auditReport(options: ReportOptions): Promise<number> {
  const request = reportRequest(options)
  const { schema } = options
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,50}$/i.test(schema)) {
    throw new CliError(`--schema must be a schema name, got '${schema}'`)
  }
  const config = loadConfig()
  const privateKey = loadSigningKey(config)
  const store = await openEventStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    ...(schema ? { schema } : {}),
  })
  const events: LeafEvent[] = []
  try {
    for await (const event of store.readAll()) events.push(event)
  } finally {
    await store.close()
  }
  const bureauIds = request.bureauId === undefined ? undefined : [request.bureauId]
  const document = signedAnnualReview(events, request.year, {
    privateKey,
    now: new Date(),
    ...(bureauIds ? { bureauIds } : {}),
  })
  if (request.bureauId !== undefined && !registered(document, request.bureauId)) {
    throw new CliError(`no bureau '${request.bureauId}' was registered by the end of ${request.year}`)
  }
  await mkdir(request.out, { recursive: true })
  const base = join(request.out, `report-${request.year}${request.bureauId ? `-${request.bureauId}` : ''}`)
  const html = renderReviewHtml(document)
  const written: string[] = []
  for (const format of request.formats) {
    const path = `${base}.${format}`
    if (format === 'json') await writeFile(path, `${JSON.stringify(document, null, 2)}\n`)
    else if (format === 'html') await writeFile(path, html)
    else await writeFile(path, await htmlToPdf(html))
    written.push(path)
  }
  const head = document.treeHead
  process.stdout.write(
    `annual review ${request.year}: ${document.bureaus.length} bureaus from ${document.eventCount} events, ` +
      `tree head size ${head.treeSize} root ${head.rootHash} key ${head.keyId}\n${written.join('\n')}\n`,
  )
  return 0
}

/** Whether the review found the bureau in the registry (a name of its own, not just the id). */
function registered(document: ReviewDocument, bureauId: string): boolean {
  const review = document.bureaus.find((b) => b.bureauId === bureauId)
  return review !== undefined && review.registered
}
