import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '..', '..')
export const kafkaScript = join(root, 'deploy', 'kafka', 'kafka.sh')

/**
 * The brokers tests use: KAFKA_BROKERS when set (CI starts the broker once), otherwise the local
 * broker of deploy/kafka, started here if it is not running (idempotent).
 */
export function ensureKafka(): string[] {
  const configured = process.env.KAFKA_BROKERS
  if (configured) return configured.split(',').map((b) => b.trim())
  const out = execFileSync('bash', [kafkaScript, 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const brokers = /KAFKA_BROKERS=(\S+)/.exec(out)?.[1]
  if (!brokers) throw new Error(`deploy/kafka/kafka.sh up printed no KAFKA_BROKERS:\n${out}`)
  return brokers.split(',')
}

/** Restarts the local broker, keeping its data (reliability tests). */
export function restartKafka(): void {
  execFileSync('bash', [kafkaScript, 'restart'], { stdio: ['ignore', 'ignore', 'inherit'] })
}
