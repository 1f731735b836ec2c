// Renders many letters to PDF on worker threads, one per core, so bulk generation
// (125 countries) takes seconds and never blocks the event loop of the web server.
// If workers cannot start (a platform without worker_threads, a missing loader), the
// same renderer runs in this process, one letter at a time, and says so once.
//
// The worker file is found from the project root, like the fonts and templates: the
// server bundle runs from build/.
import os from "node:os";
import path from "node:path";
import { Piscina } from "piscina";
import type { LetterContext } from "./letter-document.server";
import { renderLetterPdf, type LetterPdfOptions } from "./letter-pdf.server";

export interface RenderPdfsOptions extends LetterPdfOptions {
  /** Called after each finished PDF, in completion order. */
  onProgress?: (done: number, total: number) => void;
  /** Test hook: skip the workers. */
  inProcess?: boolean;
}

const WORKER = path.resolve("app", "platform", "letter-pdf-worker.mjs");

interface PoolState {
  pool: Piscina | null;
  ready: Promise<boolean>;
}
let state: PoolState | null = null;

export function letterPdfThreads(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

function pool(): PoolState {
  if (state) return state;
  let piscina: Piscina | null = null;
  try {
    const threads = letterPdfThreads();
    piscina = new Piscina({ filename: WORKER, minThreads: threads, maxThreads: threads, idleTimeout: 30_000 });
  } catch (error) {
    console.warn(`letter PDFs: worker pool unavailable, rendering in-process (${(error as Error).message})`);
  }
  const ready = piscina
    ? piscina.run({ ping: true }).then(
        () => true,
        (error: Error) => {
          console.warn(`letter PDFs: workers failed to start, rendering in-process (${error.message})`);
          return false;
        },
      )
    : Promise.resolve(false);
  state = { pool: piscina, ready };
  return state;
}

/** Renders each context to a PDF, in the order given, spread over the worker threads. */
export async function renderLetterPdfs(contexts: LetterContext[], options: RenderPdfsOptions = {}): Promise<Buffer[]> {
  const { onProgress, inProcess, ...pdfOptions } = options;
  const total = contexts.length;
  let done = 0;
  const tick = <T>(value: T) => {
    onProgress?.(++done, total);
    return value;
  };
  const { pool: piscina, ready } = inProcess ? { pool: null, ready: Promise.resolve(false) } : pool();
  if (piscina && (await ready)) {
    return Promise.all(
      contexts.map((context) =>
        piscina.run({ context, options: pdfOptions }).then((bytes: Uint8Array) => tick(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))),
      ),
    );
  }
  const out: Buffer[] = [];
  for (const context of contexts) out.push(tick(await renderLetterPdf(context, pdfOptions)));
  return out;
}

/** Stops the worker threads (tests, shutdown). The next render starts a new pool. */
export async function closePdfPool(): Promise<void> {
  const current = state;
  state = null;
  if (current?.pool) await current.pool.destroy();
}

/** Whether renders go to worker threads (true) or run in this process (false); starts the pool. */
export async function pdfPoolUsesWorkers(): Promise<boolean> {
  return pool().ready;
}
