// SIGKILL of the app in the middle of a sign-on storm. The verification email is written
// in the same transaction as its signature (a transactional outbox), so after a restart
// every stored sign-on has exactly one email, no email names a sign-on that is not
// stored, and every sign-on the server acknowledged (302) is there.
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { startServer, type RunningServer } from "../setup/server";

const SLUG = "storm-statement";
const LIMITS = { SIGNON_RATE_LIMIT_PER_IP: "1000000", SIGNON_RATE_LIMIT_PER_EMAIL: "1000000" };
const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

const form = (i: number) => new URLSearchParams({
  name: `Storm Organisation ${i}`, acronym: "", country: "NO", website: "", contact_name: `Contact ${i}`,
  contact_title: "Director", email: `storm${i}@storm.example`, note: "", consent: "yes",
}).toString();

it("loses no acknowledged sign-on and leaves each stored one exactly one verification email", async () => {
  const first = await startServer(LIMITS);
  servers.push(first);
  const seed = openDatabase(first.databasePath);
  try {
    await seed.insertInto("statements").values({ slug: SLUG, title: "Storm", statement_date: "2025-01-14", status: "open", body_markdown: "Body." }).execute();
  } finally {
    await seed.destroy();
  }

  const acknowledged: string[] = [];
  let next = 0;
  let killed = false;
  const total = 600;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      try {
        const res = await fetch(`${first.url}/s/${SLUG}/sign`, {
          method: "POST", redirect: "manual",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: first.url },
          body: form(i),
        });
        if (res.status === 302) acknowledged.push(`storm${i}@storm.example`);
        else if (!killed) throw new Error(`sign-on ${i} answered ${res.status}`);
      } catch (error) {
        if (!killed) throw error;
      }
      if (!killed && acknowledged.length >= 80) {
        killed = true;
        await first.kill();
      }
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  expect(killed).toBe(true);

  // Restart on the same file: the server migrates, recovers and serves again.
  const second = await startServer(LIMITS, first.databasePath);
  servers.push(second);
  const db = openDatabase(first.databasePath);
  try {
    const signatures = await db.selectFrom("signatures").select(["contact_email", "status"]).where("organisation_name", "like", "Storm Organisation %").execute();
    const mail = await db.selectFrom("mailbox_messages").select("to_addresses").where("to_addresses", "like", "%@storm.example%").execute();
    const mailed = new Map<string, number>();
    for (const m of mail) {
      const address = /storm\d+@storm\.example/.exec(m.to_addresses)![0];
      mailed.set(address, (mailed.get(address) ?? 0) + 1);
    }
    const stored = new Set(signatures.map((s) => s.contact_email!));
    expect(signatures.every((s) => s.status === "unverified")).toBe(true);
    // Every acknowledged sign-on is stored...
    expect(acknowledged.filter((a) => !stored.has(a))).toEqual([]);
    // ...every stored one has exactly one email, and no email is about one that is not stored.
    expect([...stored].filter((a) => mailed.get(a) !== 1)).toEqual([]);
    expect([...mailed.keys()].filter((a) => !stored.has(a))).toEqual([]);
    console.log(`sign-on storm: ${acknowledged.length} acknowledged, ${stored.size} stored, killed mid-storm`);
  } finally {
    await db.destroy();
  }
}, 90_000);
