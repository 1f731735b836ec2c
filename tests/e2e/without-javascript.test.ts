// The pages people reach from an email link, in a browser with JavaScript turned off
// (as some organisations' locked-down machines are): sign on, confirm the signature,
// withdraw it, and accept an invitation. Each is a plain form POST, which must carry a
// real Origin for the cross-site check (a "no-referrer" page policy would make it "null").
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { launchBrowser, signInAsDemoCoordinator } from "../setup/browser";
import { addOpenStatement, DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

const SLUG = "no-script-statement";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await addOpenStatement(server.databasePath, SLUG, "Without scripts");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const noScript = async (): Promise<Page> => (await browser.newContext({ javaScriptEnabled: false })).newPage();

/** The links of the newest captured message sent to `address`. */
async function linksMailedTo(address: string): Promise<string[]> {
  const db = openDatabase(server.databasePath);
  try {
    const row = await db.selectFrom("mailbox_messages").select("text_body").where("to_addresses", "like", `%${address}%`).orderBy("id", "desc").executeTakeFirstOrThrow();
    return [...(row.text_body ?? "").matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
  } finally {
    await db.destroy();
  }
}

it("signs on, confirms and withdraws with JavaScript off", async () => {
  const page = await noScript();
  await page.goto(`${server.url}/s/${SLUG}/sign`);
  await page.getByLabel("Organisation name").fill("Plain Forms Foundation");
  await page.getByLabel("Country").selectOption("NO");
  await page.getByLabel("Contact person").fill("Per Plain");
  await page.getByLabel("Their title").fill("Director");
  await page.getByLabel("Email", { exact: true }).fill("per@plain.example");
  await page.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Sign the statement" }).click();
  await page.getByText("We have sent a link to the email address you gave").waitFor();

  const links = await linksMailedTo("per@plain.example");
  await page.goto(links.find((l) => l.includes("/signatures/verify/"))!);
  await page.getByRole("button", { name: "Confirm the signature" }).click();
  await page.getByText(/confirmed|thank/i).first().waitFor();
  expect(await page.locator("main").textContent()).not.toMatch(/another site|not submitted from a Demarche page/);

  await page.goto(links.find((l) => l.includes("/signatures/withdraw/"))!);
  await page.getByRole("button", { name: "Withdraw the signature" }).click();
  await page.getByText(/withdrawn/i).first().waitFor();
  expect(await page.locator("main").textContent()).not.toMatch(/another site|not submitted from a Demarche page/);
}, 60_000);

it("accepts an invitation with JavaScript off", async () => {
  const coordinator = await (await browser.newContext()).newPage();
  await signInAsDemoCoordinator(coordinator, server.url, DEMO_PASSWORD);
  await coordinator.goto(server.url + "/people");
  const invite = coordinator.locator("form", { has: coordinator.locator('input[name="intent"][value="invite"]') });
  await invite.getByLabel("Name").fill("Nora Noscript");
  await invite.getByLabel("Email").fill("nora@noscript.example");
  await invite.getByLabel("Role").selectOption("coordinator");
  await invite.getByRole("button").click();
  await coordinator.getByText("nora@noscript.example").first().waitFor();

  const page = await noScript();
  await page.goto((await linksMailedTo("nora@noscript.example")).find((l) => l.includes("/invitations/"))!);
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByLabel("Repeat password").fill("a long enough password");
  await page.getByRole("button", { name: "Create my account" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/invitations/"));
  expect(await page.locator("body").textContent()).toContain("Nora Noscript");
}, 60_000);
