// The node-sqlite3 dialect underpins everything, so it is tested on a real file:
// transactions, savepoints, RETURNING, foreign keys, and isolation between
// concurrent requests sharing the one connection.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Kysely, sql, type Generated } from "kysely";
import { Sqlite3Dialect } from "../../db/sqlite3-dialect";

interface T { items: { id: Generated<number>; name: string; parent_id: number | null } }
let db: Kysely<T>;
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dialect-")), "d.sqlite");

beforeAll(async () => {
  db = new Kysely<T>({ dialect: new Sqlite3Dialect({ filename: file }) });
  await sql`create table items (id integer primary key autoincrement, name text not null unique, parent_id integer references items(id))`.execute(db);
});
afterAll(() => db.destroy());

const names = async () => (await db.selectFrom("items").select("name").orderBy("id").execute()).map((r) => r.name);

describe("Sqlite3Dialect", () => {
  it("uses WAL and has foreign keys on", async () => {
    const { rows: [mode] } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
    const { rows: [fk] } = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
    expect(mode.journal_mode).toBe("wal");
    expect(fk.foreign_keys).toBe(1);
    await expect(db.insertInto("items").values({ name: "orphan", parent_id: 999 }).execute()).rejects.toThrow(/FOREIGN KEY/);
  });

  it("returns inserted rows with RETURNING and reports insertId/affected rows without", async () => {
    const row = await db.insertInto("items").values({ name: "a", parent_id: null }).returning(["id", "name"]).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: expect.any(Number), name: "a" });
    const plain = await db.insertInto("items").values({ name: "b", parent_id: row.id }).executeTakeFirstOrThrow();
    expect(Number(plain.insertId)).toBe(row.id + 1);
    const updated = await db.updateTable("items").set({ name: "b2" }).where("name", "=", "b").executeTakeFirstOrThrow();
    expect(Number(updated.numUpdatedRows)).toBe(1);
    const deleted = await db.deleteFrom("items").where("name", "=", "b2").returning("name").execute();
    expect(deleted).toEqual([{ name: "b2" }]);
  });

  it("commits and rolls back transactions", async () => {
    await db.transaction().execute(async (trx) => { await trx.insertInto("items").values({ name: "committed", parent_id: null }).execute(); });
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("items").values({ name: "rolled-back", parent_id: null }).execute();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await names()).toContain("committed");
    expect(await names()).not.toContain("rolled-back");
  });

  it("supports nested savepoints", async () => {
    const trx = await db.startTransaction().execute();
    await trx.insertInto("items").values({ name: "outer", parent_id: null }).execute();
    const sp1 = await trx.savepoint("sp1").execute();
    await sp1.insertInto("items").values({ name: "inner-kept", parent_id: null }).execute();
    const sp2 = await sp1.savepoint("sp2").execute();
    await sp2.insertInto("items").values({ name: "inner-undone", parent_id: null }).execute();
    await sp2.rollbackToSavepoint("sp2").execute();
    await sp1.releaseSavepoint("sp1").execute();
    await trx.commit().execute();
    const all = await names();
    expect(all).toEqual(expect.arrayContaining(["outer", "inner-kept"]));
    expect(all).not.toContain("inner-undone");
  });

  it("does not let a concurrent request see or join another's open transaction", async () => {
    let seenInside: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const tx = db.transaction().execute(async (trx) => {
      await trx.insertInto("items").values({ name: "uncommitted", parent_id: null }).execute();
      entered();
      await gate;
      throw new Error("abort");
    });
    await inside;
    // A second "request" queries while the transaction is open. It must wait for the
    // connection rather than run inside the transaction and see its row.
    const reader = names().then((n) => (seenInside = n));
    const writer = db.insertInto("items").values({ name: "other-request", parent_id: null }).execute();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await expect(tx).rejects.toThrow("abort");
    await Promise.all([reader, writer]);
    expect(seenInside).not.toContain("uncommitted");
    expect(await names()).toContain("other-request"); // not rolled back with the other transaction
  });

  it("serialises writers from two connections on one file with begin immediate", async () => {
    const other = new Kysely<T>({ dialect: new Sqlite3Dialect({ filename: file }) });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          (i % 2 ? db : other).transaction().execute(async (trx) => {
            await trx.insertInto("items").values({ name: `multi-${i}`, parent_id: null }).execute();
          }),
        ),
      );
      expect((await names()).filter((n) => n.startsWith("multi-"))).toHaveLength(10);
    } finally {
      await other.destroy();
    }
  });
});
