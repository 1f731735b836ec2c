// When the server's redirect fast path has run a route's action and the outcome is
// not a redirect, Remix must render the page for it. Remix runs the action itself,
// so the fast path leaves the first outcome here under a one-time id carried in a
// header only the server sets; the action hands that outcome back instead of running
// a second time (which would count rate limits twice, or store and send twice).
import { randomUUID } from "node:crypto";

export const REPLAY_HEADER = "x-demarche-replay";
type Outcome = { thrown: boolean; value: unknown };
const key = Symbol.for("demarche.actionReplays");
type Holder = { [key]?: Map<string, Outcome> };
const replays = () => ((globalThis as Holder)[key] ??= new Map());

/** Keeps an outcome for one replay; returns its id. */
export function keepOutcome(outcome: Outcome): string {
  const id = randomUUID();
  replays().set(id, outcome);
  return id;
}

export function dropOutcome(id: string): void {
  replays().delete(id);
}

/** Runs the action, unless this request replays an outcome the fast path already has. */
export async function replayOr<T>(request: Request, run: () => Promise<T>): Promise<T> {
  const id = request.headers.get(REPLAY_HEADER);
  const outcome = id ? replays().get(id) : undefined;
  if (!id || !outcome) return run();
  replays().delete(id);
  if (outcome.thrown) throw outcome.value;
  return outcome.value as T;
}
