// Waking the sending workers of this process when something is queued. A module of its
// own so that queueing code (the mailer, the sending models) need not import the worker,
// which imports the mailer.
const wakers = new Set<() => void>();

export function registerWaker(wake: () => void): () => void {
  wakers.add(wake);
  return () => wakers.delete(wake);
}

/** Tells the workers of this process that something was queued (or resumed). */
export function wakeDispatchWorkers(): void {
  for (const wake of wakers) wake();
}
