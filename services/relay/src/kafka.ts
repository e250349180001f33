import { Kafka, logLevel, type LogEntry, type RetryOptions } from 'kafkajs'

interface Logger {
  debug(details: object, message: string): void
  info(details: object, message: string): void
  warn(details: object, message: string): void
  error(details: object, message: string): void
}

const levels: Record<number, keyof Logger> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
}

/**
 * The platform's level for a kafkajs log line. kafkajs logs at error level each try it is about to
 * repeat or has given up (its retrier's lines carry `retryCount`) and each failed connection
 * (namespace `Connection`): two lines a try while the brokers are down. The operation then
 * succeeds, or fails to its caller, which says so; these lines are warnings of what is being
 * retried. Every other line keeps kafkajs' level.
 */
export function levelOf({
  level,
  namespace,
  log,
}: Pick<LogEntry, 'level' | 'namespace' | 'log'>): keyof Logger {
  const retried = level === logLevel.ERROR && (namespace === 'Connection' || 'retryCount' in log)
  return retried ? 'warn' : (levels[level] ?? 'info')
}

/** How long a service keeps trying a broker before an operation fails: about 50 s in all. */
const patient: RetryOptions = { initialRetryTime: 200, retries: 8 }

/**
 * A kafkajs client whose own log lines go through the platform's pino logger. `retry` replaces how
 * long it keeps trying before an operation fails (by default about 50 s, for services that wait
 * out a broker restart).
 */
export function createKafka(
  brokers: string[],
  clientId: string,
  logger?: Logger,
  retry: RetryOptions = patient,
): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry,
    logCreator: () => (entry: LogEntry) => {
      if (!logger) return
      const { message, ...details } = entry.log
      logger[levelOf(entry)]({ kafka: details }, message)
    },
  })
}
