// Long selects (countries, organisations) can be searched by keyboard once the page's
// script runs, and stay plain selects without it. Real server and Chromium.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { axeViolations, launchBrowser } from "../setup/browser";
import { addOpenStatement, startServer, type RunningServer } from "../setup/server";

const SLUG = "searchable-statement";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await addOpenStatement(server.databasePath, SLUG, "Searchable");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("narrows the country list as one types, picks the only match with Enter, and passes axe", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}/s/${SLUG}/sign`);
  const search = page.getByRole("searchbox", { name: "Find in the list" });
  await search.waitFor();
  const all = await page.getByLabel("Country", { exact: true }).locator("option").count();
  expect(all).toBeGreaterThan(150);
  await search.focus();
  await page.keyboard.type("cote d");
  // Accents ignored: "cote d" finds Côte d'Ivoire; the blank choice stays.
  expect(await page.getByLabel("Country", { exact: true }).locator("option").allTextContents()).toEqual(["— choose where the organisation is based —", "Côte d'Ivoire"]);
  await page.keyboard.press("Enter");
  expect(await page.getByLabel("Country", { exact: true }).inputValue()).toBe("CI");
  // Arrow Down leads on to the list itself.
  await search.focus();
  await page.keyboard.press("ArrowDown");
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe("SELECT");
  expect(await axeViolations(page)).toEqual([]);
}, 60_000);

it("is a plain select without JavaScript", async () => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await page.goto(`${server.url}/s/${SLUG}/sign`);
  expect(await page.getByRole("searchbox").count()).toBe(0);
  expect(await page.getByLabel("Country", { exact: true }).locator("option").count()).toBeGreaterThan(150);
}, 60_000);
