// Recipients learn from what comes back (issue 12), as a coordinator clicks through it
// without JavaScript: the Foreign Minister's address has bounced (the report stored in
// the server's own database file, as the mailbox reader stores it), the recipients page
// says "bouncing" with the day and the reason, the coverage page flags Norway, the
// minister is given the embassy as fallback on the edit form, and the letter warns before
// sending and puts the embassy in the minister's place. Real server, real Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { addRecipient } from "~/models/recipient.server";
import { dayInWords } from "~/lib/time-in-words";
import { launchBrowser, signInAsDemoCoordinator } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";
import { report, sentTo } from "../setup/address-reports";

let server: RunningServer;
let browser: Browser;
let page: Page;
let letterId = 0;
let ministerId = 0;
const EMBASSY = "Royal Norwegian Embassy in The Hague";
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = openDatabase(server.databasePath);
  try {
    await addRecipient(db, { actor: null, ip: null }, "NO", { name: EMBASSY, title: "Embassy", institution: null, email: "emb.hague@mfa.no", salutation: "Excellency,", language: "en", kind: "copy", checked_on: today() });
    ministerId = (await db.selectFrom("recipients").select("id").where("email", "=", "post@mfa.no").executeTakeFirstOrThrow()).id;
    letterId = (await db.selectFrom("letters").select("id").where("country_code", "=", "NO").executeTakeFirstOrThrow()).id;
    // The letter went to the minister's address, and the relay said no.
    await report(db, "hard", (await sentTo(db, ["post@mfa.no"])).token, "post@mfa.no");
  } finally {
    await db.destroy();
  }
  page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const REASON = "5.1.1 550 5.1.1 User unknown";

describe("a recipient whose address bounced", () => {
  it("is bouncing on the recipients page, with the day and the reason", async () => {
    await page.goto(`${server.url}/countries/NO/recipients`);
    const row = page.locator("tr", { hasText: "post@mfa.no" });
    const status = row.locator("[data-address-status]");
    expect(await status.getAttribute("data-address-status")).toBe("bouncing");
    const text = await status.textContent();
    expect(text).toContain(`bouncing refused on ${dayInWords(today())}`);
    expect(text).toContain(REASON);
    expect(await page.locator("tr", { hasText: "postmottak@jd.dep.no" }).locator("[data-address-status]").textContent()).toContain("ok nothing has come back");
  }, 60_000);

  it("flags Norway on the coverage page, naming who bounces", async () => {
    await page.goto(`${server.url}/coverage`);
    expect(await page.locator('tr[data-country="NO"]').textContent()).toContain(`Stale address: mail to Espen Barth Eide, Foreign Minister of Norway bounces (last on ${dayInWords(today())})`);
  }, 60_000);

  it("warns on the letter that nobody named a fallback, linking to the minister's entry", async () => {
    await page.goto(`${server.url}/letters/${letterId}`);
    const warning = page.locator("#bouncing");
    expect(await warning.textContent()).toContain("No fallback is named for Espen Barth Eide");
    expect(await warning.getByRole("link", { name: "Name one on their entry" }).getAttribute("href")).toBe(`/countries/NO/recipients/${ministerId}`);
  }, 60_000);

  it("is given the embassy as fallback on its edit form (no JavaScript)", async () => {
    await page.goto(`${server.url}/countries/NO/recipients/${ministerId}`);
    await page.getByLabel("Fallback if this address bounces").selectOption({ label: `${EMBASSY}, Embassy <emb.hague@mfa.no>` });
    await page.getByRole("button", { name: "Save recipient" }).click();
    await page.waitForURL(/done=updated/);
    expect(await page.locator("tr", { hasText: "post@mfa.no" }).textContent()).toContain(`Falls back to ${EMBASSY}, Embassy.`);
  }, 60_000);

  it("is named with the day and the reason before sending, and the letter puts the embassy in its place", async () => {
    await page.goto(`${server.url}/letters/${letterId}/send`);
    const onSend = await page.locator("#bouncing").textContent();
    expect(onSend).toContain("<post@mfa.no>");
    expect(onSend).toContain(`bouncing: refused on ${dayInWords(today())}`);
    expect(onSend).toContain(REASON);

    await page.getByRole("button", { name: `Write to ${EMBASSY}, Embassy, instead (in this letter)` }).click();
    await page.waitForURL(new RegExp(`/letters/${letterId}\\?done=fallback`));
    expect(await page.locator("#bouncing").count()).toBe(0);
    expect(await page.locator("#fallbacks").textContent()).toContain(`${EMBASSY} (Embassy) takes the place of Espen Barth Eide (Foreign Minister of Norway).`);
    expect(await page.locator("pre.letter-text").textContent()).toContain(EMBASSY);

    await page.goto(`${server.url}/letters/${letterId}/send`);
    expect(await page.locator("#bouncing").count()).toBe(0);
    const to = await page.locator("dl.facts dt", { hasText: /^To$/ }).locator("xpath=following-sibling::dd[1]").textContent();
    expect(to).toContain("emb.hague@mfa.no");
    expect(to).not.toContain("post@mfa.no");
  }, 60_000);
});
