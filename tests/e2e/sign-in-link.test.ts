// Signing in by emailed link in a real Chromium, by keyboard alone: with JavaScript the
// address typed for the password carries over to the link form; without it the link
// form still works. The link's pages pass axe. Real server, sandbox Mailbox.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { axeViolations, launchBrowser, watchPolicyViolations } from "../setup/browser";
import { startServer, type RunningServer } from "../setup/server";

const COORDINATOR = "coordinator@example.org";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function latestLink(): Promise<string> {
  const db = openDatabase(server.databasePath);
  try {
    const mail = await db.selectFrom("mailbox_messages").select("text_body").where("to_addresses", "like", `%${COORDINATOR}%`).orderBy("id", "desc").executeTakeFirstOrThrow();
    return /(\/login\/link\/[A-Za-z0-9_-]+)/.exec(mail.text_body ?? "")![1];
  } finally {
    await db.destroy();
  }
}

async function linkSentStatus(page: Page) {
  const status = page.getByRole("status");
  await status.waitFor();
  expect(await status.textContent()).toContain("If an account exists for that address, we have sent a link");
}

describe("the sign-in link in a browser", () => {
  it("is asked for and used by keyboard, keeping the address typed above", async () => {
    const page = await browser.newPage();
    const refused = watchPolicyViolations(page);
    await page.goto(server.url + "/login");
    await page.waitForLoadState("networkidle"); // hydrated, so the address is shared
    await page.keyboard.type(COORDINATOR); // the email field has the focus
    await page.keyboard.press("Tab"); // password
    await page.keyboard.press("Tab"); // "Sign in"
    await page.keyboard.press("Tab"); // "Send the link to", already filled in
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(COORDINATOR);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Email me a sign-in link");
    await page.keyboard.press("Enter");
    await linkSentStatus(page);
    expect(await axeViolations(page)).toEqual([]);

    await page.goto(server.url + (await latestLink()));
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in to Demarche");
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Enter"); // the "Sign in" button has the focus
    await page.waitForURL(server.url + "/");

    await page.goBack();
    await page.reload();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("This sign-in link cannot be used");
    expect(await axeViolations(page)).toEqual([]);
    expect(await page.getByRole("link", { name: "Back to sign in" }).getAttribute("href")).toBe("/login");
    expect(refused).toEqual([]);
  }, 60_000);

  it("works without JavaScript", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url + "/login");
    await page.getByLabel("Send the link to").fill(COORDINATOR);
    await page.keyboard.press("Enter");
    await linkSentStatus(page);
    expect(await page.getByLabel("Send the link to").inputValue()).toBe(COORDINATOR);

    await page.goto(server.url + (await latestLink()));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(server.url + "/");
    await context.close();
  }, 60_000);
});
