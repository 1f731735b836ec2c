// Postfix's smtp-sink (Debian package postfix) as our child process on a loopback port:
// it answers every command at once and keeps no queue, so it measures the client, not
// the server. Each accepted message is dumped to its own file (-d) under a directory on
// tmpfs, so what arrived can be counted afterwards: one file per transaction that got
// its "250" (smtp-sink writes the file before it answers the final dot, and deletes it
// when a transaction is aborted).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const CLOCK_TICKS = 100; // sysconf(_SC_CLK_TCK) on Linux
const CANDIDATES = ["/usr/sbin/smtp-sink", "/usr/lib/postfix/sbin/smtp-sink", "/usr/lib/postfix/smtp-sink", "/usr/libexec/postfix/smtp-sink"];

const findSink = () => CANDIDATES.find((p) => fs.existsSync(p)) ?? null;

/**
 * The smtp-sink binary; installs Debian's postfix when it is missing, non-interactively
 * (debconf preseeded: "No configuration", so no service is set up or started).
 */
export function ensureSmtpSink(log: (line: string) => void): string {
  const found = findSink();
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error("smtp-sink is missing: install it with `apt-get install -y postfix` (as root), then run again.");
  log("smtp-sink not found: installing postfix (non-interactive) ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const sh = (script: string) => execFileSync("sh", ["-c", script], { env, stdio: ["ignore", "ignore", "inherit"] });
  sh('echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections');
  sh('echo "postfix postfix/mailname string localhost" | debconf-set-selections');
  // A half-configured dpkg (an earlier prompting install) blocks every apt-get.
  if (execFileSync("dpkg", ["--audit"], { env }).toString().trim()) sh("dpkg --configure -a");
  sh("apt-get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold postfix");
  const installed = findSink();
  if (!installed) throw new Error(`postfix installed but no smtp-sink at ${CANDIDATES.join(", ")}`);
  return installed;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export interface RunningSink {
  url: string;
  /** A fresh dump directory for the next phase; returns its path. */
  phase(name: string): string;
  /** CPU time the sink has used so far (user + system), from /proc; 0 where there is no /proc. */
  cpuMs(): number;
  stop(): Promise<void>;
}

export interface Received {
  /** Messages the sink accepted (files it wrote). */
  received: number;
  /** Distinct Message-IDs among them. */
  unique: number;
  /** Message-IDs received more than once (each counted once). */
  duplicates: number;
  /** Expected Message-IDs that never arrived. */
  lost: number;
  /** Files with no Message-ID, or one we did not send. */
  unexpected: number;
}

const HEADER_BYTES = 16 * 1024;

/** Reads the dump files of one phase: counts them and their Message-IDs against the ones sent. */
export function countReceived(dir: string, expected: Iterable<string>): Received {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  let received = 0;
  let unexpected = 0;
  const buf = Buffer.alloc(HEADER_BYTES);
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) { walk(p); continue; }
      received++;
      const fd = fs.openSync(p, "r");
      const n = fs.readSync(fd, buf, 0, HEADER_BYTES, 0);
      fs.closeSync(fd);
      // The header ends at the first empty line after smtp-sink's own records; nodemailer
      // writes Message-ID unfolded.
      const head = buf.subarray(0, n).toString("latin1");
      const m = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(head);
      if (!m || !want.has(m[1])) { unexpected++; continue; }
      seen.set(m[1], (seen.get(m[1]) ?? 0) + 1);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  let duplicates = 0;
  for (const n of seen.values()) if (n > 1) duplicates++;
  return { received, unique: seen.size, duplicates, lost: [...want].filter((id) => !seen.has(id)).length, unexpected };
}

/**
 * Starts smtp-sink on 127.0.0.1:port. Dumps go to `<dumpRoot>/current/`, a symlink
 * switched per phase (smtp-sink takes one template for its lifetime).
 */
export async function startSmtpSink(binary: string, dumpRoot: string, port: number): Promise<RunningSink> {
  fs.mkdirSync(dumpRoot, { recursive: true });
  const current = path.join(dumpRoot, "current");
  const asRoot = process.getuid?.() === 0;
  // As root smtp-sink insists on dropping privileges (-u): the dump directories must be
  // writable by that user.
  const user = "nobody";
  fs.chmodSync(dumpRoot, 0o777);
  const args = [
    "-4", // IPv4 only (we listen on 127.0.0.1)
    "-m", "1000", // connections handled at once (default 256; we open far fewer)
    "-t", "30", // command/response time limit, seconds
    "-d", `${current}/m.`, // one file per accepted message: <dir>/m.<random hex>
    ...(asRoot ? ["-u", user] : []),
    `127.0.0.1:${port}`,
    "1024", // listen backlog
  ];
  let stderr = "";
  const child: ChildProcess = spawn(binary, args, { stdio: ["ignore", "ignore", "pipe"] });
  child.stderr!.on("data", (d) => (stderr += d.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));

  // Wait until it accepts a connection and greets.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`smtp-sink exited at start: ${stderr.trim()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1");
      s.once("data", (d) => { s.destroy(); resolve(d.toString().startsWith("220")); });
      s.once("error", () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`smtp-sink did not answer on port ${port}: ${stderr.trim()}`);
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    phase(name: string) {
      const dir = path.join(dumpRoot, name);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { mode: 0o777 });
      fs.chmodSync(dir, 0o777);
      fs.rmSync(current, { force: true });
      fs.symlinkSync(dir, current);
      return dir;
    },
    cpuMs() {
      try {
        // /proc/<pid>/stat: fields 14 and 15 (utime, stime) in clock ticks, after "(comm)".
        const stat = fs.readFileSync(`/proc/${child.pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
      } catch {
        return 0;
      }
    },
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      await gone;
      clearTimeout(timer);
    },
  };
}
