import type { DB } from "~/platform/db.server";
// The newest version of each statement this process knows of. Kept on globalThis so
// the server entry (which serves cached public pages) and the Remix build (where
// changes happen) share one map. A cached page is served only while its version is
// the newest known; a change bumps the version and the next request renders afresh.
const key = Symbol.for("demarche.statementVersions");
type Holder = { [key]?: Map<number, number> };

function versions(): Map<number, number> {
  const holder = globalThis as Holder;
  holder[key] ??= new Map();
  return holder[key]!;
}

/** Records a version; only ever moves forward. */
export function noteStatementVersion(statementId: number, version: number): void {
  const map = versions();
  if ((map.get(statementId) ?? 0) < version) map.set(statementId, version);
}

export function knownStatementVersion(statementId: number): number | undefined {
  return versions().get(statementId);
}

/**
 * Notes every statement's version as the database has it now: after another process
 * (a second app process on the same file, the CLI) changed it, so pages cached here
 * under an older version are rendered afresh instead of served stale.
 */
export async function noteStatementVersionsFrom(db: DB): Promise<void> {
  for (const row of await db.selectFrom("statements").select(["id", "version"]).execute()) noteStatementVersion(row.id, row.version);
}
