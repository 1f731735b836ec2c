// Scheduled work runs in one process at a time (issue 13): a lease is taken while free,
// refused while another live process holds it, renewed by its holder, taken over once it
// expires or at once when its holder was a process of this machine that is gone.
import os from "node:os";
import { spawnSync } from "node:child_process";
import { beforeAll, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import { LEASE_OWNER, releaseLease, takeLease } from "~/models/job-leases.server";
import { migratedDb } from "../setup/db";

let db: DB;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
});

const other = `${os.hostname()}:${process.ppid}:other`; // a live process of this machine (our parent)
const t0 = new Date("2026-12-08T10:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

it("is held by one owner at a time until it expires or is given back", async () => {
  expect(await takeLease(db, "job:a", 60_000, LEASE_OWNER, t0)).toBe(true);
  expect(await takeLease(db, "job:a", 60_000, other, at(1_000))).toBe(false);
  expect(await takeLease(db, "job:a", 60_000, LEASE_OWNER, at(30_000))).toBe(true); // renewed: now until 90 s
  expect(await takeLease(db, "job:a", 60_000, other, at(80_000))).toBe(false);
  expect(await takeLease(db, "job:a", 60_000, other, at(91_000))).toBe(true); // expired: taken over
  expect(await takeLease(db, "job:a", 60_000, LEASE_OWNER, at(92_000))).toBe(false);
  await releaseLease(db, "job:a", other);
  expect(await takeLease(db, "job:a", 60_000, LEASE_OWNER, at(93_000))).toBe(true);
});

it("gives way at once when its holder was a process here that is gone", async () => {
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
  const dead = `${os.hostname()}:${gone}:dead`;
  expect(await takeLease(db, "job:b", 600_000, dead, t0)).toBe(true);
  expect(await takeLease(db, "job:b", 600_000, other, at(1_000))).toBe(true);
});
