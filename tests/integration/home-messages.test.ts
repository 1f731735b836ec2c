// The start page lists the letters that need a person (failed, uncertain): each user
// sees only what they may act on, and the server's reason is shown as text.
import { beforeAll, expect, it } from "vitest";
import HomePage, { loader as homeLoader } from "~/routes/_index";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { renderPage } from "../setup/render-page";
import { insertDispatch, insertLetter } from "../setup/outreach-records";
import { createOrganisation, createUser, getRequest, sessionCookie } from "../factories";

let db: DB;
let nhcMember: string;
let otherMember: string;
let coordinator: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "home-messages-password", DEMO_API_TOKEN: undefined });
  const nhc = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  const other = (await createOrganisation(db, { name: "Svenska Helsingforskommittén" })).id;
  const statement = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  const nhcLetter = await insertLetter(db, statement, "NO", nhc);
  const otherLetter = await insertLetter(db, statement, "SE", other);
  await insertDispatch(db, { statement_id: statement, country_code: "NO", organisation_id: nhc, letter_id: nhcLetter, status: "failed", last_error: "The mail server refused the message (550): <b>no such user</b>" });
  await insertDispatch(db, { statement_id: statement, country_code: "SE", organisation_id: other, letter_id: otherLetter, status: "uncertain", last_error: "The app stopped while this message was with the mail server." });
  await insertDispatch(db, { statement_id: statement, country_code: "NO", organisation_id: nhc, status: "failed", kind: "test", last_error: "a test message, not a letter" });
  nhcMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: nhc })).id);
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: other })).id);
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
});

// React marks text boundaries with empty comments; drop them to read the page as text.
const home = async (cookie?: string) => (await renderPage("/", getRequest("/", cookie), HomePage, homeLoader)).html.replace(/<!-- -->/g, "");

it("shows a member only its own organisation's failed letter, with the reason as text", async () => {
  const html = await home(nhcMember);
  expect(html).toContain("Letters that need you");
  expect(html).toContain("Letter to Norway");
  expect(html).toContain("&lt;b&gt;no such user&lt;/b&gt;");
  expect(html).not.toContain("Letter to Sweden");
  expect(html).not.toContain("a test message, not a letter");
});

it("shows the other member its uncertain letter, and a coordinator both", async () => {
  const other = await home(otherMember);
  expect(other).toContain("Letter to Sweden");
  expect(other).not.toContain("Letter to Norway");
  const all = await home(coordinator);
  expect(all).toContain("Letter to Sweden");
  expect(all).toContain("Letter to Norway");
});

it("shows nothing of it to a visitor", async () => {
  expect(await home()).not.toContain("Letters that need you");
});
