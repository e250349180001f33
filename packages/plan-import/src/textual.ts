import { PlanImportError } from './errors.ts'

// Characters a text document has no business holding in bulk. Tab, line breaks, vertical tab and
// form feed are left out: word processors and pdftotext emit them in ordinary text.
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/g

/** 1-based line of the character at `index` in `text`. */
export function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/**
 * Rejects strings that cannot be a plan: empty or blank ones, and ones that are really binary
 * data (a NUL, or more than a stray few control characters, or text full of U+FFFD left by a
 * decoder that did not know the encoding).
 */
export function assertTextual(text: string): void {
  if (text.replace(/[\s\u200b\ufeff]+/g, '') === '') {
    throw new PlanImportError('EMPTY_DOCUMENT', null, 'the document is empty: it holds no text')
  }
  const nul = text.indexOf('\u0000')
  if (nul >= 0) {
    throw new PlanImportError('BINARY_DOCUMENT', lineAt(text, nul), 'a NUL character: this is binary data')
  }
  const controls = [...text.matchAll(CONTROL)]
  if (controls.length > text.length * 0.01 + 2) {
    const first = controls[0]?.index ?? 0
    const detail = `${controls.length} control characters: this is binary data, not text`
    throw new PlanImportError('BINARY_DOCUMENT', lineAt(text, first), detail)
  }
  const replaced = [...text.matchAll(/\ufffd/g)]
  if (replaced.length > text.length * 0.01 + 2) {
    const detail = 'replacement characters (U+FFFD): the text was decoded with the wrong encoding'
    throw new PlanImportError('UNDECODABLE', lineAt(text, replaced[0]?.index ?? 0), detail)
  }
}
