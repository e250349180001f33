import { isUndefinedTable, tablesOf, type ReadDb, type ReadModels, type Tables } from '@coord/projector'
import { projectorErrors } from '@coord/projector'

/**
 * The live version's tables for one request: looked up once, and again when a rebuild's switch
 * dropped them between two reads (the read then runs on the new version).
 */
export class LiveTables {
  private current: Promise<Tables> | null = null

  constructor(
    private readonly db: ReadDb,
    private readonly models: ReadModels,
  ) {}

  /** Runs `read` against the live tables, once more on the new version if a switch dropped them. */
  async read<T>(read: (db: ReadDb, t: Tables) => Promise<T>): Promise<T> {
    try {
      return await read(this.db, await this.tables())
    } catch (error) {
      if (!isUndefinedTable(error)) throw error
      this.current = null
      return read(this.db, await this.tables())
    }
  }

  private tables(): Promise<Tables> {
    this.current ??= this.models.currentVersion().then((version) => {
      if (version === null) throw projectorErrors.make('NO_LIVE_VERSION')
      return tablesOf(version)
    })
    return this.current
  }
}
