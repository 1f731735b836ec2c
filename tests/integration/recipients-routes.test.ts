// The recipient pages and the coverage view through their real loaders and actions:
// who gets in (anonymous, a member of NHC on Norway and Sweden, coordinators), what a
// bad form gets back, hostile input rendered as text, CSV import and export over the
// wire, and the coverage view's date field. Demo data: the seed's organisations and
// Norway's five recipients, assigned to the Norwegian Helsinki Committee.
import { beforeAll, describe, expect, it } from "vitest";
import { renderPage, type RouteFn } from "../setup/render-page";
import ListPage, { action as listAction, loader as listLoader } from "~/routes/countries.$code_.recipients._index";
import { action as editAction, loader as editLoader } from "~/routes/countries.$code_.recipients.$recipientId";
import ImportPage, { action as importAction, loader as importLoader } from "~/routes/countries.$code_.recipients.import";
import { loader as exportLoader } from "~/routes/countries.$code_.recipients.export";
import CoveragePage, { loader as coverageLoader } from "~/routes/coverage";
import type { DB } from "~/platform/db.server";
import { loadDemoOrganisations } from "../../app/workflows/seed/organisations.server";
import { loadDemoRecipients } from "../../app/workflows/seed/recipients.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

const BASE = "http://127.0.0.1:3000";
let db: DB;
let nhcId: number;
let coordinator: string;
let nhcMember: string;
let otherMember: string;

beforeAll(async () => {
  db = await migratedDb();
  ({ nhcId } = await db.transaction().execute(async (trx) => {
    const ids = await loadDemoOrganisations(trx);
    await loadDemoRecipients(trx, { nhcId: ids.nhcId });
    return ids;
  }));
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  nhcMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: nhcId })).id);
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: (await createOrganisation(db)).id })).id);
});

const today = () => new Date().toISOString().slice(0, 10);
const recipients = (code: string) => db.selectFrom("recipients").selectAll().where("country_code", "=", code).orderBy("kind").orderBy("position").execute();
const count = async (table: "recipients" | "audit_log" | "organisation_countries") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const fields = (extra: Record<string, string> = {}) => ({
  intent: "add", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", institution: "Ministry for Foreign Affairs", email: "ud.registrator@gov.se",
  kind: "addressee", salutation: "Dear Minister Malmer Stenergard,", language: "en", checked_on: today(), ...extra,
});
const list = (code: string, cookie?: string) => settle(call(listLoader, getRequest(`/countries/${code}/recipients`, cookie), { code }));
const post = (code: string, body: Record<string, string>, cookie: string) => settle(call(listAction, postRequest(`/countries/${code}/recipients`, body, cookie), { code }));

type Fn = RouteFn;
const render = renderPage;

describe("access", () => {
  it("sends anonymous visitors to the login page, and lets no anonymous post through", async () => {
    for (const path of ["/countries/NO/recipients", "/countries/NO/recipients/export", "/coverage?on=2025-01-14"]) {
      const loader: Fn = path.endsWith("export") ? exportLoader : path.startsWith("/coverage") ? coverageLoader : listLoader;
      const res = await settle(call(loader, getRequest(path), { code: "NO" }));
      expect([res.status, res.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(path)}`]);
    }
    const before = await count("recipients");
    expect((await settle(call(listAction, postRequest("/countries/NO/recipients", fields()), { code: "NO" }))).status).toBe(302);
    expect(await count("recipients")).toBe(before);
  });

  it("lets every signed-in user read a list, people in it only where they write (ADR 0014); only editors are offered the forms", async () => {
    const read = await list("NO", otherMember);
    expect(read.status).toBe(200);
    // A member of another organisation sees the roles, not the people.
    const seen = read.body.recipients as { name: string | null; email: string | null; salutation: string | null; title: string }[];
    expect(seen).toHaveLength(5);
    expect(seen.every((r) => r.name === null && r.email === null && r.salutation === null)).toBe(true);
    expect(seen[0].title).toBe("Foreign Minister of Norway");
    expect(read.body.details).toBe(false);
    const full = await list("NO", nhcMember);
    expect(full.body.details).toBe(true);
    expect(full.body.recipients.map((r: { name: string }) => r.name)).toEqual(["Espen Barth Eide", "Emilie Enger Mehl", "Andreas Motzfeldt Kravik", "Monica Furnes", "Herborg Fiskaa Alvsåker"]);
    expect(read.body.organisations.map((o: { name: string }) => o.name)).toEqual(["Norwegian Helsinki Committee"]);
    expect([read.body.canEdit, read.body.coordinator, read.body.assignable]).toEqual([false, false, []]);
    expect((await list("NO", nhcMember)).body.canEdit).toBe(true);
    expect((await list("SE", nhcMember)).body.canEdit).toBe(false);
    expect((await list("ZZ", nhcMember)).status).toBe(404);
  });

  it("lets a member of NHC edit Norway, and refuses Sweden with 403, writing nothing", async () => {
    const added = await post("NO", fields({ name: "Jonas Gahr Støre", title: "Prime Minister", kind: "copy", salutation: "", email: "postmottak@smk.dep.no" }), nhcMember);
    expect([added.status, added.headers.get("Location")]).toEqual([302, "/countries/NO/recipients?done=added"]);
    const store = (await recipients("NO")).find((r) => r.name === "Jonas Gahr Støre")!;
    expect([store.kind, store.position]).toEqual(["copy", 4]);
    const edited = await settle(call(editAction, postRequest(`/countries/NO/recipients/${store.id}`, { ...fields({ name: "Jonas Gahr Støre", title: "Prime Minister of Norway", kind: "copy", salutation: "" }) }, nhcMember), { code: "NO", recipientId: String(store.id) }));
    expect([edited.status, edited.headers.get("Location")]).toEqual([302, "/countries/NO/recipients?done=updated"]);
    expect((await post("NO", { intent: "remove", recipientId: String(store.id) }, nhcMember)).status).toBe(302);

    const before = [await count("recipients"), await count("audit_log")];
    expect((await post("SE", fields(), nhcMember)).status).toBe(403);
    expect((await post("SE", { intent: "check-all" }, nhcMember)).status).toBe(403);
    expect((await settle(call(importLoader, getRequest("/countries/SE/recipients/import", nhcMember), { code: "SE" }))).status).toBe(403);
    // Norway's recipient, addressed through Sweden's page, is not found there either.
    const norway = (await recipients("NO"))[0];
    expect((await settle(call(editLoader, getRequest(`/countries/SE/recipients/${norway.id}`, nhcMember), { code: "SE", recipientId: String(norway.id) }))).status).toBe(403);
    expect((await settle(call(editLoader, getRequest(`/countries/NO/recipients/${norway.id}`, otherMember), { code: "NO", recipientId: String(norway.id) }))).status).toBe(403);
    expect([await count("recipients"), await count("audit_log")]).toEqual(before);
  });

  it("lets only coordinators assign organisations, and the assignment opens the country to its members", async () => {
    const org = (await db.selectFrom("organisations").select("id").where("acronym", "=", "NHC").executeTakeFirstOrThrow()).id;
    expect((await post("SE", { intent: "assign", organisationId: String(org) }, nhcMember)).status).toBe(403);
    const assigned = await post("SE", { intent: "assign", organisationId: String(org) }, coordinator);
    expect([assigned.status, assigned.headers.get("Location")]).toEqual([302, "/countries/SE/recipients?done=assigned#organisations"]);
    expect((await list("SE", nhcMember)).body.canEdit).toBe(true);
    expect((await post("SE", { intent: "unassign", organisationId: String(org) }, coordinator)).status).toBe(302);
    expect((await post("SE", fields(), nhcMember)).status).toBe(403);
    const none = await post("SE", { intent: "assign", organisationId: "" }, coordinator);
    expect([none.status, none.body.errors.organisationId]).toEqual([400, ["Choose an organisation."]]);
  });
});

describe("the forms", () => {
  const bad: [string, Record<string, string>, string][] = [
    ["CRLF in the name", { name: "Eve\r\nBcc: victim@example.org" }, "name"],
    ["an invalid email", { email: "ud.registrator at gov.se" }, "email"],
    ["an unknown language", { language: "xx" }, "language"],
    ["an addressee without salutation", { salutation: "" }, "salutation"],
    ["an impossible date", { checked_on: "2025-02-30" }, "checked_on"],
    ["an unknown kind", { kind: "bcc" }, "kind"],
  ];
  it.each(bad)("answers %s with 400, the error beside the field and the values kept, writing nothing", async (_, extra, field) => {
    const before = [await count("recipients"), await count("audit_log")];
    const res = await post("NO", fields(extra), coordinator);
    expect(res.status).toBe(400);
    expect(res.body.errors[field]?.length).toBeGreaterThan(0);
    expect(res.body.values).toMatchObject(fields(extra));
    expect([await count("recipients"), await count("audit_log")]).toEqual(before);
  });

  it("shows the error beside its field and keeps what was typed", async () => {
    const { status, html } = await render("/countries/:code/recipients", postRequest("/countries/NO/recipients", fields({ email: "nope", name: "Kept Name" }), coordinator), ListPage, listLoader, listAction);
    expect(status).toBe(400);
    expect(html).toMatch(/<input[^>]*aria-invalid="true"[^>]*name="email"|<input[^>]*name="email"[^>]*aria-invalid="true"/);
    expect(html).toContain("must be a valid email address");
    expect(html).toContain('value="Kept Name"');
  });

  it("stores HTML verbatim and shows it as text; flags stale entries", async () => {
    expect((await post("NO", fields({ name: "<script>alert(1)</script>", kind: "copy", salutation: "<b>x</b>" }), coordinator)).status).toBe(302);
    const { html } = await render("/countries/:code/recipients", getRequest("/countries/NO/recipients", nhcMember), ListPage, listLoader);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert");
    // The demo entries were checked on the letter's date, 14 January 2025: long ago by now.
    expect(html).toContain("not checked since 14 January 2025; ministers change");
    expect(html).toContain("Foreign Minister Espen Barth Eide,");
  });

  it("marks entries checked today and reorders them", async () => {
    const copies = async () => (await recipients("NO")).filter((r) => r.kind === "copy").map((r) => r.id);
    const [first, second] = await copies();
    expect((await post("NO", { intent: "move", recipientId: String(second), direction: "up" }, nhcMember)).status).toBe(302);
    expect((await copies()).slice(0, 2)).toEqual([second, first]);
    expect((await post("NO", { intent: "move", recipientId: String(second), direction: "down" }, nhcMember)).status).toBe(302);
    expect((await copies()).slice(0, 2)).toEqual([first, second]);
    expect((await post("NO", { intent: "move", recipientId: "abc", direction: "up" }, nhcMember)).status).toBe(400);
    expect((await post("NO", { intent: "check-all" }, nhcMember)).status).toBe(302);
    expect(new Set((await recipients("NO")).map((r) => r.checked_on))).toEqual(new Set([today()]));
    expect((await list("NO", nhcMember)).body.recipients.some((r: { stale: boolean }) => r.stale)).toBe(false);
  });
});

describe("CSV import and export", () => {
  const HEADER = "name,title,institution,email,salutation,language,kind,position,checked_on";
  function upload(code: string, text: string, cookie: string, fields: Record<string, string> = { intent: "preview", mode: "add" }) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new File([text], "recipients.csv", { type: "text/csv" }));
    return new Request(`${BASE}/countries/${code}/recipients/import`, { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie } });
  }
  const text = [HEADER, "Karin Enström,State Secretary,,,,sv,copy,1,2026-01-10", "=cmd|' /C calc'!A0,Director,,x@gov.se,,en,copy,2,2026-01-10", "Bad Row,Director,,,,klingonish,copy,,2026-01-10"].join("\n");

  it("previews an upload with per-row errors rendered as text, and writes nothing", async () => {
    const before = await count("recipients");
    const { status, html } = await render("/countries/:code/recipients/import", upload("SE", text, coordinator), ImportPage, importLoader, importAction);
    expect(status).toBe(200);
    expect(html).toContain("Preview: nothing has been written yet");
    expect(html).toContain("Language must be a known BCP 47 language tag");
    expect(html).toContain("One row is invalid.");
    expect(html).not.toContain("Add 2 recipients"); // blocked while a row is invalid
    expect(await count("recipients")).toBe(before);
  });

  it("commits a corrected file in one go (post/redirect/get), then exports it with formulas neutralised", async () => {
    const fixed = text.replace("klingonish", "nb");
    const preview = await settle(call(importAction, upload("SE", fixed, coordinator), { code: "SE" }));
    expect(preview.body.preview.counts).toEqual({ new: 3, duplicate: 0, invalid: 0 });
    const confirm = await settle(call(importAction, postRequest("/countries/SE/recipients/import", { intent: "confirm", mode: "add", text: preview.body.text }, coordinator), { code: "SE" }));
    expect([confirm.status, confirm.headers.get("Location")]).toEqual([302, "/countries/SE/recipients/import?added=3&skipped=0&removed=0"]);
    expect((await recipients("SE")).map((r) => [r.name, r.language])).toEqual([["Karin Enström", "sv"], ["=cmd|' /C calc'!A0", "en"], ["Bad Row", "nb"]]);

    // Only those who see the list in full may export it (ADR 0014).
    expect((await settle(call(exportLoader, getRequest("/countries/SE/recipients/export", otherMember), { code: "SE" }))).status).toBe(403);
    const res = await settle(call(exportLoader, getRequest("/countries/SE/recipients/export", coordinator), { code: "SE" }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="recipients-SE.csv"');
    expect(res.body).toContain(`${HEADER}\r\n`);
    expect(res.body).toContain(`\r\n'=cmd|' /C calc'!A0,Director,`);
  });

  it("refuses members of other organisations and bad files", async () => {
    expect((await settle(call(importAction, upload("SE", text, nhcMember), { code: "SE" }))).status).toBe(403);
    const notCsv = await settle(call(importAction, upload("NO", "just some words", nhcMember), { code: "NO" }));
    expect([notCsv.status, notCsv.body.message]).toEqual([400, expect.stringMatching(/header line/)]);
    const empty = await settle(call(importAction, postRequest("/countries/NO/recipients/import", { intent: "preview", mode: "add", text: "" }, nhcMember), { code: "NO" }));
    expect(empty.status).toBe(400);
  });
});

describe("coverage", () => {
  it("shows the 125 states parties of 14 January 2025, Norway covered by NHC", async () => {
    const res = await settle(call(coverageLoader, getRequest("/coverage?on=2025-01-14", otherMember)));
    expect(res.status).toBe(200);
    expect(res.body.coverage.parties).toBe(125);
    const norway = res.body.coverage.groups.flatMap((g: { rows: unknown[] }) => g.rows).find((r: { code: string }) => r.code === "NO");
    expect(norway.organisations.map((o: { acronym: string }) => o.acronym)).toEqual(["NHC"]);
    const { html } = await render("/coverage", getRequest("/coverage?on=2025-01-14&gaps=1", otherMember), CoveragePage, coverageLoader);
    expect(html).toContain("Western European and Other States");
    expect(html).toContain("No addressee");
  });

  it("answers a bad date with 400 and the error beside the field", async () => {
    const res = await settle(call(coverageLoader, getRequest("/coverage?on=2025-02-30", otherMember)));
    expect([res.status, res.body.errors.on]).toEqual([400, ["Date is not a real calendar date."]]);
    const { status, html } = await render("/coverage", getRequest("/coverage?on=2025-02-30", otherMember), CoveragePage, coverageLoader);
    expect(status).toBe(400);
    expect(html).toContain('value="2025-02-30"');
    expect(html).toContain("Correct the field marked above");
  });

  it("says so when no state was a party on the date", async () => {
    const { html } = await render("/coverage", getRequest("/coverage?on=2001-01-01", otherMember), CoveragePage, coverageLoader);
    expect(html).toContain("No state was a party to the Rome Statute on 2001-01-01");
  });
});
