import { findDate, isDateLine } from './dates.ts'
import { squeeze, type Line } from './normalise.ts'
import { isOrgName } from './unit-names.ts'

// The signature block: the issuing bodies, one per line or side by side, then the date. Minutes put
// both on one line under the title (…办公室      2023年3月10日). The first such block wins: in a
// plan issued by notice, that is the notice's, which is the date the plan was issued.

export interface Signature {
  readonly issuer: string | null
  readonly issueDate: string | null
}

const SEAL = /^\(?(?:盖章|印章|签章|印)\)?$/

/** Bodies named on one line: split at spaces or 、 when each piece is one, else letter-spaced. */
export function bodiesOn(raw: string, norm: string): string[] | null {
  const cuts = norm.split(/[\s、]+/).filter((piece) => piece !== '')
  if (cuts.length > 1 && cuts.every(isOrgName)) {
    return raw.split(/[\s\u3000、]+/).filter((piece) => piece !== '')
  }
  return isOrgName(squeeze(norm)) ? [squeeze(raw)] : null
}

/** The lines naming bodies above `index`, top to bottom, past blank lines and seal marks. */
function bodyLinesAbove(lines: readonly Line[], index: number): Line[] {
  const found: Line[] = []
  let blanks = 0
  for (let i = index - 1; i >= 0 && found.length < 6; i--) {
    const line = lines[i] as Line
    if (line.norm === '' || SEAL.test(line.norm)) {
      if (++blanks > 3) break
      continue
    }
    if (bodiesOn(line.raw, line.norm) === null) break
    found.unshift(line)
    blanks = 0
  }
  return found
}

function bodiesBeside(line: Line): string[] | null {
  const date = findDate(line.norm)
  const alone = date === null || date.index === 0 || line.norm.slice(date.index + date.length).trim() !== ''
  return alone ? null : bodiesOn(line.raw.slice(0, date.index), line.norm.slice(0, date.index))
}

interface Block {
  readonly lines: Line[]
  readonly bodies: string[]
  readonly date: string
}

/** Every dated line that may close a signature, with the bodies that sign it (perhaps none). */
function blocks(lines: readonly Line[]): Block[] {
  return [...lines.entries()].flatMap(([index, line]): Block[] => {
    const beside = bodiesBeside(line)
    const date = beside !== null || isDateLine(line.norm) ? findDate(line.norm) : null
    if (date === null) return []
    if (beside !== null) return [{ lines: [line], bodies: beside, date: date.iso }]
    const above = bodyLinesAbove(lines, index)
    const bodies = above.flatMap((body) => bodiesOn(body.raw, body.norm) ?? [])
    return [{ lines: [...above, line], bodies, date: date.iso }]
  })
}

/** Line numbers of every signature block (bodies and date), which belong to no heading. */
export function signatureLines(lines: readonly Line[]): Set<number> {
  return new Set(blocks(lines).flatMap((block) => block.lines.map((line) => line.no)))
}

export function findSignature(lines: readonly Line[]): Signature {
  const found = blocks(lines)
  const signed = found.find((block) => block.bodies.length > 0)
  if (signed !== undefined) return { issuer: signed.bodies.join('、'), issueDate: signed.date }
  return { issuer: null, issueDate: found[0]?.date ?? null }
}
