// `npm start` runs this first: it builds the app (remix build) when build/ is missing or
// older than the sources, and says what it is doing, since the first build takes a while
// on a small machine. An up-to-date build is reused, so later starts are quick.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "public", "remix.config.js", "package-lock.json", "tsconfig.json"];
const OUTPUT = "build/index.js";

function newest(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  // Not build/ itself, nor the compressed copies the build writes beside public files.
  return fs.readdirSync(p).reduce((max, name) => (name === "build" || /\.(br|gz)$/.test(name) ? max : Math.max(max, newest(path.join(p, name)))), stat.mtimeMs);
}

const built = fs.existsSync(OUTPUT) ? fs.statSync(OUTPUT).mtimeMs : 0;
const changed = Math.max(...SOURCES.map(newest));
if (built && built >= changed && !process.argv.includes("--force")) {
  console.log("[1/3] build: up to date (build/), reused");
} else {
  console.log(`[1/3] build: ${built ? "sources changed, rebuilding" : "first start, building the app"} (remix build; about a minute on a small machine)…`);
  const started = Date.now();
  const run = spawnSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
  const compress = spawnSync(process.execPath, ["scripts/compress-assets.mjs"], { stdio: "inherit" });
  if (compress.status !== 0) process.exit(compress.status ?? 1);
  console.log(`[1/3] build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
