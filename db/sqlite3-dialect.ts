// A Kysely dialect over the asynchronous node-sqlite3 package.
//
// Kysely's built-in SqliteDialect targets better-sqlite3's synchronous API, so we
// reuse its adapter, compiler and introspector and supply only the driver. Why the
// driver looks the way it does:
// - One connection, guarded by a mutex that is held for a whole transaction.
//   Without it, a query from another request would run inside someone else's open
//   transaction on the shared connection.
// - node-sqlite3 cannot tell whether a statement yields rows, so we decide from the
//   query node: SELECT and anything with RETURNING use `all`; other writes use `run`,
//   the only call that reports `changes` and `lastID`.
// - foreign_keys is per connection in SQLite and off by default; WAL +
//   synchronous=NORMAL + busy_timeout let a second process (CLI, worker) share the
//   file; `begin immediate` takes the write lock up front so two writers fail fast
//   on busy_timeout instead of deadlocking on lock upgrade.
import sqlite3 from "sqlite3";
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from "kysely";

export interface Sqlite3DialectConfig {
  /** Path of the database file, or ":memory:". */
  filename: string;
  /** Milliseconds a writer waits for another process's lock. */
  busyTimeoutMs?: number;
}

export class Sqlite3Dialect implements Dialect {
  constructor(private readonly config: Sqlite3DialectConfig) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new Sqlite3Driver(this.config);
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}

class Sqlite3Driver implements Driver {
  #db?: sqlite3.Database;
  #connection?: Sqlite3Connection;
  readonly #mutex = new ConnectionMutex();

  constructor(private readonly config: Sqlite3DialectConfig) {}

  async init(): Promise<void> {
    this.#db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(this.config.filename, (err) => (err ? reject(err) : resolve(db)));
    });
    this.#connection = new Sqlite3Connection(this.#db);
    const pragmas = [
      "pragma journal_mode = WAL",
      "pragma synchronous = NORMAL",
      "pragma foreign_keys = ON",
      `pragma busy_timeout = ${Math.trunc(this.config.busyTimeoutMs ?? 5000)}`,
    ];
    for (const p of pragmas) await this.#connection.executeQuery(CompiledQuery.raw(p));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release ${quoteIdentifier(name)}`));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    const db = this.#db;
    this.#db = undefined;
    if (!db) return;
    await new Promise<void>((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));
  }
}

const ROW_RETURNING_SQL = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

/** Whether a compiled query produces rows (so must go through `all`). */
export function returnsRows(query: CompiledQuery): boolean {
  const node = query.query as { kind: string; returning?: unknown };
  switch (node.kind) {
    case "SelectQueryNode":
      return true;
    case "InsertQueryNode":
    case "UpdateQueryNode":
    case "DeleteQueryNode":
      return node.returning !== undefined;
    case "RawNode":
      return ROW_RETURNING_SQL.test(query.sql);
    default:
      return false; // schema statements (create table, ...) return nothing
  }
}

class Sqlite3Connection implements DatabaseConnection {
  constructor(private readonly db: sqlite3.Database) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const params = parameters as unknown[];
    if (returnsRows(compiledQuery)) {
      return new Promise((resolve, reject) => {
        this.db.all(sql, params, (err, rows) => {
          if (err) return reject(err);
          const isWrite = !/^\s*(select|with|pragma|values|explain)\b/i.test(sql);
          resolve({
            rows: rows as R[],
            ...(isWrite ? { numAffectedRows: BigInt(rows.length) } : {}),
          });
        });
      });
    }
    return new Promise((resolve, reject) => {
      this.db.run(sql, params, function (err) {
        if (err) return reject(err);
        resolve({
          rows: [],
          numAffectedRows: BigInt(this.changes),
          insertId: BigInt(this.lastID),
        });
      });
    });
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    // node-sqlite3 has no cursor that fits Kysely's pull model; SQLite result sets
    // here are small, so stream the materialised rows one by one.
    const result = await this.executeQuery<R>(compiledQuery);
    for (const row of result.rows) yield { rows: [row] };
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

class ConnectionMutex {
  #promise?: Promise<void>;
  #resolve?: () => void;

  async lock(): Promise<void> {
    while (this.#promise) await this.#promise;
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}
