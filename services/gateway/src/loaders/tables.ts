import { readLive, type ReadDb, type SqlClient, type TableNames } from '@coord/projector'

/**
 * The live version's tables for the loaders and the subscription feed: the projector's live views,
 * which a rebuild's switch repoints in one transaction, so no lookup of the live version is needed
 * and a read never lands on a version just dropped.
 */
export class LiveTables {
  constructor(private readonly db: ReadDb) {}

  /** Runs `read` against the live views (each statement a snapshot of its own); NO_LIVE_VERSION before the projector has started once. */
  read<T>(read: (db: SqlClient, t: TableNames) => Promise<T>): Promise<T> {
    return readLive(this.db, read)
  }
}
