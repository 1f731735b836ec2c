// The in-process timer that closes open statements when their signing deadline passes
// (the rule and the closing are app/models/statement-lifecycle.server.ts). Started by
// server.ts; cached public pages depend on it, since they are served without a
// database read. Loaders that show a status also close expired statements first, so a
// page is right even between two runs.
import type { DB } from "~/platform/db.server";
import { closeExpiredStatements, nextDeadline } from "~/models/statement-lifecycle.server";
import { takeLease } from "~/models/job-leases.server";
import { repeat } from "./repeat.server";

/**
 * Closes expired statements now, then again at the next deadline, and at least every
 * `maxWaitMs` (a deadline set meanwhile is seen then). Returns a function that stops it.
 */
export function watchDeadlines(db: DB, { maxWaitMs = 15_000, onError = (e: unknown) => console.error("closing statements by deadline failed:", e) } = {}): () => void {
  return repeat(async () => {
    // One process closes statements however many run; a lease of three rounds, renewed each round.
    if (await takeLease(db, "deadlines", 3 * maxWaitMs)) await closeExpiredStatements(db);
    const next = await nextDeadline(db);
    return next ? Math.min(maxWaitMs, Math.max(0, Date.parse(next) - Date.now()) + 20) : maxWaitMs;
  }, { everyMs: maxWaitMs, onError });
}
