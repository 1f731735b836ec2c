// Production server: checks the environment, migrates and seeds the database, then
// serves the Remix build. Bound to 127.0.0.1 unless HOST says otherwise.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import expressStaticGzip from "express-static-gzip";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import { EnvError, loadEnv } from "./app/platform/env.server";
import { getDb } from "./app/platform/db.server";
import { crossOriginRejection } from "./app/web/csrf.server";
import { BASELINE_POLICY, SECURITY_HEADERS } from "./app/platform/http-headers.server";
import { createRedirectFastPath } from "./app/web/redirect-fast-path.server";
import { REPLAY_HEADER } from "./app/web/action-replay.server";
import { migrateToLatest } from "./db/connection";
import { describeSeedOutcome, seedIfEmpty } from "./app/workflows/seed/index.server";
import { loadEmailTemplates } from "./app/platform/templates.server";
import { closeTransport } from "./app/platform/mail-transport.server";
import { watchDeadlines } from "./app/jobs/deadlines.server";
import { watchMailbox } from "./app/jobs/mailbox-reader.server";
import { watchOtherWriters } from "./app/jobs/other-writers.server";
import { startPdfWorkerLoop } from "./app/jobs/letter-pdfs.server";
import { closePdfPool } from "./app/platform/letter-pdf-pool.server";
import { serveCachedStatementPage } from "./app/workflows/statement-page.server";
import { startDispatchWorker } from "./app/jobs/dispatch-worker.server";
import { getWorldMapGeometry } from "./app/web/world-map-geometry.server";

let env;
try {
  env = loadEnv();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}

// A broken email template stops the app now, not when the first invitation is sent.
loadEmailTemplates();
const db = getDb();
// Progress for the first start, which builds (scripts/build-if-stale.mjs), migrates and loads the demo.
const step = (n: number, what: string) => console.log(`[${n}/3] ${what}`);
let started = Date.now();
step(2, `database: migrating ${env.DATABASE_PATH}`);
await migrateToLatest(db, (line) => console.log(`migrate ${line}`));
step(2, `database: ready in ${Date.now() - started} ms`);
started = Date.now();
step(3, "demo: loading the demo campaign if the database is empty…");
const seeded = await seedIfEmpty(db, env);
step(3, seeded.seeded ? `demo: loaded in ${((Date.now() - started) / 1000).toFixed(1)} s` : "demo: the database has data, nothing loaded");
if (seeded.seeded) console.log(describeSeedOutcome(seeded));
// Open statements close themselves when their signing deadline passes.
const stopDeadlines = watchDeadlines(db);
// Statements changed by another process on the same file show here within a quarter second.
const stopOtherWriters = watchOtherWriters(db);
// What comes back (bounces, reports, replies) is read from IMAP_URL's mailbox, when set.
const stopMailbox = env.imap ? watchMailbox(db, env.imap, { intervalMs: env.IMAP_POLL_SECONDS * 1000 }) : () => {};
// Letter PDFs are rendered here, on worker threads, never inside a request.
const stopPdfLoop = startPdfWorkerLoop(db);
// Queued messages (letters to ministries) go out from here, at SEND_RATE_PER_MINUTE. At
// start it queues again what a crash interrupted before the mail server saw it, and
// marks "uncertain" what the server may have received.
const dispatchWorker = startDispatchWorker(db);

// The outreach map's geometry takes a few hundred ms to build: do it now, not on the
// first person's board.
getWorldMapGeometry();

const buildPath = path.resolve("build/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", "loopback");
app.use(compression());
app.use((_req, res, next) => {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (name !== "Content-Security-Policy") res.setHeader(name, value);
  // Pages get theirs from app/entry.server.tsx, some routes their own; whatever still has
  // none when the headers go out (files, data, redirects) gets the one that allows nothing.
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    if (!res.hasHeader("Content-Security-Policy")) res.setHeader("Content-Security-Policy", BASELINE_POLICY);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
});
// Scripts and styles go out as compressed at build time (scripts/compress-assets.mjs);
// compression() above leaves an answer that already has a Content-Encoding alone.
app.use("/build", expressStaticGzip("public/build", { enableBrotli: true, orderPreference: ["br", "gz"], serveStatic: { immutable: true, maxAge: "1y" } }));
app.use(expressStaticGzip("public", { enableBrotli: true, orderPreference: ["br", "gz"], index: false, serveStatic: { maxAge: "1h" } }));
app.use((req, res, next) => {
  // The app reads the client address from this header only; drop any the client sent,
  // and the fast path's replay header, which only the server may set.
  req.headers["x-demarche-client-ip"] = req.ip ?? "";
  delete req.headers[REPLAY_HEADER];
  const rejection = crossOriginRejection({
    method: req.method,
    host: req.headers.host,
    origin: req.headers.origin,
    referer: req.headers.referer,
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
    baseUrl: env.baseUrl,
  });
  if (rejection) {
    res.status(403).type("text/plain").send(rejection);
    return;
  }
  next();
});
app.all("*", createRequestHandler({ build, mode: env.NODE_ENV }));

// Public statement pages: a current cached page is written before express, Remix or
// the database see the request; a miss goes on to app/routes/s.$slug._index.tsx.
// Sign-on posts that succeed are answered straight from the route's action (see
// app/web/redirect-fast-path.server.ts); everything else goes through express.
const fastPost = createRedirectFastPath(build, env.NODE_ENV, env.baseUrl, [
  { routeId: "routes/s.$slug.sign", pattern: /^\/s\/(?<slug>[a-z0-9][a-z0-9-]{0,79})\/sign$/ },
]);
const server = http.createServer((req, res) => {
  if (!serveCachedStatementPage(req, res) && !fastPost(req, res)) app(req, res);
});
server.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  console.log(`Demarche listening on http://${env.HOST}:${port} (mail: ${env.mailMode === "sandbox" ? "sandbox, nothing is sent out" : "SMTP"}${env.imap ? `; reading ${env.imap.label} every ${env.IMAP_POLL_SECONDS} s` : ""})`);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopDeadlines();
    stopMailbox();
    stopOtherWriters();
    // Messages with the mail server get their outcome stored before the pool closes.
    const mailDone = dispatchWorker.stop().finally(closeTransport).catch(() => undefined);
    const pdfsDone = stopPdfLoop().then(closePdfPool).catch(() => undefined);
    server.close(() => void Promise.all([pdfsDone, mailDone]).then(() => db.destroy()).finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
