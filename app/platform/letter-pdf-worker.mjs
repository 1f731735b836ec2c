// Worker entry for letter-pdf-pool.server.ts: renders one LetterContext to PDF bytes.
// Plain .mjs so a bare worker thread can load it: under `node --import tsx` the loader
// is inherited and the .ts import just works; elsewhere (vitest's forks, a plain node)
// we register tsx ourselves the first time the import fails.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Piscina from "piscina";

const source = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), "letter-pdf.server.ts")).href;

let renderer;
async function load() {
  try {
    return await import(source);
  } catch (error) {
    if (error?.code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const { register } = await import("tsx/esm/api");
    register();
    // A failed import stays cached under its URL: ask again under another one.
    return import(`${source}?tsx`);
  }
}

/** @param {{ context?: import("./letter-document.server").LetterContext, options?: object, ping?: boolean }} task */
export default async function renderTask(task) {
  renderer ??= load();
  const { renderLetterPdf, letterPdfFonts } = await renderer;
  if (task.ping) {
    letterPdfFonts(); // load the fonts while the pool warms up
    return "pong";
  }
  const pdf = await renderLetterPdf(task.context, task.options);
  // Hand the bytes over without a copy.
  const bytes = new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength ? bytes : bytes.slice();
  return Piscina.move(own);
}
