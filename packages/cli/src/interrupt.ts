/**
 * Runs `cleanup` on SIGINT or SIGTERM, then ends the process as the signal would have (exit 130 or
 * 143). Returns the function that removes the handlers again once the work is over.
 */
export function onInterrupt(cleanup: () => void): () => void {
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((signal) => {
    const handler = () => {
      cleanup()
      process.exit(signal === 'SIGINT' ? 130 : 143)
    }
    process.once(signal, handler)
    return () => process.off(signal, handler)
  })
  return () => handlers.forEach((off) => off())
}
