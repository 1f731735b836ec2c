// Another process holds the database's write lock (a backup, the CLI, a second app):
// a sign-on waits up to DATABASE_BUSY_TIMEOUT_MS, then is answered 503 with Retry-After
// and the form again with what was typed, never a 500; nothing half-done is stored, and
// once the lock is gone the same sign-on goes through. Real server, real second process.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { addOpenStatement, DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
const SLUG = "busy-open-statement";

beforeAll(async () => {
  server = await startServer({ DATABASE_BUSY_TIMEOUT_MS: "300" });
  await addOpenStatement(server.databasePath, SLUG, "Open while busy");
}, 60_000);
afterAll(() => server?.stop());

/** A second process that takes the write lock and keeps it until killed. */
function holdWriteLock(file: string): Promise<ChildProcess> {
  const script = `
    const sqlite3 = require("sqlite3");
    const db = new sqlite3.Database(process.argv[1]);
    db.exec("begin immediate; insert into audit_log (action, at) values ('lock.held', datetime('now'))", (err) => {
      if (err) { console.error(err); process.exit(1); }
      console.log("locked");
    });
    setInterval(() => {}, 1000);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script, file], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && resolve(child));
    child.on("exit", (code) => reject(new Error(`lock holder exited (${code})`)));
  });
}

const fields = { name: "Patient Organisation", acronym: "", country: "NO", website: "", contact_name: "Ola Venter", contact_title: "Director", email: "ola@patient.example", note: "Typed while the database was busy", consent: "yes" };

function signOn() {
  return fetch(`${server.url}/s/${SLUG}/sign`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signaturesNamed(name: string) {
  const db = openDatabase(server.databasePath);
  try {
    return await db.selectFrom("signatures").select("id").where("organisation_name", "=", name).execute();
  } finally {
    await db.destroy();
  }
}

describe("with another process holding the write lock", () => {
  it("answers a sign-on 503 with Retry-After and the form as typed, then takes it once the lock is gone", async () => {
    // The person opened the form before the lock was taken.
    expect((await fetch(`${server.url}/s/${SLUG}/sign`)).status).toBe(200);
    const holder = await holdWriteLock(server.databasePath);
    let res: Response;
    try {
      res = await signOn();
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const html = await res.text();
      expect(html).toContain("The database is busy");
      expect(html).toContain('value="Patient Organisation"');
      expect(html).toContain('value="ola@patient.example"');
      expect(html).toContain("Typed while the database was busy");
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
    expect(await signaturesNamed("Patient Organisation")).toHaveLength(0);
    expect(server.output()).not.toMatch(/ 500 /);

    res = await signOn();
    expect(res.status).toBe(302);
    expect(await signaturesNamed("Patient Organisation")).toHaveLength(1);
  }, 30_000);

  it("gives any form back as typed, 503: a coordinator adding a recipient", async () => {
    const login = await fetch(`${server.url}/login`, {
      method: "POST", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams({ email: "coordinator@example.org", password: DEMO_PASSWORD }).toString(),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
    expect((await fetch(`${server.url}/countries/SE/recipients`, { headers: { Cookie: cookie } })).status).toBe(200);
    const holder = await holdWriteLock(server.databasePath);
    try {
      const res = await fetch(`${server.url}/countries/SE/recipients`, {
        method: "POST", redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url, Cookie: cookie },
        body: new URLSearchParams({ intent: "add", name: "Typed While Busy", title: "Minister for Foreign Affairs", institution: "", email: "typed@busy.example", kind: "addressee", salutation: "Dear Minister,", language: "en", checked_on: "2026-12-01" }).toString(),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      const html = await res.text();
      expect(html).toContain("The database is busy");
      expect(html).toContain('value="Typed While Busy"');
      expect(html).toContain('value="typed@busy.example"');
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
  }, 30_000);

  it("answers a page that must write 503 with Retry-After, not 500", async () => {
    const holder = await holdWriteLock(server.databasePath);
    try {
      // Signing in writes a session row: with the lock held it cannot.
      const res = await fetch(`${server.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
        body: new URLSearchParams({ email: "coordinator@example.org", password: "not the password at all" }).toString(),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
    } finally {
      holder.kill("SIGKILL");
      await new Promise((r) => holder.once("exit", r));
    }
  }, 30_000);
});
