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
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        if (!logger) return
        const { message, ...details } = log
        logger[levels[level] ?? 'info']({ kafka: details }, message)
      },
  })
}
