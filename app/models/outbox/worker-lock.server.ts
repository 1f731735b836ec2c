// One sending worker per database (ADR 0009).
// Two processes sending from one database (a deploy that overlaps, a second instance)
// would each think the other's in-flight messages were interrupted. So a worker first
// takes the lock row; it recovers, claims and hands over messages only while it holds it,
// and every claim and hand-off checks that in the same statement. A holder that stops
// releases it; one that died is replaced when its heartbeat is older than the lease, or
// at once when it was a process on this machine that no longer exists.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { sql } from "kysely";
import type { DB } from "~/platform/db.server";

export interface LockOptions {
  leaseMs: number;
  /** Whether a process of this machine is still running (process.kill(pid, 0)). */
  isRunning?: (pid: number) => boolean;
}

const hostname = () => os.hostname();

/** An owner id for this process: "host:pid:random". */
export function newWorkerOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function ownerIsDeadHere(owner: string, isRunning: (pid: number) => boolean): boolean {
  const [host, pid] = owner.split(":");
  return host === hostname() && Number.isSafeInteger(Number(pid)) && !isRunning(Number(pid));
}

const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Takes or renews the lock for `owner`. True while `owner` holds it. */
export async function acquireWorkerLock(db: DB, owner: string, { leaseMs, isRunning = running }: LockOptions): Promise<boolean> {
  const now = new Date();
  const at = now.toISOString();
  await db.insertInto("dispatch_worker_lock").values({ id: 1, owner, heartbeat_at: at }).onConflict((oc) => oc.doNothing()).execute();
  const row = await db.selectFrom("dispatch_worker_lock").selectAll().where("id", "=", 1).executeTakeFirst();
  if (!row) return false;
  const stale = Date.parse(row.heartbeat_at) < now.getTime() - leaseMs;
  if (row.owner !== owner && !stale && !ownerIsDeadHere(row.owner, isRunning)) return false;
  // Guarded on the owner we saw: two contenders cannot both take over.
  const taken = await db.updateTable("dispatch_worker_lock").set({ owner, heartbeat_at: at }).where("id", "=", 1).where("owner", "=", row.owner).executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

export async function releaseWorkerLock(db: DB, owner: string): Promise<void> {
  await db.deleteFrom("dispatch_worker_lock").where("owner", "=", owner).execute();
}

/** True inside a statement while `owner` holds the lock: claims and hand-offs check it as they write. */
export const holdsLock = (owner: string) => sql<boolean>`exists (select 1 from dispatch_worker_lock where id = 1 and owner = ${owner})`;
