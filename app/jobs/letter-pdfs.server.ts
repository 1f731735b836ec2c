// The in-process background loop that turns queued letter PDFs into PDFs (see
// app/models/letter-pdf-job.server.ts). Started by server.ts after migrations; one
// round at a time, on the worker threads of letter-pdf-pool.server.ts, so the web
// server's event loop stays free. Idle, it looks at the queue every `idleMs`; after a
// round that did work it goes again at once. At start, rows a crash left 'rendering'
// go back to the queue. stop() waits for the round in progress (its results are kept).
import type { DB } from "~/platform/db.server";
import { recoverPdfJobs, runPdfJobsOnce, type RunPdfJobsOptions } from "~/models/letter-pdf-job.server";

export interface PdfWorkerLoopOptions extends RunPdfJobsOptions {
  idleMs?: number;
  onError?: (error: unknown) => void;
}

export function startPdfWorkerLoop(db: DB, { idleMs = 1500, onError = (e) => console.error("letter PDFs: a round failed:", e), ...options }: PdfWorkerLoopOptions = {}): () => Promise<void> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = round();
    }, ms);
    timer.unref?.();
  };
  const round = async () => {
    let wait = idleMs;
    try {
      const { claimed } = await runPdfJobsOnce(db, options);
      if (claimed) wait = 0;
    } catch (error) {
      onError(error);
    }
    schedule(wait);
  };
  current = (async () => {
    try {
      const recovered = await recoverPdfJobs(db);
      if (recovered) console.log(`letter PDFs: ${recovered} interrupted render(s) queued again`);
    } catch (error) {
      onError(error);
    }
    await round();
  })();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current.catch(() => undefined);
  };
}
