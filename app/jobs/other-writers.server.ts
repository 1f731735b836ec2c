// Another process writing to the same SQLite file (a second app process, the CLI, an
// import script) changes statements this process has cached pages of. SQLite counts
// commits made by other connections (PRAGMA data_version, per connection; this process
// has one), so a cheap check every `intervalMs` notices them and re-reads the
// statements' versions: a page cached under an older version is then rendered afresh.
// Our own writes do not move the counter; they note their versions as they commit.
import { sql } from "kysely";
import type { DB } from "~/platform/db.server";
import { noteStatementVersionsFrom } from "~/models/statement-versions.server";
import { repeat } from "./repeat.server";

export function watchOtherWriters(db: DB, { intervalMs = 250, onError = (e: unknown) => console.error("checking for other writers failed:", e) } = {}): () => void {
  let last: number | null = null;
  return repeat(async () => {
    const { rows } = await sql<{ data_version: number }>`pragma data_version`.execute(db);
    const now = Number(rows[0]?.data_version);
    if (last !== null && now !== last) await noteStatementVersionsFrom(db);
    last = now;
  }, { everyMs: intervalMs, onError });
}
