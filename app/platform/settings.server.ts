import type { DB } from "~/platform/db.server";

/**
 * Reads a setting, creating it with `make()` the first time; safe under races. Reads
 * first: a setting that exists costs no write, so it can be read while another process
 * holds the write lock.
 */
export async function getOrCreateSetting(db: DB, key: string, make: () => string): Promise<string> {
  const existing = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  if (existing) return existing.value;
  await db.insertInto("settings").values({ key, value: make() }).onConflict((oc) => oc.column("key").doNothing()).execute();
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirstOrThrow();
  return row.value;
}
