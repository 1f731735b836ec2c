// bench/statement-page: the public statement page of the production build against
// nginx serving the very same bytes, at 500 and 5,000 approved signatories; then
// whether an approval shows on the next request, and the sign-on POST rate with a
// count of the rows it wrote. Prints numbers; never passes or fails.
//
//   npx tsx bench/statement-page/run.ts            (see README.md)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort, startServer, type RunningServer } from "../../tests/setup/server";
import { createBenchDatabase } from "./fixtures";
import { startNginx } from "./nginx";
import { wrk, type WrkResult } from "./wrk";
import { checkApprovalVisible } from "./approval";
import { benchSignOn, type SignOnResult } from "./signon";

const SIZES = (process.env.BENCH_SIZES ?? "500,5000").split(",").map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : "n/a");
const row = (cells: (string | number)[]) => console.log(cells.map((c, i) => String(c).padEnd(i === 0 ? 8 : 14)).join(""));

async function measurePage(size: number, work: string) {
  const slug = slugOf(size);
  const dbPath = path.join(work, `app-${size}.sqlite`);
  await createBenchDatabase(dbPath, slug, size);
  const server = await startServer({ SIGNON_RATE_LIMIT_PER_IP: "1000000", SIGNON_RATE_LIMIT_PER_EMAIL: "1000000" }, dbPath);
  try {
    const pageUrl = `${server.url}/s/${slug}`;
    // Warm up: the first request renders and caches; the rest exercise the fast path.
    let bytes = Buffer.alloc(0);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(pageUrl, { headers: { "Accept-Encoding": "identity" } });
      bytes = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`GET ${pageUrl} answered ${res.status}`);
    }
    await wrk(pageUrl, { connections: CONNECTIONS, seconds: 2 });
    const app = await wrk(pageUrl, { connections: CONNECTIONS, seconds: SECONDS });

    // nginx: the same bytes, the same path, as a static file.
    const root = path.join(work, `nginx-root-${size}`);
    fs.mkdirSync(path.join(root, "s"), { recursive: true, mode: 0o755 });
    fs.writeFileSync(path.join(root, "s", slug), bytes, { mode: 0o644 });
    const nginx = await startNginx(path.join(work, `nginx-${size}`), root, await freePort());
    let web: WrkResult;
    try {
      const check = Buffer.from(await (await fetch(`${nginx.url}/s/${slug}`)).arrayBuffer());
      if (!check.equals(bytes)) throw new Error("nginx did not serve the app's bytes");
      await wrk(`${nginx.url}/s/${slug}`, { connections: CONNECTIONS, seconds: 2 });
      web = await wrk(`${nginx.url}/s/${slug}`, { connections: CONNECTIONS, seconds: SECONDS });
    } finally {
      await nginx.stop();
    }

    const approval = await checkApprovalVisible(server, slug);
    const signOn = await benchSignOn(server, slug, { connections: CONNECTIONS, seconds: SECONDS });
    return { size, pageBytes: bytes.length, app, web, approval, signOn };
  } finally {
    await server.stop();
  }
}

const slugOf = (size: number) => `bench-${size}`;

function printSignOn(r: SignOnResult, slug: string) {
  const statuses = (o: Record<string, number>) => Object.entries(o).map(([s, n]) => `${s}: ${n}`).join(", ") || "none";
  console.log(`\nsign-on POST /s/${slug}/sign (wrk, ${CONNECTIONS} connections, ${SECONDS} s, a new organisation and client address per request)`);
  row(["", "requests/s", "p50", "p99", "statuses"]);
  row(["app", r.requestsPerSecond.toFixed(0), ms(r.p50Ms), ms(r.p99Ms), statuses(r.statuses)]);
  const inFlight = r.sent - Object.values(r.statuses).reduce((a, b) => a + b, 0);
  console.log(`rows: ${r.rows} for ${r.answeredOk} answers 2xx/3xx (+ ${inFlight} requests in flight when wrk stopped); emails with more than one row: ${r.duplicateEmails}`);
  const e = r.exact;
  console.log(`exact check, ${e.requests} requests from Node (${statuses(e.statuses)}): answered 2xx/3xx without a row (lost): ${e.okWithoutRow}; with several rows (duplicated): ${e.okWithSeveralRows}; refused yet written: ${e.refusedWithRow}`);
}

async function main() {
  if (!fs.existsSync(path.resolve("build/index.js"))) {
    console.log("No build/ found: running npm run build first.");
    execFileSync("npm", ["run", "build"], { stdio: "inherit" });
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "demarche-bench-"));
  fs.chmodSync(work, 0o755); // nginx workers run as nobody and must read the file
  console.log(`wrk: ${CONNECTIONS} connections, 2 threads, ${SECONDS} s per measurement, 127.0.0.1; ${os.cpus().length} CPUs; work dir ${work}`);
  const results = [];
  for (const size of SIZES) {
    console.log(`\n== ${size} approved signatories ==`);
    const r = await measurePage(size, work);
    results.push(r);
    console.log(`page: ${r.pageBytes} bytes`);
    row(["", "requests/s", "p50", "p99", "non-2xx/3xx"]);
    row(["app", r.app.requestsPerSecond.toFixed(0), ms(r.app.p50Ms), ms(r.app.p99Ms), r.app.non2xx3xx + r.app.socketErrors]);
    row(["nginx", r.web.requestsPerSecond.toFixed(0), ms(r.web.p50Ms), ms(r.web.p99Ms), r.web.non2xx3xx + r.web.socketErrors]);
    console.log(`ratio app/nginx: ${(r.app.requestsPerSecond / r.web.requestsPerSecond).toFixed(3)}`);
    const a = r.approval;
    console.log(`approval visible on the next request: ${a.visible ? "yes" : "NO"} (${a.detail}; next request ${ms(a.nextRequestMs)}, the one after ${ms(a.cachedRequestMs)})`);
    if (r.signOn) printSignOn(r.signOn, slugOf(size));
  }
  console.log("\n== summary ==");
  row(["size", "app req/s", "app p50", "app p99", "nginx req/s", "nginx p50", "nginx p99", "ratio"].map((s) => s.padEnd(10)) as string[]);
  for (const r of results) {
    row([r.size, r.app.requestsPerSecond.toFixed(0), ms(r.app.p50Ms), ms(r.app.p99Ms), r.web.requestsPerSecond.toFixed(0), ms(r.web.p50Ms), ms(r.web.p99Ms), (r.app.requestsPerSecond / r.web.requestsPerSecond).toFixed(3)]);
  }
  fs.rmSync(work, { recursive: true, force: true });
}

await main();
