// A real IMAP server for tests: Debian's Dovecot (apt-get install dovecot-imapd), one
// throwaway instance per startImapServer() call. Everything an instance uses lives in a
// fresh temp dir: its config, base_dir (sockets), state_dir, log, maildir and passwd-file,
// and it listens on its own free port on 127.0.0.1, so instances in parallel vitest files
// share nothing.
//
// Without Dovecot the IMAP tests skip with one line saying how to get it, unless CI is
// set: CI must run them, so there a missing Dovecot fails the test (as tests/setup/browser.ts
// does for Chromium).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ImapFlow } from "imapflow";
import { describe, it } from "vitest";
import { freePort } from "./server";

export interface ImapServer {
  host: "127.0.0.1";
  port: number;
  user: string;
  password: string;
  /** imap://user:password@127.0.0.1:port/INBOX, user and password URL-encoded. */
  url: string;
  /** Stores `raw` in `mailbox` (INBOX unless told; created if missing) by IMAP APPEND; resolves to its UID. */
  append(raw: string | Buffer, mailbox?: string): Promise<number>;
  /** Stores many messages over one connection (a mail bomb in seconds); resolves to their UIDs. */
  appendMany(raws: (string | Buffer)[], mailbox?: string): Promise<number[]>;
  /** Dovecot's log so far. */
  log(): string;
  /** Kills Dovecot and its children and removes the temp dir. */
  stop(): Promise<void>;
}

export const IMAP_SKIP_NOTICE = "IMAP tests skipped: Dovecot not found (apt-get install dovecot-imapd)";

const dovecotPath = () => process.env.DOVECOT_PATH || "/usr/sbin/dovecot";
const isCi = (value = process.env.CI) => !!value && !["0", "false", "no"].includes(value.toLowerCase());

/** Whether Dovecot can be started here (DOVECOT_PATH overrides /usr/sbin/dovecot). */
export function imapAvailable(): { ok: true } | { ok: false; why: string } {
  const file = dovecotPath();
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile() ? { ok: true } : { ok: false, why: `${file} is not a file` };
  } catch {
    return { ok: false, why: `Dovecot not found at ${file}` };
  }
}

const missingMessage = (why: string) => `${why}: apt-get install dovecot-imapd (or set DOVECOT_PATH). CI=true requires the IMAP tests.`;

let noticeShown = false;

/**
 * `describe` for tests that need Dovecot. Without it they skip, with one line saying so,
 * unless CI=true: then they run, and startImapServer() fails, since CI requires them.
 */
export function describeWithImap(name: string, fn: () => void): void {
  const available = imapAvailable();
  if (available.ok) {
    describe(name, fn);
    return;
  }
  if (isCi()) {
    // One failed test that says why; the suite's own tests are not run (their
    // beforeAll would fail too, and vitest counts those tests as skipped, not failed).
    describe(name, () => {
      it("has Dovecot (CI=true requires the IMAP tests)", () => {
        throw new Error(missingMessage(available.why));
      });
      describe.skip("needs Dovecot", fn);
    });
    return;
  }
  if (!noticeShown) console.warn(IMAP_SKIP_NOTICE);
  noticeShown = true;
  describe.skip(name, fn);
}

interface Ids {
  internalUser: string;
  /** The group of the internal sockets (stats-writer, dict...). */
  internalGroup: string;
  loginUser: string;
  /** The mail user's, who owns the maildir. */
  uid: number;
  gid: number;
}

/** The uid and gid of `name` in /etc/passwd, or null. */
function systemUser(name: string): { uid: number; gid: number } | null {
  let passwd = "";
  try {
    passwd = fs.readFileSync("/etc/passwd", "utf8");
  } catch {
    return null;
  }
  for (const line of passwd.split("\n")) {
    const [user, , uid, gid] = line.split(":");
    if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
  }
  return null;
}

/** The name of group `gid` in /etc/group, or null. */
function groupName(gid: number): string | null {
  try {
    for (const line of fs.readFileSync("/etc/group", "utf8").split("\n")) {
      const [name, , id] = line.split(":");
      if (name && Number(id) === gid) return name;
    }
  } catch {
    // no /etc/group
  }
  return null;
}

/**
 * Whom Dovecot's processes run as. As root: the package's unprivileged users, `dovecot`
 * for the internal services and as the mail user (so it owns the maildir), `dovenull` for
 * the login processes that talk to the network. Otherwise: the current user for all.
 */
function processIds(): Ids {
  if (process.getuid?.() !== 0) {
    const me = os.userInfo();
    const group = groupName(me.gid);
    if (!group) throw new Error(`the current group (gid ${me.gid}) has no name in /etc/group, which Dovecot needs as default_internal_group`);
    return { internalUser: me.username, internalGroup: group, loginUser: me.username, uid: me.uid, gid: me.gid };
  }
  const dovecot = systemUser("dovecot");
  if (!dovecot || !systemUser("dovenull")) throw new Error("Dovecot's system users dovecot and dovenull are missing: apt-get install --reinstall dovecot-core");
  return { internalUser: "dovecot", internalGroup: groupName(dovecot.gid) ?? "dovecot", loginUser: "dovenull", ...dovecot };
}

/** Dovecot's [major, minor], from `dovecot --version` ("2.3.19.1 (9b53102964)"). */
function dovecotVersion(file: string): [number, number] {
  const out = execFileSync(file, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const m = /^(\d+)\.(\d+)/.exec(out.trim());
  if (!m) throw new Error(`cannot read Dovecot's version from \`${file} --version\`: ${out.trim()}`);
  return [Number(m[1]), Number(m[2])];
}

const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The whole config: nothing from /etc/dovecot. 2.3 (Debian 12) and 2.4 spell the
 * settings differently (disable_plaintext_auth became auth_allow_cleartext, passdb and
 * userdb args became named settings, mail_location became mail_driver + mail_path).
 */
function config(dir: string, port: number, ids: Ids, version: [number, number]): string {
  const file = (name: string) => quote(path.join(dir, name));
  // passdb/userdb args are split on spaces and taken as they are: no quotes there.
  const bare = (name: string) => path.join(dir, name);
  const v24 = version[0] > 2 || (version[0] === 2 && version[1] >= 4);
  const root = process.getuid?.() === 0;
  const lines = [
    "# Throwaway Dovecot for tests (tests/setup/imap.ts): IMAP on 127.0.0.1 only, no TLS.",
    ...(v24 ? ["dovecot_config_version = 2.4.0", "dovecot_storage_version = 2.4.0"] : []),
    "protocols = imap",
    "listen = 127.0.0.1",
    `base_dir = ${file("run")}`,
    `state_dir = ${file("state")}`,
    `instance_name = ${quote("demarche-test-" + path.basename(dir))}`,
    `log_path = ${file("dovecot.log")}`,
    `info_log_path = ${file("dovecot.log")}`,
    `debug_log_path = ${file("dovecot.log")}`,
    "",
    "ssl = no",
    v24 ? "auth_allow_cleartext = yes" : "disable_plaintext_auth = no",
    "auth_mechanisms = plain login",
    // Refused logins are answered at once: see the static passdb below (2.3), and this.
    "auth_failure_delay = 0",
    "auth_verbose = yes",
    "",
    `default_internal_user = ${ids.internalUser}`,
    `default_internal_group = ${ids.internalGroup}`,
    `default_login_user = ${ids.loginUser}`,
    `first_valid_uid = ${ids.uid}`,
    `last_valid_uid = ${ids.uid}`,
    `first_valid_gid = ${ids.gid}`,
    `last_valid_gid = ${ids.gid}`,
    "",
    ...(v24 ? ["mail_driver = maildir", "mail_path = ~/Maildir"] : ["mail_location = maildir:~/Maildir"]),
    "mail_fsync = never",
    "",
    ...(v24
      ? [
          "passdb passwd-file {",
          `  passwd_file_path = ${file("passwd")}`,
          "  passdb_default_password_scheme = PLAIN",
          "}",
          "userdb passwd-file {",
          `  passwd_file_path = ${file("passwd")}`,
          "}",
        ]
      : [
          // Authenticates no one (noauthenticate): it only sets nodelay, which the
          // passwd-file below keeps when it refuses a password. Without it a refused
          // login is answered after up to 0.5 s (Dovecot's delay queue), and anvil's
          // auth penalty then holds back the next login from 127.0.0.1 (the right
          // password too) by 4 s; login_trusted_networks no longer exempts it in 2.3.
          "passdb {",
          "  driver = static",
          "  args = noauthenticate nodelay",
          "}",
          "passdb {",
          "  driver = passwd-file",
          `  args = scheme=PLAIN username_format=%u ${bare("passwd")}`,
          "}",
          "userdb {",
          "  driver = passwd-file",
          `  args = username_format=%u ${bare("passwd")}`,
          "}",
        ]),
    "",
    "service imap-login {",
    "  inet_listener imap {",
    `    ${v24 ? "listen" : "address"} = 127.0.0.1`,
    `    port = ${port}`,
    "  }",
    "  inet_listener imaps {",
    "    port = 0",
    "  }",
    // chroot needs root; without it the login processes run unchrooted as the current user.
    ...(root ? [] : ["  chroot ="]),
    "}",
    ...(root ? [] : ["service anvil {", "  chroot =", "}", "service imap-urlauth-login {", "  chroot =", "}"]),
    "",
  ];
  return lines.join("\n");
}

/** Live instances, killed if the test process exits without stopping them. */
const live = new Map<ChildProcess, string>();
process.once("exit", () => {
  for (const [child, dir] of live) {
    killGroup(child, "SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** Resolves once 127.0.0.1:port sends an IMAP greeting ("* OK ..."); rejects if `gaveUp()` says so. */
async function waitForGreeting(port: number, deadline: number, gaveUp: () => string | null): Promise<void> {
  for (;;) {
    const reason = gaveUp();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) throw new Error("no IMAP greeting within 15 s");
    const greeting = await new Promise<string | null>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port });
      let data = "";
      const done = (value: string | null) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(2000, () => done(null));
      socket.on("data", (chunk) => {
        data += chunk;
        if (data.includes("\n")) done(data);
      });
      socket.on("error", () => done(null));
      socket.on("close", () => done(data || null));
    });
    if (greeting?.startsWith("* OK")) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Starts a throwaway Dovecot on a free port of 127.0.0.1 with one user and an empty
 * INBOX. Resolves once the port answers with an IMAP greeting; throws with the tail of
 * Dovecot's log when it does not come up.
 */
export async function startImapServer(): Promise<ImapServer> {
  const available = imapAvailable();
  if (!available.ok) throw new Error(missingMessage(available.why));
  const binary = dovecotPath();
  const version = dovecotVersion(binary);
  const ids = processIds();

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demarche-imap-"));
  const user = "tester@example.org";
  const password = `pw+${crypto.randomBytes(9).toString("base64url")}/!`;
  try {
    if (/\s/.test(dir)) throw new Error(`the temp dir ${dir} has a space in its path, which Dovecot's passdb args cannot take: set TMPDIR`);
    // Dovecot's unprivileged processes must reach base_dir and the maildir inside it.
    fs.chmodSync(dir, 0o711);
    const home = path.join(dir, "mail", "tester");
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    fs.chownSync(home, ids.uid, ids.gid);
    fs.chmodSync(path.join(dir, "mail"), 0o711);
    const passwdFile = path.join(dir, "passwd");
    fs.writeFileSync(passwdFile, `${user}:{PLAIN}${password}:${ids.uid}:${ids.gid}::${home}::\n`, { mode: 0o600 });
    // Read by the auth process, which runs as the internal user.
    const internal = ids.internalUser === os.userInfo().username ? { uid: ids.uid, gid: ids.gid } : systemUser(ids.internalUser);
    if (internal) fs.chownSync(passwdFile, internal.uid, internal.gid);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const logFile = path.join(dir, "dovecot.log");
  const readLog = () => {
    try {
      return fs.readFileSync(logFile, "utf8");
    } catch {
      return "";
    }
  };

  // The free port may be taken between freePort() and Dovecot's bind: then try another.
  let lastError: Error | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const conf = path.join(dir, "dovecot.conf");
    fs.writeFileSync(conf, config(dir, port, ids, version));
    fs.rmSync(logFile, { force: true });
    const child = spawn(binary, ["-F", "-c", conf], {
      cwd: dir,
      // Dovecot keeps only TZ of its environment (import_environment) anyway.
      env: { NODE_ENV: process.env.NODE_ENV, PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...(process.env.TZ ? { TZ: process.env.TZ } : {}) },
      // Its own process group, so stop() reaches the children too.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.set(child, dir);
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    let spawnError: Error | null = null;
    child.on("error", (e) => (spawnError = e));
    try {
      await waitForGreeting(port, Date.now() + 15_000, () =>
        spawnError
          ? `could not run ${binary}: ${(spawnError as Error).message}`
          : exited(child)
            ? `dovecot exited with ${child.exitCode ?? child.signalCode}`
            : / Fatal: /.test(readLog())
              ? "a Dovecot process failed"
              : null,
      );
    } catch (e) {
      await stopChild(child);
      const log = readLog();
      lastError = new Error(`Dovecot ${version.join(".")} did not start on 127.0.0.1:${port}: ${(e as Error).message}\n--- output ---\n${tail(output)}\n--- ${logFile} (tail) ---\n${tail(log)}`);
      if (/Address already in use/i.test(output + log)) continue;
      break;
    }

    const url = `imap://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/INBOX`;
    let stopped: Promise<void> | null = null;
    async function appendMany(raws: (string | Buffer)[], mailbox = "INBOX"): Promise<number[]> {
        const client = new ImapFlow({ host: "127.0.0.1", port, secure: false, auth: { user, pass: password }, logger: false });
        await client.connect();
        try {
          if (mailbox.toUpperCase() !== "INBOX") await client.mailboxCreate(mailbox).catch(() => undefined);
          const uids: number[] = [];
          for (const raw of raws) {
            const result = await client.append(mailbox, raw);
            if (!result || typeof result.uid !== "number") throw new Error(`APPEND to ${mailbox} returned no UID`);
            uids.push(result.uid);
          }
          return uids;
        } finally {
          await client.logout().catch(() => client.close());
        }
    }
    const server: ImapServer = {
      host: "127.0.0.1", port, user, password, url, log: readLog,
      append: (raw, mailbox = "INBOX") => appendMany([raw], mailbox).then((uids) => uids[0]),
      appendMany,
      stop() {
        stopped ??= stopChild(child).then(() => {
          live.delete(child);
          fs.rmSync(dir, { recursive: true, force: true });
        });
        return stopped;
      },
    };
    return server;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  throw lastError ?? new Error("Dovecot did not start");
}

/**
 * SIGKILL to Dovecot's whole process group: its mail is thrown away, so there is nothing
 * to shut down cleanly, and a SIGTERM sometimes has the master wait a second for its children.
 */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.pid && !exited(child)) {
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    killGroup(child, "SIGKILL");
    await gone;
  }
  killGroup(child, "SIGKILL");
  live.delete(child);
}
