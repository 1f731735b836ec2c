import fs from "node:fs";
import path from "node:path";
import { Kysely, Migrator, type MigrationResultSet } from "kysely";
import { Sqlite3Dialect } from "./sqlite3-dialect";
import { migrations } from "./migrations";
import type { Database } from "./schema";

export function openDatabase(filename: string, options: { busyTimeoutMs?: number } = {}): Kysely<Database> {
  if (filename !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  return new Kysely<Database>({ dialect: new Sqlite3Dialect({ filename, busyTimeoutMs: options.busyTimeoutMs }) });
}

/**
 * Whether `error` is the database still locked by another writer after the busy timeout
 * (SQLite's SQLITE_BUSY): the request is then answered 503 with Retry-After, not 500.
 */
export function isDatabaseBusy(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown } | null;
  return e?.code === "SQLITE_BUSY" || e?.errno === 5;
}

function migrator(db: Kysely<any>) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

/** Applies every pending migration; throws (after reporting) if one fails. */
export async function migrateToLatest(db: Kysely<any>, log: (line: string) => void = () => {}) {
  return report(await migrator(db).migrateToLatest(), log);
}

/** Undoes the most recent migration. */
export async function rollbackOne(db: Kysely<any>, log: (line: string) => void = () => {}) {
  return report(await migrator(db).migrateDown(), log);
}

function report({ error, results }: MigrationResultSet, log: (line: string) => void) {
  for (const r of results ?? []) log(`${r.status === "Success" ? "ok" : r.status.toLowerCase()}: ${r.direction.toLowerCase()} ${r.migrationName}`);
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return results ?? [];
}
