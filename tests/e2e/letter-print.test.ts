// The browser's own print of a letter matches the PDF we make: A4, the letter first,
// the appendix from a new page. Chromium prints the preview; poppler reads it back.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, signInAsDemoCoordinator } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";
import { hasTools } from "../setup/poppler";

const hasPoppler = hasTools("pdftotext");

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it.skipIf(!hasPoppler)("prints the demo letter on A4 with the appendix on a new page (needs poppler-utils)", async () => {
  const page = await browser.newPage();
  await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
  await page.goto(server.url + "/letters/1/preview");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "print-")), "letter.pdf");
  await page.pdf({ path: file, preferCSSPageSize: true });

  const info = execFileSync("pdfinfo", [file]).toString();
  expect(info).toMatch(/Page size:.*\(A4\)/);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
  expect(pages).toBeGreaterThanOrEqual(2);
  const text = (n: number) => execFileSync("pdftotext", ["-f", String(n), "-l", String(n), file, "-"]).toString().replace(/\s+/g, " ");
  const appendixPage = Array.from({ length: pages }, (_, i) => i + 1).find((n) => text(n).includes("Appendix: the joint statement"))!;
  expect(appendixPage).toBeGreaterThan(1);
  expect(text(appendixPage)).not.toContain("Yours sincerely");
  expect(text(appendixPage - 1)).toContain("Secretary-General");
  expect(text(1)).toContain("124 other ICC states parties");
}, 60_000);
