import { readFileSync } from 'node:fs'
import { ConfigError } from './config-error.ts'

const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/
const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' }

/**
 * Reads a `.env` file: `KEY=value` lines, optional `export `, `#` comments, single quotes (taken
 * literally) and double quotes (with \n, \t, \" escapes). A missing file is an empty one.
 */
export function readEnvFile(path: string): Record<string, string> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw new ConfigError([{ variable: '.env', message: `cannot read ${path}: ${(error as Error).message}` }])
  }
  return parseEnv(text, path)
}

export function parseEnv(text: string, source = '.env'): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const assignment = line.startsWith('export ') ? line.slice(7).trimStart() : line
    const equals = assignment.indexOf('=')
    const key = equals > 0 ? assignment.slice(0, equals).trim() : ''
    if (!keyPattern.test(key)) {
      throw new ConfigError([{ variable: '.env', message: `${source} line ${index + 1} is not KEY=value` }])
    }
    const value = parseValue(assignment.slice(equals + 1).trim())
    if (value === null) {
      throw new ConfigError([{ variable: key, message: `${source} line ${index + 1} has an unclosed quote` }])
    }
    values[key] = value
  })
  return values
}

function parseValue(text: string): string | null {
  const quote = text[0]
  if (quote === "'") {
    const end = text.indexOf("'", 1)
    return end < 0 ? null : text.slice(1, end)
  }
  if (quote === '"') return parseDoubleQuoted(text)
  // Unquoted: a ` #` starts a comment, as in shells.
  const comment = text.search(/\s#/)
  return (comment < 0 ? text : text.slice(0, comment)).trim()
}

function parseDoubleQuoted(text: string): string | null {
  let value = ''
  for (let i = 1; i < text.length; i += 1) {
    const char = text[i] as string
    if (char === '"') return value
    if (char === '\\' && i + 1 < text.length) {
      const next = text[i + 1] as string
      value += escapes[next] ?? `\\${next}`
      i += 1
    } else {
      value += char
    }
  }
  return null
}
