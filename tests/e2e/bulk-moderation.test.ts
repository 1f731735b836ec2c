// A coordinator decides on several sign-ons at once (issue #11): ticks rows, confirms
// on a page that lists them, and learns which could not be approved and why; then, with
// JavaScript off, approves "all with no possible duplicate" the same way. Real server,
// real database file, real Chromium.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { nameKey } from "../../app/models/name-matching.server";
import { axeViolations, launchBrowser, signInAsDemoCoordinator, watchPolicyViolations } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let browser: Browser;
const SLUG = "e2e-bulk-statement";
// Random names: the demo directory must hold nothing similar to them.
const [first, second, third] = [1, 2, 3].map(() => `Coalition ${randomUUID().slice(0, 8)}`);
const TWIN = "amnesty international";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = openDatabase(server.databasePath);
  try {
    const statement = await db
      .insertInto("statements")
      .values({ slug: SLUG, title: "Bulk moderation", statement_date: "2025-01-14", status: "open", body_markdown: "Text." })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("signatures").values({ statement_id: statement.id, organisation_name: "Amnesty International", name_key: nameKey("Amnesty International"), status: "approved", source: "import" }).execute();
    // Verified sign-ons waiting for a decision, the twin of the approved one among them.
    for (const [i, name] of [first, TWIN, second, third].entries()) {
      await db.insertInto("signatures").values({
        statement_id: statement.id, organisation_name: name, name_key: nameKey(name), status: "pending", source: "form", country_code: "KE",
        contact_name: "Wanjiru", contact_email: `office${i}@${randomUUID().slice(0, 8)}.example.net`, verified_at: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
      }).execute();
    }
  } finally {
    await db.destroy();
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function coordinator(javaScriptEnabled: boolean): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
  return page;
}

it("approves ticked sign-ons after a confirmation, and says which failed and why", async () => {
  const page = await coordinator(true);
  const refused = watchPolicyViolations(page);
  await page.goto(`${server.url}/statements/${SLUG}/moderation`);
  await page.getByRole("checkbox", { name: `Select ${first}` }).check();
  await page.getByRole("checkbox", { name: `Select ${TWIN}` }).check();
  await page.getByRole("button", { name: "Approve ticked…" }).click();

  await page.getByRole("heading", { name: "Approve 2 sign-ons?" }).waitFor();
  const list = (await page.locator("main ol").textContent()) ?? "";
  expect(list).toContain(first);
  expect(list).toContain("will be added to the directory");
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole("button", { name: "Approve 2 sign-ons" }).click();

  await page.getByRole("heading", { name: "1 sign-on approved" }).waitFor();
  const failures = (await page.locator("main ul").textContent()) ?? "";
  expect(failures).toContain(TWIN);
  expect(failures).toMatch(/already an approved signatory/);
  expect(await axeViolations(page)).toEqual([]);
  expect(refused).toEqual([]);
}, 90_000);

it("approves all with no possible duplicate, without JavaScript", async () => {
  const page = await coordinator(false);
  await page.goto(`${server.url}/statements/${SLUG}/moderation`);
  await page.getByRole("button", { name: "Approve all 2 with no possible duplicate…" }).click();
  await page.getByRole("heading", { name: "Approve 2 sign-ons?" }).waitFor();
  const list = (await page.locator("main ol").textContent()) ?? "";
  expect(list).toContain(second);
  expect(list).toContain(third);
  expect(list).not.toContain(TWIN);
  await page.getByRole("button", { name: "Approve 2 sign-ons" }).click();
  await page.getByRole("heading", { name: "2 sign-ons approved" }).waitFor();

  await page.goto(`${server.url}/statements/${SLUG}/moderation`);
  await page.getByRole("heading", { name: "Waiting for approval (1)" }).waitFor();
}, 90_000);
