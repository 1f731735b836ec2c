// What a person types while the page's scripts are still loading (a slow connection, a
// busy machine) is still there once they have loaded: no form resets its fields when
// its script takes over. The scripts are held back until the typing is done.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, signInAsDemoCoordinator } from "../setup/browser";
import { addOpenStatement, DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

const SLUG = "typed-early-statement";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await addOpenStatement(server.databasePath, SLUG, "Typed early");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens `path` with its scripts held back, runs `type`, lets the scripts load, and waits for them to take over. */
async function typeBeforeScripts(page: Page, path: string, type: () => Promise<void>) {
  let release = () => {};
  const gate = new Promise<void>((r) => (release = r));
  await page.route("**/build/**", async (route) => { await gate; await route.continue(); });
  await page.goto(server.url + path, { waitUntil: "domcontentloaded" });
  await type();
  release();
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(() => "__remixRouter" in window);
  await page.unrouteAll();
}

describe("what was typed before the scripts loaded", () => {
  it("stays in the sign-in form, and reaches the sign-in-link form too", async () => {
    const page = await browser.newPage();
    await typeBeforeScripts(page, "/login", async () => {
      await page.getByLabel("Email", { exact: true }).fill("early@example.org");
      await page.getByLabel("Password").fill("typed before the scripts");
    });
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe("early@example.org");
    expect(await page.getByLabel("Password").inputValue()).toBe("typed before the scripts");
    expect(await page.getByLabel("Send the link to").inputValue()).toBe("early@example.org");
  }, 60_000);

  it("stays in the sign-on form", async () => {
    const page = await browser.newPage();
    await typeBeforeScripts(page, `/s/${SLUG}/sign`, async () => {
      await page.getByLabel("Organisation name").fill("Early Typists Network");
      await page.getByLabel("Email", { exact: true }).fill("early@typists.example");
    });
    expect(await page.getByLabel("Organisation name").inputValue()).toBe("Early Typists Network");
    expect(await page.getByLabel("Email", { exact: true }).inputValue()).toBe("early@typists.example");
  }, 60_000);

  it("stays in a coordinator's forms, and a sender chosen early shows its signers", async () => {
    const page = await (await browser.newContext()).newPage();
    await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
    await typeBeforeScripts(page, "/statements/new", async () => {
      await page.getByLabel("Title").fill("A statement typed early");
    });
    expect(await page.getByLabel("Title").inputValue()).toBe("A statement typed early");

    await typeBeforeScripts(page, "/letters/new", async () => {
      await page.getByLabel("Subject").fill("Subject typed early");
      await page.getByLabel("Sending organisation").selectOption({ label: "Norwegian Helsinki Committee" });
    });
    expect(await page.getByLabel("Subject").inputValue()).toBe("Subject typed early");
    expect(await page.locator("fieldset label.checkbox").count()).toBeGreaterThan(0);
  }, 60_000);
});
