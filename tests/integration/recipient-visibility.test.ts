// Who sees which recipients' personal data (ADR 0014), route by role, over real HTTP:
// a coordinator and the organisation that writes to Norway see Norway's list in full and
// may export it; a member of another organisation sees the roles only and may not
// export or import; nobody signed out sees anything.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection";
import { hashPassword } from "../../app/platform/password.server";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
const cookies: Record<string, string> = {};
const PEOPLE = {
  coordinator: { email: "coordinator@example.org", password: DEMO_PASSWORD },
  writer: { email: "writer@nhc.example", password: "member of the organisation writing to Norway" },
  other: { email: "other@alhaq.example", password: "member of an organisation that does not" },
};

beforeAll(async () => {
  server = await startServer();
  const db = openDatabase(server.databasePath);
  try {
    const org = (name: string) => db.selectFrom("organisations").select("id").where("name", "=", name).executeTakeFirstOrThrow();
    const nhc = await org("Norwegian Helsinki Committee");
    const alHaq = await org("Al-Haq");
    expect(await db.selectFrom("organisation_countries").select("country_code").where("organisation_id", "=", nhc.id).where("country_code", "=", "NO").executeTakeFirst()).toBeDefined();
    await db.insertInto("users").values([
      { email: PEOPLE.writer.email, name: "Writer", role: "member", organisation_id: nhc.id, password_hash: await hashPassword(PEOPLE.writer.password) },
      { email: PEOPLE.other.email, name: "Other", role: "member", organisation_id: alHaq.id, password_hash: await hashPassword(PEOPLE.other.password) },
    ]).execute();
  } finally {
    await db.destroy();
  }
  for (const [who, person] of Object.entries(PEOPLE)) {
    const res = await fetch(server.url + "/login", {
      method: "POST", redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
      body: new URLSearchParams(person).toString(),
    });
    expect(res.status, who).toBe(302);
    cookies[who] = (res.headers.get("set-cookie") ?? "").split(";")[0];
  }
}, 60_000);
afterAll(() => server?.stop());

type Who = keyof typeof PEOPLE | "nobody";
const get = (who: Who, path: string) => fetch(server.url + path, { redirect: "manual", headers: who === "nobody" ? {} : { Cookie: cookies[who] } });

describe("Norway's recipients, by role", () => {
  const matrix: [string, Record<Who, number>][] = [
    ["/countries/NO/recipients", { coordinator: 200, writer: 200, other: 200, nobody: 302 }],
    ["/countries/NO/recipients/export", { coordinator: 200, writer: 200, other: 403, nobody: 302 }],
    ["/countries/NO/recipients/import", { coordinator: 200, writer: 200, other: 403, nobody: 302 }],
  ];
  for (const [path, expected] of matrix) {
    it(`${path}: ${JSON.stringify(expected)}`, async () => {
      const got: Record<string, number> = {};
      for (const who of Object.keys(expected) as Who[]) got[who] = (await get(who, path)).status;
      expect(got).toEqual(expected);
    });
  }

  it("shows names, addresses and salutations to the coordinator and the writing organisation only", async () => {
    for (const who of ["coordinator", "writer"] as const) {
      const html = await (await get(who, "/countries/NO/recipients")).text();
      expect(html, who).toContain("post@mfa.no");
      expect(html, who).toContain("Espen Barth Eide");
      expect(html, who).toContain("Export CSV");
    }
    const html = await (await get("other", "/countries/NO/recipients")).text();
    expect(html).not.toContain("post@mfa.no");
    expect(html).not.toContain("Espen Barth Eide");
    expect(html).not.toContain("Andreas.Motzfeldt.Kravik@mfa.no");
    expect(html).toContain("Foreign Minister of Norway"); // the role stays
    expect(html).toContain("not shown");
    expect(html).not.toContain("Export CSV");
  });

  it("exports the list in full to those who see it", async () => {
    const csv = await (await get("writer", "/countries/NO/recipients/export")).text();
    expect(csv).toContain("post@mfa.no");
  });
});
