// A coordinator invites a colleague, the invitation arrives in the Mailbox sandbox,
// the colleague accepts it and signs in as a member, and a coordinator-only page
// refuses them. Real server, real database file, real Chromium.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, signIn, signInAsDemoCoordinator } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

let server: RunningServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("invite a member, accept from the Mailbox, and be refused a coordinator page", async () => {
  const coordinator = await browser.newPage();
  await signInAsDemoCoordinator(coordinator, server.url, DEMO_PASSWORD);
  await expect(coordinator.getByTestId("mail-mode").textContent()).resolves.toMatch(/sandbox/i);

  await coordinator.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" }).click();
  const invite = coordinator.locator("form", { has: coordinator.getByRole("button", { name: "Send invitation" }) });
  await invite.getByLabel("Name").fill("Maria Member");
  await invite.getByLabel("Email").fill("maria@example.org");
  await invite.getByLabel("Role").selectOption("member");
  await invite.getByLabel("Organisation").selectOption({ label: "Norwegian Helsinki Committee" });
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await coordinator.getByText("Invitation sent to maria@example.org").waitFor();

  await coordinator.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Mailbox" }).click();
  await coordinator.getByRole("link", { name: /invit/i }).first().click();
  await coordinator.getByText("maria@example.org").first().waitFor();
  const acceptUrl = await coordinator.locator('a[href*="/invitations/"]').first().getAttribute("href");
  expect(acceptUrl).toMatch(/\/invitations\/[A-Za-z0-9_-]{20,}$/);

  // The colleague opens the link in their own browser.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(acceptUrl!);
  await member.getByRole("heading", { name: /Welcome to Demarche, Maria Member/ }).waitFor();
  await member.getByLabel("Password", { exact: true }).fill("maria's long password");
  await member.getByLabel("Repeat password").fill("maria's long password");
  await member.getByRole("button", { name: "Create my account" }).click();
  await member.waitForURL(server.url + "/?welcome=1");
  await member.getByText("Your account is ready").waitFor();
  await member.getByRole("link", { name: "Maria Member" }).waitFor();

  // Signed in as a member: the coordinator pages refuse, on the server.
  const people = await member.goto(server.url + "/people");
  expect(people?.status()).toBe(403);
  await expect(member.locator("main").textContent()).resolves.toMatch(/Only coordinators/);
  // The Mailbox shows a member only their organisation's letters: not the invitation.
  const mailbox = await member.goto(server.url + "/mailbox");
  expect(mailbox?.status()).toBe(200);
  await expect(member.locator("main").textContent()).resolves.not.toMatch(/invit/i);

  // The link was single-use.
  const reused = await member.goto(acceptUrl!);
  expect(reused?.status()).toBe(410);

  // The member can sign out and back in with the new password.
  await member.goto(server.url + "/");
  await member.getByRole("button", { name: "Sign out" }).click();
  // Wait for the signed-out page: navigating away earlier would abort the sign-out.
  await member.getByRole("banner").getByRole("link", { name: "Sign in" }).waitFor();
  await signIn(member, server.url, "maria@example.org", "maria's long password");
  await memberContext.close();
}, 90_000);
