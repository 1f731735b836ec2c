// Scheduled work that runs in one process at a time, however many app processes share
// the database (issue 13): a named lease, taken by a process while free or expired, and
// kept by renewing it. A process that dies loses it when it expires; one that stops
// gives it back. The dispatch worker has its own lock (ADR 0009) for the same reason.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { atomically, type DB } from "~/platform/db.server";

/** This process, as a lease's owner: "host:pid:random". */
export const LEASE_OWNER = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** A holder that was a process of this machine and is gone (killed, crashed) gives way at once. */
function diedHere(holder: string): boolean {
  const [host, pid] = holder.split(":");
  if (host !== os.hostname() || !Number.isSafeInteger(Number(pid))) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "EPERM";
  }
}

/** Takes or renews `name` for `owner` until `ttlMs` from now. True while `owner` holds it. */
export async function takeLease(db: DB, name: string, ttlMs: number, owner = LEASE_OWNER, now = new Date()): Promise<boolean> {
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  // One write transaction (its lock taken at the start): two contenders cannot both win.
  return atomically(db, async (trx) => {
    const row = await trx.selectFrom("job_leases").selectAll().where("name", "=", name).executeTakeFirst();
    if (row && row.owner !== owner && row.expires_at > now.toISOString() && !diedHere(row.owner)) return false;
    await trx
      .insertInto("job_leases")
      .values({ name, owner, expires_at: expires })
      .onConflict((oc) => oc.column("name").doUpdateSet({ owner, expires_at: expires }))
      .execute();
    return true;
  });
}

/** Gives `name` back, if `owner` holds it. */
export async function releaseLease(db: DB, name: string, owner = LEASE_OWNER): Promise<void> {
  await db.deleteFrom("job_leases").where("name", "=", name).where("owner", "=", owner).execute();
}
