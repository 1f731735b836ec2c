// One database handle for the whole process, kept on globalThis so the dev server's
// reloads and the server entry (which migrates before loading the build) share it.
import type { Kysely } from "kysely";
import { isDatabaseBusy, openDatabase } from "../../db/connection";
import type { Database } from "../../db/schema";
import { loadEnv } from "./env.server";

const key = Symbol.for("demarche.db");
type Holder = { [key]?: Kysely<Database> };

export function getDb(): Kysely<Database> {
  const holder = globalThis as Holder;
  holder[key] ??= openDatabase(loadEnv().DATABASE_PATH, { busyTimeoutMs: loadEnv().DATABASE_BUSY_TIMEOUT_MS });
  return holder[key]!;
}

export type DB = Kysely<Database>;
export { isDatabaseBusy };

/** Runs `fn` in a transaction, or in the caller's one (Kysely cannot nest them). */
export function atomically<T>(db: DB, fn: (trx: DB) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
