import { roundGroups, splitOutside } from './brackets.ts'
import { concatText, sliceText, trimText, type Text } from './normalise.ts'
import { isResponsibilityGroup, LABEL, readClause } from './responsibilities.ts'
import { orgUnits } from './unit-names.ts'

// A heading or task is named by its text up to the first 。. Responsibility notes written into that
// stretch (（牵头单位：区科委）, ，由区科委牵头) say who does the task, not what it is, so they go.

function cutAtLabel(text: Text): Text {
  const label = new RegExp(LABEL.source).exec(text.norm)
  return label && label.index > 0 ? sliceText(text, 0, label.index) : text
}

function dropResponsibilityGroups(text: Text): Text {
  let kept = sliceText(text, 0, 0)
  let from = 0
  for (const group of roundGroups(text.norm)) {
    if (!isResponsibilityGroup(text, group)) continue
    kept = concatText(kept, sliceText(text, from, group.start))
    from = group.end
  }
  return concatText(kept, sliceText(text, from))
}

/** 由区科委牵头 or 区财政局、区商务委配合: a clause that says who and nothing else. */
function onlyResponsibility(clause: Text): boolean {
  const found = readClause(clause)
  const names = found.reduce((sum, assignment) => sum + assignment.unit.name.length, 0)
  return found.length > 0 && trimText(clause).norm.length - names <= 8
}

function dropResponsibilityClauses(text: Text): Text {
  const clauses = splitOutside(text, ',;')
  let end = text.norm.length
  for (let i = clauses.length - 1; i > 0; i--) {
    const clause = clauses[i]
    if (clause === undefined || !onlyResponsibility(clause)) break
    end -= clause.norm.length + 1
  }
  return sliceText(text, 0, end)
}

/** The title of a heading, task or decision from the text after its number. */
export function itemTitle(rest: Text): string {
  const stop = rest.norm.indexOf('。')
  const sentence = stop >= 0 ? sliceText(rest, 0, stop) : rest
  const cleaned = dropResponsibilityClauses(cutAtLabel(dropResponsibilityGroups(sentence)))
  return trimText(cleaned, ',;:、').raw
}

const STARTS_WITH_LABEL = new RegExp(`^${LABEL.source}`)

/** A line below an item that only says who does it: 牵头单位：区科委, or a bare list of bureaus. */
function saysOnlyWho(line: Text): boolean {
  const trimmed = trimText(line, '。.;')
  return STARTS_WITH_LABEL.test(trimmed.norm) || orgUnits(trimmed) !== null
}

/**
 * The title of a heading or item from its block (the text after its number, then the lines below
 * it). When nothing but the number (and perhaps who is responsible) stands on its line, as in text
 * exported from a numbered list, the title is the first line below that says what is to be done.
 */
export function blockTitle(block: readonly Text[]): string {
  const [rest, ...below] = block
  const own = rest === undefined ? '' : itemTitle(rest)
  if (own !== '') return own
  const line = below.find((text) => !saysOnlyWho(text) && itemTitle(text) !== '')
  return line === undefined ? '' : itemTitle(line)
}
