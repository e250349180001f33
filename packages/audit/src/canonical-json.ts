/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as JavaScript compares strings) at
 * every level, no white space, numbers and strings as `JSON.stringify` writes them. Two values
 * that are equal as JSON get the same text, whichever adapter stored them and in whatever order
 * their keys came back. Anything JSON cannot carry faithfully is refused, never silently dropped.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$')
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value)
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${path}: ${value} is not a JSON number`)
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map((item, i) => write(item, `${path}[${i}]`)).join(',')}]`
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    const record = value as Record<string, unknown>
    const fields = keys.map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`)}`)
    return `{${fields.join(',')}}`
  }
  throw new TypeError(`${path}: a ${typeof value} is not JSON`)
}
