// The letter pages and the letters API through their real loaders and actions, on the
// seeded demo (NHC, Norway's recipients, the saved Norway letter): who gets in, what a
// refused form gets back (beside the fields, values kept), the printable preview's
// policy, regeneration, the API's shapes and 401/403/404, and hostile input.
import { beforeAll, describe, expect, it } from "vitest";
import { renderPage, type RouteFn } from "../setup/render-page";
import ListPage, { loader as listLoader } from "~/routes/letters._index";
import NewPage, { action as newAction, loader as newLoader } from "~/routes/letters.new";
import LetterPage, { action as letterAction, loader as letterLoader } from "~/routes/letters.$id._index";
import { loader as previewLoader } from "~/routes/letters.$id.preview";
import { loader as emailHtmlLoader } from "~/routes/letters.$id.email[.]html";
import { loader as apiListLoader } from "~/routes/api.letters._index";
import { loader as apiTextLoader } from "~/routes/api.letters.$id[.]txt";
import { loader as apiHtmlLoader } from "~/routes/api.letters.$id[.]html";
import { createApiToken } from "~/models/api-token.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let nhcId: number;
let nhcSigners: string[];
let statementId: number;
let demoId: number;
let coordinator: string;
let nhcMember: string;
let otherMember: string;
let other: { id: number; signer: number };
let memberToken: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letters-routes-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => String(s.id));
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  demoId = (await db.selectFrom("letters").select("id").where("organisation_id", "=", nhcId).executeTakeFirstOrThrow()).id;
  const org = await createOrganisation(db, { name: "Svenska Helsingforskommittén", city: "Stockholm" });
  other = { id: org.id, signer: (await db.insertInto("signers").values({ organisation_id: org.id, name: "Anna Svensson", title: "Director" }).returning("id").executeTakeFirstOrThrow()).id };
  await db.insertInto("recipients").values({ country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud@gov.se", salutation: "Dear Minister,", language: "en", kind: "addressee", checked_on: "2026-11-01" }).execute();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const member = await createUser(db, { role: "member", organisationId: nhcId });
  nhcMember = await sessionCookie(db, member.id);
  memberToken = await createApiToken(db, member, "test", null);
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
});

const form = (extra: Record<string, string | string[]> = {}) => ({
  statementId: String(statementId), countryCode: "NO", organisationId: String(nhcId), signerIds: nhcSigners, place: "Oslo", date: "2025-01-14", language: "en", subject: "", ownParagraph: "", ...extra,
});
const create = (cookie: string, extra: Record<string, string | string[]> = {}) => settle(call(newAction, postRequest("/letters/new", form(extra), cookie)));
const count = async () => Number((await db.selectFrom("letters").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const idFrom = (location: string | null) => Number(/^\/letters\/(\d+)\?done=created$/.exec(location ?? "")?.[1]);
const api = (fn: typeof apiTextLoader, path: string, id: string, headers: { cookie?: string; token?: string } = {}) =>
  settle(call(fn, getRequest(path, headers.cookie, headers.token ? { Authorization: `Bearer ${headers.token}` } : {}), { id }));

type Fn = RouteFn;
const render = renderPage;

describe("access", () => {
  it("sends anonymous visitors to the login page and writes nothing for them", async () => {
    const pages: [string, Fn, Record<string, string>][] = [
      ["/letters", listLoader, {}], ["/letters/new", newLoader, {}], [`/letters/${demoId}`, letterLoader, { id: String(demoId) }], [`/letters/${demoId}/preview`, previewLoader, { id: String(demoId) }],
    ];
    for (const [path, loader, params] of pages) {
      const res = await settle(call(loader, getRequest(path), params));
      expect([res.status, res.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(path)}`]);
    }
    const before = await count();
    expect((await settle(call(newAction, postRequest("/letters/new", form())))).status).toBe(302);
    expect(await count()).toBe(before);
  });

  it("shows a letter to its organisation's members and coordinators; 403 to others, 404 for unknown ids", async () => {
    expect((await settle(call(letterLoader, getRequest(`/letters/${demoId}`, nhcMember), { id: String(demoId) }))).status).toBe(200);
    expect((await settle(call(letterLoader, getRequest(`/letters/${demoId}`, coordinator), { id: String(demoId) }))).status).toBe(200);
    expect((await settle(call(letterLoader, getRequest(`/letters/${demoId}`, otherMember), { id: String(demoId) }))).status).toBe(403);
    expect((await settle(call(previewLoader, getRequest(`/letters/${demoId}/preview`, otherMember), { id: String(demoId) }))).status).toBe(403);
    expect((await settle(call(letterLoader, getRequest("/letters/999999", coordinator), { id: "999999" }))).status).toBe(404);
    expect((await settle(call(letterAction, postRequest(`/letters/${demoId}`, { intent: "regenerate" }, otherMember), { id: String(demoId) }))).status).toBe(403);
  });
});

describe("writing a letter", () => {
  it("lets an NHC member write to Norway, and offers only the countries NHC covers", async () => {
    const page = await settle(call(newLoader, getRequest("/letters/new", nhcMember)));
    expect(page.body.countries).toEqual([{ code: "NO", name: "Norway" }]);
    expect(page.body.senders.map((s: { id: number }) => s.id)).toEqual([nhcId]);
    const res = await create(nhcMember, { place: "", language: "" });
    expect(res.status).toBe(302);
    const saved = await db.selectFrom("letters").selectAll().where("id", "=", idFrom(res.headers.get("Location"))).executeTakeFirstOrThrow();
    expect([saved.place, saved.language, JSON.parse(saved.signer_ids).map(String)]).toEqual(["Oslo", "en", nhcSigners]);
  });

  it("refuses an NHC member Sweden beside the field, keeping the values", async () => {
    const before = await count();
    const res = await create(nhcMember, { countryCode: "SE", subject: "Kept subject" });
    expect(res.status).toBe(400);
    expect(res.body.errors.countryCode[0]).toMatch(/does not cover Sweden/);
    expect([res.body.values.subject, res.body.signerIds]).toEqual(["Kept subject", nhcSigners]);
    expect(await count()).toBe(before);
    const { html } = await render("/letters/new", postRequest("/letters/new", form({ countryCode: "SE", subject: "Kept subject" }), nhcMember), NewPage, newLoader, newAction);
    expect(html).toMatch(/aria-invalid="true"[^>]*name="countryCode"|name="countryCode"[^>]*aria-invalid="true"/);
    expect(html).toContain("does not cover Sweden");
    expect(html).toContain('value="Kept subject"');
  });

  it("refuses a form with no signer and a bad date, beside the fields", async () => {
    const res = await create(nhcMember, { signerIds: [], date: "2025-02-30" });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(["date", "signerIds"]);
  });

  it("lets a coordinator write for any organisation to any country", async () => {
    const res = await create(coordinator, { countryCode: "SE", organisationId: String(other.id), signerIds: [String(other.signer)], place: "" });
    expect(res.status).toBe(302);
    const saved = await db.selectFrom("letters").selectAll().where("id", "=", idFrom(res.headers.get("Location"))).executeTakeFirstOrThrow();
    expect([saved.country_code, saved.organisation_id, saved.place]).toEqual(["SE", other.id, "Stockholm"]);
  });
});

describe("the letter pages", () => {
  it("lists letters with an out-of-date badge, and regenerates from the letter page", async () => {
    const id = idFrom((await create(nhcMember)).headers.get("Location"));
    await db.updateTable("recipients").set({ title: "Minister of Foreign Affairs", updated_at: new Date().toISOString() }).where("country_code", "=", "NO").where("kind", "=", "addressee").execute();
    const list = await render("/letters", getRequest("/letters?country=NO", nhcMember), ListPage, listLoader);
    expect(list.html).toContain("out of date");
    expect(list.html).not.toContain("Stockholm");
    const page = await render("/letters/:id", getRequest(`/letters/${id}`, nhcMember), LetterPage, letterLoader);
    expect(page.html).toContain("This letter is out of date");
    expect(page.html).toContain("the country&#x27;s recipient list");
    expect(page.html).toContain("<pre");
    const res = await settle(call(letterAction, postRequest(`/letters/${id}`, { intent: "regenerate" }, nhcMember), { id: String(id) }));
    expect([res.status, res.headers.get("Location")]).toEqual([302, `/letters/${id}?done=regenerated`]);
    const after = await settle(call(letterLoader, getRequest(`/letters/${id}`, nhcMember), { id: String(id) }));
    expect(after.body.outOfDate).toBe(false);
    expect(after.body.letter.text).toContain("Minister of Foreign Affairs");
  });

  it("serves the printable preview as a standalone document that may run no script", async () => {
    const res = await settle(call(previewLoader, getRequest(`/letters/${demoId}/preview`, nhcMember), { id: String(demoId) }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'.*sandbox/);
    expect(res.body).toMatch(/^<!DOCTYPE html>/);
    expect(res.body).toContain("@page { size: A4");
  });

  it("serves the covering email's HTML part as sent, under the same policy, to the sender's members only", async () => {
    const res = await settle(call(emailHtmlLoader, getRequest(`/letters/${demoId}/email.html`, nhcMember), { id: String(demoId) }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'.*sandbox/);
    const letter = await db.selectFrom("letters").select("rendered_email_html").where("id", "=", demoId).executeTakeFirstOrThrow();
    expect(res.body).toBe(letter.rendered_email_html);
    expect((await settle(call(emailHtmlLoader, getRequest(`/letters/${demoId}/email.html`, otherMember), { id: String(demoId) }))).status).toBe(403);
  });
});

describe("the API", () => {
  it("lists the letters the caller may see, in the documented shape", async () => {
    expect((await api(apiListLoader, "/api/letters", "")).status).toBe(401);
    expect((await api(apiListLoader, "/api/letters", "", { token: "nope" })).status).toBe(401);
    const mine = await api(apiListLoader, "/api/letters", "", { token: memberToken });
    expect(mine.status).toBe(200);
    expect(mine.body.every((l: { sender: { id: number } }) => l.sender.id === nhcId)).toBe(true);
    expect(mine.body.find((l: { id: number }) => l.id === demoId)).toEqual({
      id: demoId,
      statement: { id: statementId, slug: DEMO_STATEMENT_SLUG, title: expect.any(String) },
      country: { code: "NO", name: "Norway" },
      sender: { id: nhcId, name: "Norwegian Helsinki Committee" },
      date: "2025-01-14",
      language: "en",
      status: "draft",
      outOfDate: expect.any(Boolean),
    });
    const all = await api(apiListLoader, "/api/letters", "", { cookie: coordinator });
    expect(all.body.some((l: { sender: { id: number } }) => l.sender.id === other.id)).toBe(true);
  });

  it("serves a letter's text and HTML; 401 without credentials, 403 to another organisation, 404 unknown", async () => {
    const txt = await api(apiTextLoader, `/api/letters/${demoId}.txt`, String(demoId), { token: memberToken });
    expect([txt.status, txt.headers.get("Content-Type")]).toEqual([200, "text/plain; charset=utf-8"]);
    expect(txt.body).toContain("124 other ICC states parties");
    const html = await api(apiHtmlLoader, `/api/letters/${demoId}.html`, String(demoId), { cookie: nhcMember });
    expect([html.status, html.headers.get("Content-Security-Policy")]).toEqual([200, expect.stringContaining("sandbox")]);
    expect(html.body).toContain("Civil society urges States to oppose ICC sanctions");
    for (const fn of [apiTextLoader, apiHtmlLoader]) {
      expect((await api(fn, `/api/letters/${demoId}.txt`, String(demoId))).status).toBe(401);
      const forbidden = await api(fn, `/api/letters/${demoId}.txt`, String(demoId), { cookie: otherMember });
      expect([forbidden.status, typeof forbidden.body.error]).toEqual([403, "string"]);
      expect((await api(fn, "/api/letters/999999.txt", "999999", { cookie: coordinator })).status).toBe(404);
    }
  });
});

describe("hostile input", () => {
  it("stores a paragraph with a script and CRLF as text and escapes it in HTML", async () => {
    const res = await create(nhcMember, { ownParagraph: "We <script>alert(1)</script> insist.\r\nCC: evil@example.com", subject: "<b>Bold</b> subject" });
    expect(res.status).toBe(302);
    const id = idFrom(res.headers.get("Location"));
    const saved = await db.selectFrom("letters").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(saved.own_paragraph).toBe("We <script>alert(1)</script> insist.\nCC: evil@example.com");
    const html = await api(apiHtmlLoader, `/api/letters/${id}.html`, String(id), { cookie: nhcMember });
    expect(html.body).not.toMatch(/<script|<b>/i);
    expect(html.body).toContain("We &lt;script&gt;alert(1)&lt;/script&gt; insist.");
    const page = await render("/letters/:id", getRequest(`/letters/${id}`, nhcMember), LetterPage, letterLoader);
    expect(page.html).not.toMatch(/<script>alert/);
    const txt = await api(apiTextLoader, `/api/letters/${id}.txt`, String(id), { cookie: nhcMember });
    expect(txt.body).toContain("We <script>alert(1)</script> insist.\nCC: evil@example.com");
  });
});
