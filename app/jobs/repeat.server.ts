// The in-process timers' one loop: run a round now, then again after a wait, one round at
// a time; a failing round is reported and the loop goes on. Timers never keep the process
// alive. Returns a function that stops it.

/** `round` may answer how long to wait before the next one (ms); else `everyMs`. */
export function repeat(round: () => Promise<number | void>, { everyMs, onError }: { everyMs: number; onError: (error: unknown) => void }): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const run = async () => {
    let wait = everyMs;
    try {
      wait = (await round()) ?? everyMs;
    } catch (error) {
      onError(error);
    }
    if (stopped) return;
    timer = setTimeout(run, wait);
    timer.unref?.();
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
