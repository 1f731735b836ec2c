// The demo Norway letter as a PDF, read back with poppler (pdftotext, pdffonts): what
// a reader and a printer see, not what we think we wrote. Skips with a message when
// poppler-utils is not installed (Debian: apt-get install -y poppler-utils).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { norwayLetterRequest } from "../setup/norway-letter";
import demoStatement from "../../db/seed/demo-statement.json";
import type { DB } from "../../app/platform/db.server";
import { buildLetterContext, type LetterRequest } from "../../app/models/letter-context.server";
import { type LetterContext } from "../../app/platform/letter-document.server";
import { renderLetterPdf } from "../../app/platform/letter-pdf.server";
import { closePdfPool, pdfPoolUsesWorkers, renderLetterPdfs } from "../../app/platform/letter-pdf-pool.server";
import { migratedDb } from "../setup/db";
import { hasTools } from "../setup/poppler";

const hasPoppler = hasTools("pdftotext", "pdffonts");
if (!hasPoppler) console.warn("letter-pdf.test: SKIPPED, pdftotext/pdffonts not found (apt-get install -y poppler-utils)");

// Letters of other languages' senders: every character must come out as itself.
const SAMPLES = "Polski: Zażółć gęślą jaźń, Łódź, Świętokrzyskie, Ćma, Ńę. Español: Señoría, niño, acción. Français: ça, élève, où. Dansk: Ærø, Øresund, Århus.";

let db: DB;
let request: LetterRequest;
let context: LetterContext;
let dir: string;

beforeAll(async () => {
  db = await migratedDb();
  request = await norwayLetterRequest(db, { ownParagraph: SAMPLES });
  context = await buildLetterContext(db, request);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "letter-pdf-"));
});

afterAll(async () => {
  await closePdfPool();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function save(pdf: Buffer, name: string) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, pdf);
  return file;
}
const text = (file: string, ...pages: string[]) => execFileSync("pdftotext", ["-enc", "UTF-8", ...pages, file, "-"], { encoding: "utf8" });
const pageCount = (file: string) => Number(/^Pages:\s+(\d+)/m.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))![1]);
// pdftotext wraps lines as laid out: compare with whitespace collapsed.
const flat = (s: string) => s.replace(/\s+/g, " ");

describe.skipIf(!hasPoppler)("the demo Norway letter as a PDF", () => {
  it("says what the letter says, in characters from five languages", async () => {
    const pdf = await renderLetterPdf(context);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const all = flat(text(save(pdf, "norway.pdf")));
    for (const expected of [
      "Norwegian Helsinki Committee",
      "Espen Barth Eide",
      "Foreign Minister of Norway",
      "Oslo, 14 January 2025",
      "Herborg Fiskaa Alvsåker",
      "Re: Civil society urges States to oppose ICC sanctions",
      "Foreign Minister Espen Barth Eide,",
      "124 other ICC states parties",
      "Berit Lindeman",
      "Gunnar M. Ekeløve-Slydal",
      "Deputy Secretary-General",
      demoStatement.title,
      "Nürnberger Menschenrechtszentrum",
      "Asia Justice Coalition (AJC)*",
      "Signatories (129)",
      flat(SAMPLES),
    ]) {
      expect(all, expected).toContain(expected);
    }
  });

  it("has page numbers, and the appendix starts on a page of its own", async () => {
    const file = save(await renderLetterPdf(context), "pages.pdf");
    const pages = pageCount(file);
    expect(pages).toBeGreaterThanOrEqual(2);
    const perPage = Array.from({ length: pages }, (_, i) => text(file, "-f", String(i + 1), "-l", String(i + 1)));
    perPage.forEach((page, i) => expect(page).toMatch(new RegExp(`^\\s*${i + 1} ?/ ?${pages}\\s*$`, "m")));
    const first = perPage.findIndex((p) => p.includes("APPENDIX: THE JOINT STATEMENT"));
    expect(first).toBeGreaterThan(0);
    // The appendix page starts with its heading; the letter ended on an earlier page.
    expect(perPage[first].trimStart().startsWith("APPENDIX: THE JOINT STATEMENT")).toBe(true);
    expect(flat(perPage[first])).toContain(demoStatement.title);
    expect(perPage.slice(0, first).join("")).toContain("Ekeløve-Slydal");
    expect(perPage.slice(0, first).join("")).not.toContain("Nürnberger");
  });

  it("embeds DejaVu Sans, regular and bold, and sets Title and Author", async () => {
    const file = save(await renderLetterPdf(context), "fonts.pdf");
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
    expect(fonts.some((f) => /DejaVuSans\b/.test(f) && !/Bold/.test(f))).toBe(true);
    expect(fonts.some((f) => /DejaVuSans-Bold/.test(f))).toBe(true);
    for (const f of fonts) expect(f, f).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/); // emb, sub
    expect(fonts.join("\n")).not.toMatch(/Helvetica/);
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    expect(info).toMatch(/^Title:\s+Civil society urges States to oppose ICC sanctions$/m);
    expect(info).toMatch(/^Author:\s+Norwegian Helsinki Committee$/m);
  });

  it("prints hostile names as literal text on one line", async () => {
    const evil = "Evil <script>alert(1)</script> & <b>x</b>\r\nBcc: spy@example.org";
    const hostile: LetterContext = {
      ...context,
      sender: { ...context.sender, name: evil },
      addressees: [{ ...context.addressees[0], name: evil }],
      statement: { ...context.statement, signatories: [{ name: evil, footnoteMark: null }, ...context.statement.signatories] },
    };
    const out = text(save(await renderLetterPdf(hostile), "hostile.pdf"));
    const literal = "Evil <script>alert(1)</script> & <b>x</b> Bcc: spy@example.org";
    // Letterhead, address block, sign-off and signatory list, nothing interpreted; the
    // line break is gone (the layout may still wrap a long name, but never before "Bcc:").
    expect(flat(out).split(literal).length - 1).toBeGreaterThanOrEqual(4);
    expect(out).not.toMatch(/^Bcc:/m);
  });
});

describe.skipIf(!hasPoppler)("the worker pool", () => {
  it("renders four letters on worker threads, in order, with progress", async () => {
    const contexts = [context, { ...context, place: "Bergen" }, { ...context, place: "Tromsø" }, { ...context, place: "Trondheim" }];
    const progress: number[] = [];
    const pdfs = await renderLetterPdfs(contexts, { onProgress: (done, total) => progress.push(done * 10 + total) });
    expect(await pdfPoolUsesWorkers()).toBe(true); // not the in-process fallback
    expect(pdfs).toHaveLength(4);
    expect(progress).toEqual([14, 24, 34, 44]);
    // structured clone round trip: the context is plain data
    expect(structuredClone(context)).toEqual(context);
    ["Oslo", "Bergen", "Tromsø", "Trondheim"].forEach((place, i) => {
      expect(Buffer.isBuffer(pdfs[i])).toBe(true);
      expect(text(save(pdfs[i], `pool-${i}.pdf`), "-f", "1", "-l", "1")).toContain(`${place}, 14 January 2025`);
    });
  });

  it("renders in this process when asked (the fallback path)", async () => {
    const [pdf] = await renderLetterPdfs([{ ...context, place: "Stavanger" }], { inProcess: true });
    expect(text(save(pdf, "in-process.pdf"), "-f", "1", "-l", "1")).toContain("Stavanger, 14 January 2025");
  });
});
