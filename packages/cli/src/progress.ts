/** Where progress goes: standard error, or anything shaped like it. */
export interface ProgressSink {
  readonly isTTY?: boolean
  write(text: string): unknown
}

export interface ProgressOptions {
  sink: ProgressSink
  /** What is being done, e.g. `replay`. */
  label: string
  /** Milliseconds; default `Date.now`. */
  now?: () => number
  /** Between two lines when the sink is not a terminal; default 5000 ms. */
  lineEveryMs?: number
}

const barWidth = 24
/** A terminal is redrawn at most this often: drawing costs more than a batch at full speed. */
const redrawEveryMs = 100

/** `m:ss`, or `h:mm:ss` past an hour; `--:--` when unknown. */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--'
  const total = Math.round(seconds)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** One line of progress: share done, count, rate and time left at the rate so far. */
export function progressText(done: number, total: number, elapsedMs: number, bar: boolean): string {
  const share = total > 0 ? Math.min(1, done / total) : 1
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0
  const left = done >= total ? 0 : rate > 0 ? (total - done) / rate : Number.NaN
  const filled = Math.round(share * barWidth)
  const parts = [
    `${(share * 100).toFixed(1).padStart(5)}%`,
    `${done}/${total} events`,
    `${Math.round(rate)} events/s`,
    `${duration(left)} left`,
  ]
  if (bar) parts.unshift(`[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`)
  return parts.join('  ')
}

/**
 * A progress bar on a terminal (one line redrawn in place), or on anything else (a log, a pipe)
 * a plain line every few seconds, so a captured log is not flooded with redraws.
 */
export class ProgressBar {
  private readonly started: number
  private lastDrawn = Number.NEGATIVE_INFINITY
  private readonly now: () => number

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now
    this.started = this.now()
  }

  update(done: number, total: number): void {
    const now = this.now()
    const tty = this.options.sink.isTTY === true
    if (now - this.lastDrawn < (tty ? redrawEveryMs : (this.options.lineEveryMs ?? 5000))) return
    this.lastDrawn = now
    const text = `${this.options.label} ${progressText(done, total, now - this.started, tty)}`
    this.options.sink.write(tty ? `\r${text}\x1b[K` : `${text}\n`)
  }

  /** A line of its own saying what is being done now, once every event is through. */
  stage(text: string): void {
    const prefix = this.options.sink.isTTY === true ? '\r\x1b[K' : ''
    this.options.sink.write(`${prefix}${this.options.label}: ${text}\n`)
  }

  /** The closing line: how many, how long, how fast. */
  finish(done: number): void {
    const seconds = (this.now() - this.started) / 1000
    const rate = seconds > 0 ? Math.round(done / seconds) : done
    const prefix = this.options.sink.isTTY === true ? '\r\x1b[K' : ''
    this.options.sink.write(
      `${prefix}${this.options.label}: ${done} events in ${seconds.toFixed(1)} s (${rate} events/s)\n`,
    )
  }
}
