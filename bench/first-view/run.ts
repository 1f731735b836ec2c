// bench/first-view: the slowest first views (the sign-on form, the sign-in page, the
// outreach board, a country's recipients) in Chromium with its CPU slowed 4x, beside
// nginx serving the same HTML with no script at all (the floor for "readable"). Prints
// numbers; never passes or fails.
//
//   npx tsx bench/first-view/run.ts             (BENCH_RUNS=5 BENCH_THROTTLE=4)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_PATH } from "../../tests/setup/chromium";
import { addOpenStatement, DEMO_PASSWORD, freePort, startServer } from "../../tests/setup/server";
import { startNginx } from "../statement-page/nginx";
import { measureFirstView, type FirstView } from "./measure";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const THROTTLE = Number(process.env.BENCH_THROTTLE ?? 4);
const SLUG = "first-view-open";

const server = await startServer();
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-first-view-"));
try {
  await addOpenStatement(server.databasePath, SLUG, "Open for the bench");
  const login = await fetch(server.url + "/login", { method: "POST", redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url }, body: new URLSearchParams({ email: "coordinator@example.org", password: DEMO_PASSWORD }).toString() });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  const pages: { path: string; cookie?: string }[] = [
    { path: `/s/${SLUG}/sign` },
    { path: "/login" },
    { path: "/statements/oppose-sanctions-icc-2025/outreach", cookie },
    { path: "/countries/NO/recipients", cookie },
  ];

  // The floor: the sign-on form's HTML with its scripts removed, from nginx.
  const html = (await (await fetch(`${server.url}/s/${SLUG}/sign`)).text()).replace(/<script\b[\s\S]*?<\/script>/g, "").replace(/<link rel="modulepreload"[^>]*>/g, "");
  fs.mkdirSync(path.join(work, "root"), { recursive: true });
  fs.writeFileSync(path.join(work, "root", "sign.html"), html);
  fs.copyFileSync("public/styles.css", path.join(work, "root", "styles.css"));
  const nginx = await startNginx(path.join(work, "nginx"), path.join(work, "root"), await freePort());
  let floor: FirstView;
  try {
    const f = await measureFirstView(browser, nginx.url, "/sign.html", { runs: RUNS, throttle: THROTTLE, hydrate: false });
    floor = f;
  } finally {
    await nginx.stop();
  }

  console.log(`first views, Chromium CPU slowed ${THROTTLE}x, median of ${RUNS} (ms after the last byte of HTML)`);
  console.log(["page", "answer", "paint", "hydrated", "script KB"].map((h, i) => h.padEnd(i === 0 ? 52 : 12)).join(""));
  const print = (label: string, r: FirstView) =>
    console.log([label, r.answerMs.toFixed(1), r.paintAfterHtmlMs.toFixed(1), Number.isFinite(r.hydratedAfterHtmlMs) ? r.hydratedAfterHtmlMs.toFixed(1) : "—", (r.scriptBytes / 1024).toFixed(0)].map((c, i) => String(c).padEnd(i === 0 ? 52 : 12)).join(""));
  print("nginx: sign-on form HTML, no script (baseline)", floor);
  for (const p of pages) print(p.path, await measureFirstView(browser, server.url, p.path, { runs: RUNS, throttle: THROTTLE, cookie: p.cookie }));
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(work, { recursive: true, force: true });
}
