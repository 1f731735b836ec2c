// Every migration can be undone: up, all the way down, and up again on a real file.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { migrateToLatest, openDatabase, rollbackOne } from "../../db/connection";
import { migrations } from "../../db/migrations";

it("migrates up, down to nothing, and up again", async () => {
  const db = openDatabase(path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrations-")), "m.sqlite"));
  const tables = async () => (await db.introspection.getTables()).map((t) => t.name).filter((n) => !n.startsWith("kysely_"));
  try {
    const log: string[] = [];
    await migrateToLatest(db, (l) => log.push(l));
    expect(log).toHaveLength(Object.keys(migrations).length);
    expect(await tables()).toEqual(expect.arrayContaining(["users", "sessions", "countries", "organisations", "mailbox_messages", "audit_log"]));
    for (let i = 0; i < Object.keys(migrations).length; i++) await rollbackOne(db);
    expect(await tables()).toEqual([]);
    expect(await rollbackOne(db)).toEqual([]); // nothing left to undo
    await migrateToLatest(db);
    expect((await tables()).length).toBeGreaterThan(5);
  } finally {
    await db.destroy();
  }
});
