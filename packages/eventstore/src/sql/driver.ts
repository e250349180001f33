/** A connection (or transaction) that runs one SQL statement with positional parameters. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>
}

/**
 * What the store needs of a database: statements, transactions (rolled back when `work` throws)
 * and a wake-up call when another process appends. PGlite and `pg` both provide it.
 */
export interface SqlDriver extends SqlClient {
  readonly adapter: 'embedded' | 'postgres'
  /**
   * Runs `work` in a transaction. `opening`, a statement without parameters, runs right after
   * BEGIN (in the same round trip where the driver can) and its rows are handed to `work`.
   */
  transaction<T>(
    work: (client: SqlClient, opened: Record<string, unknown>[]) => Promise<T>,
    opening?: string,
  ): Promise<T>
  /** Calls `onAppend` whenever any process commits an append; resolves to an unsubscribe. */
  listen(onAppend: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

/** The NOTIFY channel an append signals on. */
export const appendChannel = 'coord_es_append'
