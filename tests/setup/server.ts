// Starts the production server (server.ts over the Remix build) as a child process on
// a free loopback port with its own database file, as `npm start` would.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface RunningServer {
  url: string;
  databasePath: string;
  output: () => string;
  stop: () => Promise<void>;
  /** SIGKILL: the process dies at once, mid-write if it is writing. */
  kill: () => Promise<void>;
}

export const DEMO_PASSWORD = "demo-password-for-tests";
export const DEMO_API_TOKEN = "demo_api_token_for_tests_0123456789";

/** A free TCP port on 127.0.0.1 (for servers the tests and benches start). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startServer(env: Record<string, string> = {}, databasePath?: string): Promise<RunningServer> {
  if (!fs.existsSync(path.resolve("build/index.js"))) throw new Error("No server build: run `npm run build` first (npm test does).");
  const port = await freePort();
  const dbPath = databasePath ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "demarche-server-")), "app.sqlite");
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: dbPath,
      DEMO_PASSWORD,
      DEMO_API_TOKEN,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
    const check = () => {
      if (/listening on/.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    databasePath: dbPath,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
    kill: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}

/**
 * An open statement (no deadline, no signatories) written straight into a running
 * server's database file: WAL lets the two processes share it.
 */
export async function addOpenStatement(databasePath: string, slug: string, title = "Open for signatures"): Promise<number> {
  const { openDatabase } = await import("../../db/connection");
  const db = openDatabase(databasePath);
  try {
    const row = await db.insertInto("statements").values({ slug, title, statement_date: "2025-01-14", status: "open", body_markdown: "Body." }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  } finally {
    await db.destroy();
  }
}
