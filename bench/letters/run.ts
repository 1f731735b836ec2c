// bench/letters: cover letters for every state party, as bulk generation makes them.
// On a temporary seeded database: the demo statement (129 signatories), the Norwegian
// Helsinki Committee as sender, three synthetic recipients per country. Times
// (a) 125 HTML+text letters (renderLetter), (b) 125 PDFs over the worker pool,
// (c) one PDF on one core. Prints numbers; never passes or fails.
//
//   npx tsx bench/letters/run.ts            (see README.md)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { migrateToLatest, openDatabase } from "../../db/connection";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { statesPartiesOn } from "../../app/models/country.server";
import { buildLetterContexts, type LetterRequest } from "../../app/models/letter-context.server";
import { renderLetter } from "../../app/platform/letter-templates.server";
import { renderLetterPdf } from "../../app/platform/letter-pdf.server";
import { closePdfPool, letterPdfThreads, pdfPoolUsesWorkers, renderLetterPdfs } from "../../app/platform/letter-pdf-pool.server";

const DATE = "2025-01-14";
const ONE_CORE_RUNS = 5;
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const rate = (n: number, ms: number) => `${(n / (ms / 1000)).toFixed(1).padStart(8)} /s`;
const row = (label: string, n: number, ms: number, extra = "") => console.log(`${label.padEnd(34)}${String(n).padStart(4)}  ${fmt(ms)}  ${rate(n, ms)}${extra}`);

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-letters-"));
  const db = openDatabase(path.join(work, "bench.sqlite"));
  try {
    await migrateToLatest(db);
    await seedIfEmpty(db, { DEMO_PASSWORD: "bench-letters-password", DEMO_API_TOKEN: undefined });
    const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
    const signers = await db.selectFrom("signers").select("id").where("organisation_id", "=", nhc.id).orderBy("position").execute();
    const statement = await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow();
    const parties = await statesPartiesOn(db, DATE);
    const requests: LetterRequest[] = parties.map((country) => ({
      statementId: statement.id,
      countryCode: country.code,
      organisationId: nhc.id,
      signerIds: signers.map((s) => s.id),
      place: "Oslo",
      date: DATE,
      language: "en",
      ownParagraph: null,
      subject: "Civil society urges States to oppose ICC sanctions",
      recipients: [
        { kind: "addressee", name: `Minister Ærøe-Łęcka ${country.code}`, title: `Foreign Minister of ${country.name}`, institution: "Ministry of Foreign Affairs", email: `minister@mfa.${country.code.toLowerCase()}.example`, salutation: `Foreign Minister Ærøe-Łęcka ${country.code}` },
        { kind: "copy", name: `Señora Núñez ${country.code}`, title: "Minister of Justice", institution: null, email: `justice@${country.code.toLowerCase()}.example`, salutation: null },
        { kind: "copy", name: `François Øvergård ${country.code}`, title: "Director, Legal Affairs", institution: null, email: null, salutation: null },
      ],
    }));
    let t = performance.now();
    const contexts = await buildLetterContexts(db, requests);
    const buildMs = performance.now() - t;

    console.log(`bench/letters  ${new Date().toISOString()}  node ${process.version}  ${os.cpus()[0]?.model ?? "?"}  cores: ${letterPdfThreads()}`);
    console.log(`${contexts.length} states parties on ${DATE}, ${contexts[0].statement.signatories.length} signatories each`);
    console.log(`${"".padEnd(34)}   n       time      per second`);
    row("build contexts (SQL, once)", contexts.length, buildMs);

    // (a) HTML + text. The first call compiles the templates; it is timed on its own.
    t = performance.now();
    renderLetter(contexts[0], "en");
    const compileMs = performance.now() - t;
    t = performance.now();
    let bytes = 0;
    for (const context of contexts) {
      const letter = renderLetter(context, "en");
      bytes += letter.html.length + letter.text.length;
    }
    const htmlMs = performance.now() - t;
    console.log(`first letter (compiles templates unless cached)${fmt(compileMs)}`);
    row("(a) HTML+text letters", contexts.length, htmlMs, `  avg ${(bytes / contexts.length / 1024).toFixed(0)} KiB/letter`);

    // (b) PDFs over the pool. Starting the workers (loader, fonts) is timed apart.
    t = performance.now();
    const workers = await pdfPoolUsesWorkers();
    const startMs = performance.now() - t;
    console.log(`pool start (${workers ? `${letterPdfThreads()} workers` : "IN-PROCESS FALLBACK"})${"".padEnd(workers ? 12 : 4)}${fmt(startMs)}`);
    let done = 0;
    t = performance.now();
    const pdfs = await renderLetterPdfs(contexts, { onProgress: (n) => (done = n) });
    const pdfMs = performance.now() - t;
    const pdfBytes = pdfs.reduce((sum, p) => sum + p.length, 0);
    row(`(b) PDFs, pool of ${letterPdfThreads()}`, done, pdfMs, `  avg ${(pdfBytes / pdfs.length / 1024).toFixed(0)} KiB/PDF`);
    // Once more, warm (each worker's first PDF pays for JIT and font parsing).
    t = performance.now();
    await renderLetterPdfs(contexts);
    row(`(b) PDFs, pool of ${letterPdfThreads()}, second batch`, contexts.length, performance.now() - t);

    // (c) One PDF on one core, in this process: median of a few after a warm-up.
    await renderLetterPdf(contexts[0]);
    const times: number[] = [];
    for (let i = 0; i < ONE_CORE_RUNS; i++) {
      t = performance.now();
      await renderLetterPdf(contexts[i]);
      times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y);
    row(`(c) one PDF, one core (median of ${ONE_CORE_RUNS})`, 1, times[Math.floor(times.length / 2)]);
  } finally {
    await closePdfPool();
    await db.destroy();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
