import type { DB } from "~/platform/db.server";

/** Reads a setting, creating it with `make()` the first time; safe under races. */
export async function getOrCreateSetting(db: DB, key: string, make: () => string): Promise<string> {
  await db.insertInto("settings").values({ key, value: make() }).onConflict((oc) => oc.column("key").doNothing()).execute();
  const row = await db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirstOrThrow();
  return row.value;
}
