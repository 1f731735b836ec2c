// Every page on a 390 px wide phone screen, as the public, a member and a coordinator see
// it: nothing sticks out sideways (a wide table scrolls inside itself), and axe-core finds
// no WCAG 2 A/AA violation. Real server and database, real Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { openDatabase } from "../../db/connection";
import { hashPassword } from "../../app/platform/password.server";
import { axeViolations, launchBrowser, sidewaysOverflow, signIn, signInAsDemoCoordinator } from "../setup/browser";
import { DEMO_PASSWORD, startServer, type RunningServer } from "../setup/server";

const SLUG = "oppose-sanctions-icc-2025";
const MEMBER = { email: "phone@nhc.example", password: "member password for the phone check" };
let server: RunningServer;
let browser: Browser;
let letterId = 0;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = openDatabase(server.databasePath);
  try {
    const nhc = await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
    await db.insertInto("users").values({ email: MEMBER.email, name: "Phone Member", role: "member", organisation_id: nhc.id, password_hash: await hashPassword(MEMBER.password) }).execute();
    letterId = (await db.selectFrom("letters").select("id").orderBy("id").executeTakeFirstOrThrow()).id;
  } finally {
    await db.destroy();
  }
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
}

/** Visits each path and lists, per path, what sticks out or what axe found. */
async function problems(page: Page, paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const res = await page.goto(server.url + path);
    if (res?.status() !== 200) { found.push(`${path}: HTTP ${res?.status()}`); continue; }
    const over = await sidewaysOverflow(page);
    if (over > 0) found.push(`${path}: ${over} px wider than the screen`);
    for (const v of await axeViolations(page)) found.push(`${path}: ${v}`);
  }
  return found;
}

describe("on a 390 px phone screen", () => {
  it("the public pages fit and pass axe", async () => {
    const page = await phone();
    expect(await problems(page, ["/login", `/s/${SLUG}`, `/s/${SLUG}/sign`])).toEqual([]);
  }, 60_000);

  it("a coordinator's pages fit and pass axe", async () => {
    const page = await phone();
    await signInAsDemoCoordinator(page, server.url, DEMO_PASSWORD);
    const paths = [
      "/", "/statements", "/statements/new", `/statements/${SLUG}`, `/statements/${SLUG}/edit`, `/statements/${SLUG}/moderation`,
      `/statements/${SLUG}/outreach`, `/statements/${SLUG}/outreach/NO`, "/countries", "/countries/NO", "/countries/NO/recipients",
      "/letters", "/letters/new", "/letters/bulk", `/letters/${letterId}`, "/organisations", "/organisations/new", "/outbox", "/mailbox",
      "/people", "/coverage", "/templates", "/account", "/audit",
    ];
    expect(await problems(page, paths)).toEqual([]);
  }, 120_000);

  it("a member's pages fit and pass axe", async () => {
    const page = await phone();
    await signIn(page, server.url, MEMBER.email, MEMBER.password);
    expect(await problems(page, ["/", "/letters", "/letters/new", `/letters/${letterId}`, `/statements/${SLUG}/outreach`, "/countries/NO/recipients", "/outbox", "/mailbox"])).toEqual([]);
  }, 90_000);
});
