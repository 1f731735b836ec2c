// Two app processes on one SQLite file (issue 13's "fix that on SQLite too"): a signatory
// approved by another process shows on this process's cached public page and JSON API
// within a moment, not after the next restart. The other process here is a plain
// connection from the test (as the CLI is); a second app process writes the same way.
import { afterAll, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { nameKey } from "../../app/models/name-matching.server";
import { startServer, type RunningServer } from "../setup/server";

const servers: RunningServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop();
});

it("serves a change made by another process on the public page and the API of both processes", { timeout: 60_000 }, async () => {
  const first = await startServer();
  servers.push(first);
  const second = await startServer({}, first.databasePath);
  servers.push(second);
  const slug = "oppose-sanctions-icc-2025";
  const NAME = "Zyxwv Coalition for Testing";
  const page = async (s: RunningServer) => (await fetch(`${s.url}/s/${slug}`)).text();
  const api = async (s: RunningServer) => JSON.stringify(await (await fetch(`${s.url}/api/statements/${slug}`)).json());
  // Both have the page cached now.
  for (const s of [first, second]) {
    expect(await page(s)).not.toContain(NAME);
    expect(await page(s)).not.toContain(NAME);
    expect(await api(s)).not.toContain(NAME);
  }

  const other = openDatabase(first.databasePath);
  try {
    await other.transaction().execute(async (trx) => {
      const statement = await trx.selectFrom("statements").select("id").where("slug", "=", slug).executeTakeFirstOrThrow();
      await trx.insertInto("signatures").values({ statement_id: statement.id, organisation_name: NAME, name_key: nameKey(NAME), status: "approved", source: "import" }).execute();
      await trx.updateTable("statements").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "=", statement.id).execute();
    });
  } finally {
    await other.destroy();
  }
  for (const s of [first, second]) {
    await expect.poll(() => page(s), { timeout: 5_000, interval: 100 }).toContain(NAME);
    await expect.poll(() => api(s), { timeout: 5_000, interval: 100 }).toContain(NAME);
  }
});
