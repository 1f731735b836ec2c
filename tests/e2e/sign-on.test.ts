// An organisation signs an open statement, confirms from the link in the captured
// email, a coordinator approves it, and the name takes its alphabetical place on the
// public page. Real server, real database file, real Chromium.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { nameKey } from "../../app/models/name-matching.server";
import { launchBrowser, signInAsDemoCoordinator, watchPolicyViolations } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let browser: Browser;
const SLUG = "e2e-open-statement";

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  // An open statement with two approved signatories, written straight into the
  // server's database file (WAL lets two processes share it).
  const db = openDatabase(server.databasePath);
  try {
    const statement = await db
      .insertInto("statements")
      .values({ slug: SLUG, title: "Protect the Court", statement_date: "2025-01-14", status: "open", body_markdown: "We stand with the **Court**.", lead_in: "The undersigned:" })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const name of ["Amnesty International", "Zarga Organisation for Rural Development"]) {
      await db.insertInto("signatures").values({ statement_id: statement.id, organisation_name: name, name_key: nameKey(name), status: "approved", source: "import" }).execute();
    }
  } finally {
    await db.destroy();
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});


it("sign on, confirm from the mailbox, approve, and appear in order", async () => {
  // The organisation's contact, on the public page.
  const contact = await (await browser.newContext()).newPage();
  const refused = watchPolicyViolations(contact);
  await contact.goto(`${server.url}/s/${SLUG}`);
  await contact.getByRole("link", { name: /Sign this statement/i }).click();
  await contact.getByLabel("Organisation name").fill("Human Rights Watch");
  await contact.getByLabel("Acronym (optional)").fill("HRW");
  await contact.getByLabel("Country").selectOption("US");
  await contact.getByLabel("Contact person").fill("Rita Reviewer");
  await contact.getByLabel("Their title").fill("Advocacy Director");
  await contact.getByLabel("Email", { exact: true }).fill("rita@hrw.example");
  await contact.getByRole("checkbox").check();
  await contact.getByRole("button", { name: "Sign the statement" }).click();
  await contact.getByText("We have sent a link to the email address you gave").waitFor();

  // Not listed before it is confirmed and approved.
  await contact.goto(`${server.url}/s/${SLUG}`);
  expect(await contact.locator("main").textContent()).not.toContain("Human Rights Watch");

  // The coordinator finds the verification email in the Mailbox sandbox.
  const coordinator = await (await browser.newContext()).newPage();
  const coordinatorRefused = watchPolicyViolations(coordinator);
  await signInAsDemoCoordinator(coordinator, server.url, DEMO_PASSWORD);
  await coordinator.goto(server.url + "/mailbox");
  await coordinator.getByRole("link", { name: /confirm your organisation's signature/i }).first().click();
  const verifyUrl = await coordinator.locator('a[href*="/signatures/verify/"]').first().getAttribute("href");
  expect(verifyUrl).toBeTruthy();

  // The contact confirms.
  await contact.goto(verifyUrl!);
  await contact.getByRole("button", { name: "Confirm the signature" }).click();
  await contact.getByText(/confirmed|thank/i).first().waitFor();

  // The coordinator approves it from the moderation queue.
  await coordinator.goto(`${server.url}/statements/${SLUG}/moderation`);
  await coordinator.getByRole("button", { name: "Approve Human Rights Watch" }).click();
  await coordinator.getByRole("heading", { name: /Waiting for approval \(0\)/ }).waitFor();

  // The next public request shows it, between its alphabetical neighbours.
  await contact.goto(`${server.url}/s/${SLUG}`);
  const text = (await contact.locator("main").textContent()) ?? "";
  const positions = ["Amnesty International", "Human Rights Watch", "Zarga Organisation for Rural Development"].map((n) => text.indexOf(n));
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect(positions).toEqual([...positions].sort((a, b) => a - b));
  // Both people's pages ran under the Content-Security-Policy without a refusal.
  expect([...refused, ...coordinatorRefused]).toEqual([]);
}, 90_000);
