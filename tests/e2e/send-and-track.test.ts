// The last mile, as a member clicks through it: open the Norway letter, send it after
// the confirmation step, find it in the Mailbox sandbox and on the outreach board, log
// the ministry's reply, and see Norway change colour on the map. Real server (with its
// sending worker), real database file, real Chromium.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Frame, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { hashPassword } from "../../app/platform/password.server";
import { OUTREACH_STATUS_COLOURS } from "../../app/lib/outreach-status";
import { launchBrowser, signIn, watchPolicyViolations } from "../setup/browser";
import { startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let browser: Browser;
const MEMBER = { email: "advocacy@nhc.example", password: "member password for the journey" };
const SLUG = "oppose-sanctions-icc-2025";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ SEND_RATE_PER_MINUTE: "0" }), launchBrowser()]);
  const db = openDatabase(server.databasePath);
  try {
    const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
    await db.insertInto("users").values({ email: MEMBER.email, name: "Nina Advocacy", role: "member", organisation_id: nhc.id, password_hash: await hashPassword(MEMBER.password) }).execute();
  } finally {
    await db.destroy();
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The map document inside the board's <object>, once loaded. */
async function mapFrame(page: Page): Promise<Frame> {
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().includes("/outreach/map.svg"));
    if (frame && (await frame.locator("#NO").count()) > 0) return frame;
    await page.waitForTimeout(50);
  }
  throw new Error("the map did not load in the board");
}

async function norwayOnMap(page: Page) {
  const frame = await mapFrame(page);
  const norway = frame.locator("#NO");
  return { status: await norway.getAttribute("data-status"), fill: await norway.locator("path, circle").first().getAttribute("fill") };
}

it("a member sends the Norway letter after confirming, sees it in the Mailbox and on the board, logs the reply, and the map changes", async () => {
  const page = await (await browser.newContext()).newPage();
  const refused = watchPolicyViolations(page);
  await signIn(page, server.url, MEMBER.email, MEMBER.password);

  // Before: Norway is on the board as sent outside Demarche in January 2025.
  await page.goto(`${server.url}/statements/${SLUG}/outreach`);
  const before = await norwayOnMap(page);
  const rowBefore = await page.locator("tr", { has: page.getByRole("link", { name: "Norway", exact: true }) }).textContent();
  expect(before.status).toBe("sent");
  expect(before.fill?.toUpperCase()).toBe(OUTREACH_STATUS_COLOURS.sent.toUpperCase());

  // The letter, then the confirmation step.
  await page.getByRole("link", { name: "Letters", exact: true }).first().click();
  await page.getByRole("heading", { name: "Letters", level: 1 }).waitFor();
  await page.locator("main tr", { hasText: "Norway" }).getByRole("link", { name: "Civil society urges States to oppose ICC sanctions" }).click();
  await page.waitForURL(/\/letters\/\d+$/);
  await page.getByRole("link", { name: /Send to the ministry/ }).click();
  await page.getByRole("heading", { name: "Send the letter to Norway" }).waitFor();
  const confirmation = (await page.locator("main").textContent()) ?? "";
  for (const address of ["post@mfa.no", "postmottak@jd.dep.no", "Andreas.Motzfeldt.Kravik@mfa.no", "monica.furnes@mfa.no", "herborg.fiskaa.alvsaker2@mfa.no", "nhc@nhc.no"]) {
    expect(confirmation).toContain(address);
  }
  expect(confirmation).toMatch(/Sandbox mode/);
  // The demo records the January 2025 letter as sent outside Demarche: the page says so.
  expect(confirmation).toContain("Norway has already been contacted for this statement");
  expect(confirmation).toMatch(/letter-\d+-NO-2025-01-14-en\.pdf/);

  // Sending without ticking the box goes nowhere (the browser asks for the tick; the
  // server refusal beside the box is covered in sending-routes.test.ts).
  await page.getByRole("button", { name: /^Send/ }).click();
  expect(await page.locator("#confirm").evaluate((el) => (el as HTMLInputElement).validity.valueMissing)).toBe(true);
  expect(page.url()).toMatch(/\/send$/);

  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: /^Send/ }).click();
  await page.waitForURL(/\/letters\/\d+(\?.*)?$/);

  // The worker in the server sends it; the letter page shows it sent (it refreshes while pending).
  const status = /Status\s*sent\b/;
  for (let i = 0; i < 60 && !status.test((await page.locator("main").textContent()) ?? ""); i++) {
    await page.waitForTimeout(250);
    await page.reload();
  }
  expect(await page.locator("main").textContent()).toMatch(status);

  // In the Mailbox sandbox, with its PDF.
  await page.getByRole("link", { name: "Mailbox", exact: true }).first().click();
  await page.getByRole("link", { name: "Civil society urges States to oppose ICC sanctions" }).first().click();
  await page.getByText(/letter-\d+-NO-2025-01-14-en\.pdf/).first().waitFor();
  const mail = (await page.locator("main").textContent()) ?? "";
  expect(mail).toContain("post@mfa.no");
  expect(mail).toMatch(/letter-\d+-NO-2025-01-14-en\.pdf/);

  // On the board, Norway now shows the message sent through Demarche.
  await page.goto(`${server.url}/statements/${SLUG}/outreach`);
  const row = page.locator("tr", { has: page.getByRole("link", { name: "Norway", exact: true }) });
  expect(rowBefore).not.toContain(`Letter sent by Norwegian Helsinki Committee${new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}`);
  // Its last event is now today's message, not the January 2025 record.
  const today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  expect(await row.textContent()).toMatch(/Sent/);
  expect(await row.textContent()).toContain(`Letter sent by Norwegian Helsinki Committee${today}`);

  // Log the ministry's reply on Norway's page.
  await row.getByRole("link", { name: "Norway", exact: true }).click();
  await page.locator("#reply-date").fill("2025-02-03");
  await page.locator("#reply-from").fill("Ministry of Foreign Affairs, Legal Department");
  await page.locator("#reply-summary").fill("Norway will raise sanctions at the Assembly of States Parties");
  await page.locator("#reply-body").fill("Thank you for your letter. <script>alert(1)</script>");
  await page.getByRole("button", { name: "Log reply" }).click();
  await page.getByText("Norway will raise sanctions at the Assembly of States Parties").first().waitFor();
  expect(await page.locator("main").textContent()).toContain("<script>alert(1)</script>");

  // Back on the board: Norway replied, and the map says so in the replied colour.
  await page.goto(`${server.url}/statements/${SLUG}/outreach`);
  expect(await page.locator("tr", { has: page.getByRole("link", { name: "Norway", exact: true }) }).textContent()).toMatch(/Replied/);
  const after = await norwayOnMap(page);
  expect(after.status).toBe("replied");
  expect(after.fill?.toUpperCase()).toBe(OUTREACH_STATUS_COLOURS.replied.toUpperCase());
  expect(after.fill).not.toBe(before.fill);
  // The whole journey ran under the pages' Content-Security-Policy without a refusal.
  expect(refused).toEqual([]);
}, 90_000);
