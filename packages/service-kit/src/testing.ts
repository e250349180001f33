/** A line a `recordingLogger` kept. */
export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  details: Record<string, unknown>
  message: string
}

/**
 * For tests: a logger of the shape the services take (details, then message, by level) that
 * keeps every line in `lines`, in order.
 */
export function recordingLogger() {
  const lines: LoggedLine[] = []
  const at = (level: LoggedLine['level']) => (details: object, message: string) => {
    lines.push({ level, details: details as Record<string, unknown>, message })
  }
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } }
}
