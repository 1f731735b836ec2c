// The letter form lists only the sending organisation's signers, and the list follows
// the sender: at once with JavaScript, through "Show its signers" without it, keeping
// what was typed. Real server and Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { launchBrowser, signInAsDemoCoordinator } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let browser: Browser;
let alHaq = 0;
let nhc = 0;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = openDatabase(server.databasePath);
  try {
    nhc = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
    alHaq = (await db.selectFrom("organisations").select("id").where("name", "=", "Al-Haq").executeTakeFirstOrThrow()).id;
    await db.insertInto("signers").values({ organisation_id: alHaq, name: "Shawan Jabarin", title: "General Director", position: 1 }).execute();
  } finally {
    await db.destroy();
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const signerLabels = (page: Page) => page.locator("fieldset label.checkbox").allTextContents();

async function coordinatorPage(javaScriptEnabled: boolean): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
  await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
  await page.goto(server.url + "/letters/new");
  return page;
}

describe("the letter form's signers", () => {
  it("follow the chosen sender at once with JavaScript", async () => {
    const page = await coordinatorPage(true);
    expect(await signerLabels(page)).toEqual([]);
    await page.getByLabel("Sending organisation").selectOption(String(nhc));
    const nhcSigners = await signerLabels(page);
    expect(nhcSigners.length).toBeGreaterThan(0);
    expect(nhcSigners.join()).not.toContain("Shawan Jabarin");
    await page.getByLabel("Sending organisation").selectOption(String(alHaq));
    expect(await signerLabels(page)).toEqual([" Shawan Jabarin, General Director"]);
    expect(await page.getByRole("checkbox", { name: /Shawan Jabarin/ }).isChecked()).toBe(true);
    expect(await page.getByRole("button", { name: "Show its signers" }).count()).toBe(0);
  }, 60_000);

  it("follow the chosen sender without JavaScript, keeping what was typed", async () => {
    const page = await coordinatorPage(false);
    await page.getByLabel("Subject").fill("Typed before choosing the sender");
    await page.getByLabel("Sending organisation").selectOption(String(alHaq));
    await page.getByRole("button", { name: "Show its signers" }).click();
    await page.waitForLoadState();
    expect(await signerLabels(page)).toEqual([" Shawan Jabarin, General Director"]);
    expect(await page.getByLabel("Subject").inputValue()).toBe("Typed before choosing the sender");
    expect(await page.getByLabel("Sending organisation").inputValue()).toBe(String(alHaq));
    expect(await page.locator("main").textContent()).not.toMatch(/Choose signers of|Correct/);
  }, 60_000);
});
