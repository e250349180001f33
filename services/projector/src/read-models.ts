import { businessDay } from '@coord/planning/domain'
import { isUndefinedTable, type ReadDb, type SqlClient } from './db.ts'
import { projectorErrors } from './errors.ts'
import {
  bureauAccountability,
  bureauAccountabilityAsOf,
  requireKnownBureau,
} from './queries/accountability.ts'
import { meeting, meetings } from './queries/meetings.ts'
import { planTree } from './queries/plan-tree.ts'
import { responsibilities } from './queries/responsibilities.ts'
import { timeline, type TimelineFilter } from './queries/timeline.ts'
import { checkedDay, checkedId, checkedInstant } from './queries/views.ts'
import { liveTables, tablesOf, type TableNames } from './schema.ts'

export interface ReadModelsOptions {
  /** The clock that decides "today" when a query names no day; default the system clock. */
  now?: () => Date
}

/**
 * The queries over the read models, answering plain JSON: what the GraphQL gateway calls. A query
 * of one statement reads the live views (one round trip, one snapshot); a query of several asks
 * which version is live and reads it in one read-only snapshot. Either way a rebuild's switch never
 * shows a half-built or a mixed answer. Any process with the read-model database can use it.
 */
export class ReadModels {
  private readonly now: () => Date

  constructor(
    private readonly db: ReadDb,
    options: ReadModelsOptions = {},
  ) {
    this.now = options.now ?? (() => new Date())
  }

  /** The live version of the read-model tables, or null before the projector first started. */
  currentVersion(): Promise<number | null> {
    return liveVersion(this.db)
  }

  /**
   * The tasks a bureau leads and partners on. Live: the current record, overdue counted as of
   * `today` (default: today in China Standard Time). With `asOf` (an ISO timestamp, or a day meaning
   * its end in China Standard Time): the record as it stood at that instant, from the events
   * recorded up to then, overdue counted as of asOf's day unless `today` says otherwise. A bureau
   * no event of the answer's record concerns is UNKNOWN_BUREAU (`requireKnownBureau`).
   */
  async bureauAccountability(bureauId: string, options: { today?: string; asOf?: string } = {}) {
    const id = checkedId(bureauId, 'bureauId')
    if (options.asOf === undefined) {
      const today = this.day(options.today, 'today')
      const view = await readLive(this.db, (db, t) => bureauAccountability(db, t, id, today))
      // A second statement, which may see a later record: bounded by the view's position, it
      // answers for the record the view was read from.
      if (view.tasks.length === 0) await readLive(this.db, (db, t) => requireKnownBureau(db, t, view))
      return view
    }
    const asOf = checkedInstant(options.asOf, 'asOf')
    const today = options.today === undefined ? (businessDay(asOf) ?? '') : checkedDay(options.today, 'today')
    return await this.read(async (db, t) => {
      const view = await bureauAccountabilityAsOf(db, t, id, asOf, today)
      if (view.tasks.length === 0) await requireKnownBureau(db, t, view)
      return view
    })
  }

  /** The plan tree with rolled-up progress and targets, or null for an unknown plan. */
  async planTree(planId: string, options: { today?: string } = {}) {
    const id = checkedId(planId, 'planId')
    const today = this.day(options.today, 'today')
    return await this.read((db, t) => planTree(db, t, id, today))
  }

  async meetings() {
    return await readLive(this.db, (db, t) => meetings(db, t))
  }

  /** One meeting with its resolutions' implementation status as of `today`, or null. */
  async meeting(meetingId: string, options: { today?: string } = {}) {
    const id = checkedId(meetingId, 'meetingId')
    const today = this.day(options.today, 'today')
    return await this.read((db, t) => meeting(db, t, id, today))
  }

  /** A bureau's duties in force on `asOf` (default today) with their effective-dated history, or null. */
  async responsibilities(bureauId: string, options: { asOf?: string } = {}) {
    const id = checkedId(bureauId, 'bureauId')
    const asOf = this.day(options.asOf, 'asOf')
    return await this.read((db, t) => responsibilities(db, t, id, asOf))
  }

  /**
   * What happened, newest first, in pages. A first page with no entry for one bureau, plan, task or
   * meeting is UNKNOWN_BUREAU, UNKNOWN_PLAN, UNKNOWN_TASK or UNKNOWN_MEETING: each one's first
   * event (a registration, an import, a publication, a scheduling) is on its timeline, so no entry
   * means no event of the record concerns it, a mistyped id, say.
   */
  async timeline(filter: TimelineFilter = {}) {
    const checked = checkedFilter(filter)
    const page = await readLive(this.db, (db, t) => timeline(db, t, checked))
    if (page.entries.length === 0 && checked.before === undefined) {
      const unknown = unknownSubject(checked)
      if (unknown) throw unknown
    }
    return page
  }

  private day(value: string | undefined, name: string): string {
    if (value === undefined) return businessDay(this.now().toISOString()) ?? ''
    return checkedDay(value, name)
  }

  /**
   * Runs a query in a read-only snapshot of the live version. A switch may drop the version read
   * just before the query reaches its tables; it then runs again on the new one.
   */
  private async read<T>(query: (db: SqlClient, t: TableNames) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        // The snapshot opens with the live version's lookup, in one round trip on a server.
        return await this.db.snapshot<{ version: number }, T>(liveVersionSql, (tx, [live]) => {
          if (!live) throw projectorErrors.make('NO_LIVE_VERSION')
          return query(tx, tablesOf(live.version))
        })
      } catch (error) {
        if (!isUndefinedTable(error)) throw error
        // Before the projector's first start the state table does not exist yet.
        if (/"rm_state"/.test((error as Error).message)) throw projectorErrors.make('NO_LIVE_VERSION')
        if (attempt >= 3) throw error
      }
    }
  }
}

/**
 * Runs `query` on the live views, outside any transaction: a query of one statement sees one
 * snapshot, so it needs neither the live version's lookup nor a begin and a commit. A switch
 * replaces the views in its own transaction, so a read never finds them missing meanwhile; missing
 * views (or no state table) mean the projector has not made a live version yet: NO_LIVE_VERSION.
 */
export async function readLive<T>(
  db: SqlClient,
  query: (db: SqlClient, t: TableNames) => Promise<T>,
): Promise<T> {
  try {
    return await query(db, liveTables)
  } catch (error) {
    if (isUndefinedTable(error) && /"rm_(state|live_\w+)"/.test((error as Error).message)) {
      throw projectorErrors.make('NO_LIVE_VERSION')
    }
    throw error
  }
}

const liveVersionSql = `select version from rm_state where status = 'live'`

async function liveVersion(db: SqlClient): Promise<number | null> {
  try {
    const [row] = await db.query<{ version: number }>(liveVersionSql)
    return row?.version ?? null
  } catch (error) {
    // Before the projector's first start the state table does not exist yet.
    if (isUndefinedTable(error)) return null
    throw error
  }
}

/** The error for an empty first page of one subject's timeline; null for any other filter. */
function unknownSubject({ bureauId, planId, taskId, meetingId }: TimelineFilter) {
  const subjects = [bureauId, planId, meetingId].filter((id) => id !== undefined)
  if (subjects.length !== 1) return null
  if (bureauId !== undefined) return projectorErrors.make('UNKNOWN_BUREAU', `'${bureauId}'`)
  if (taskId !== undefined) return projectorErrors.make('UNKNOWN_TASK', `'${taskId}' of plan '${planId}'`)
  if (planId !== undefined) return projectorErrors.make('UNKNOWN_PLAN', `'${planId}'`)
  return projectorErrors.make('UNKNOWN_MEETING', `'${meetingId}'`)
}

function checkedFilter(filter: TimelineFilter): TimelineFilter {
  const optional = (value: unknown, name: string) =>
    value === undefined ? undefined : checkedId(value, name)
  const limit = filter.limit ?? 50
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) {
    throw projectorErrors.make('INVALID_QUERY', 'limit must be a whole number from 1 to 500')
  }
  const before = filter.before
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
    throw projectorErrors.make('INVALID_QUERY', 'before must be a position (a whole number >= 1)')
  }
  if (filter.taskId !== undefined && filter.planId === undefined) {
    throw projectorErrors.make('INVALID_QUERY', 'a taskId needs its planId: task ids are numbered per plan')
  }
  return {
    bureauId: optional(filter.bureauId, 'bureauId'),
    planId: optional(filter.planId, 'planId'),
    taskId: optional(filter.taskId, 'taskId'),
    meetingId: optional(filter.meetingId, 'meetingId'),
    limit,
    before,
  }
}
