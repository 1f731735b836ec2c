// The app's own database handle, migrated, on this test file's SQLite file.
import { migrateToLatest } from "../../db/connection";
import { getDb } from "../../app/platform/db.server";

export async function migratedDb({ countries = true } = {}) {
  const db = getDb();
  await migrateToLatest(db);
  if (countries) {
    const { loadCountries } = await import("../../app/workflows/seed/countries.server");
    await loadCountries(db);
  }
  return db;
}
