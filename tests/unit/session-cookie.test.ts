import { beforeAll, expect, it } from "vitest";
import { startSession } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { createUser } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
});

it("marks the session cookie Secure when served over https, and HttpOnly + SameSite=Lax always", async () => {
  const user = await createUser(db);
  const overHttps = await startSession(db, new Request("https://demarche.example.org/login"), user.id);
  expect(overHttps).toMatch(/; Secure/i);
  expect(overHttps).toMatch(/^__Host-demarche=/);
  const overHttp = await startSession(db, new Request("http://127.0.0.1:3000/login"), user.id);
  expect(overHttp).not.toMatch(/Secure/i);
  for (const c of [overHttps, overHttp]) {
    expect(c).toMatch(/HttpOnly/i);
    expect(c).toMatch(/SameSite=Lax/i);
    expect(c).toMatch(/Path=\//);
  }
});
