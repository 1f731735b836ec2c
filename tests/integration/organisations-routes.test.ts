// The organisation pages through their real loaders and actions: who gets in, what a
// bad form gets back, and the demo data built from the seed letter's signatory list.
import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
// react-router-dom comes with @remix-run/react; its static router renders one page
// with its loader's data the way the server would, without a Remix build.
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ListPage, { loader as listLoader } from "~/routes/organisations._index";
import NewPage, { action as newAction, loader as newLoader } from "~/routes/organisations.new";
import OrganisationPage, { action as detailAction, loader as detailLoader } from "~/routes/organisations.$id";
import EditPage, { action as editAction, loader as editLoader } from "~/routes/organisations.$id_.edit";
import DeletePage, { action as deleteAction, loader as deleteLoader } from "~/routes/organisations.$id_.delete";
import SignerPage, { action as signerAction, loader as signerLoader } from "~/routes/organisations.$id_.signers.$signerId";
import { loadDemoOrganisations } from "../../app/workflows/seed/organisations.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb();
});

const count = async (table: "organisations" | "signers" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const orgFields = (fields: Record<string, string> = {}) => ({ name: "Center for Civil Liberties", acronym: "", country_code: "UA", website: "", contact_email: "", postal_address: "", city: "Kyiv", ...fields });

type Loader = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => Promise<unknown>;
/** Server-renders one page from its loader's data, as the HTML a browser would first get. */
async function renderPage(pattern: string, url: string, loader: Loader, Component: () => JSX.Element, cookie: string) {
  const routes = [{ id: "page", path: pattern, loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => loader({ request, params, context: {} }), Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(getRequest(url, cookie));
  if (context instanceof Response) throw new Error(`loader answered ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

// First, while the database holds no organisations of this file's other tests.
describe("demo organisations", () => {
  it("loads the coalition and the 129 signatories once, NHC with its two signers in order", async () => {
    const ids = await db.transaction().execute((trx) => loadDemoOrganisations(trx));
    expect(await count("organisations")).toBe(130);
    const nhc = await db.selectFrom("organisations").selectAll().where("name", "=", "Norwegian Helsinki Committee").execute();
    expect(nhc.map((o) => [o.id, o.acronym, o.country_code, o.city, o.website])).toEqual([[ids.nhcId, "NHC", "NO", "Oslo", "https://www.nhc.no"]]);
    const signers = await db.selectFrom("signers").select(["name", "title"]).where("organisation_id", "=", ids.nhcId).orderBy("position").execute();
    expect(signers).toEqual([{ name: "Berit Lindeman", title: "Secretary-General" }, { name: "Gunnar M. Ekeløve-Slydal", title: "Deputy Secretary-General" }]);
    const cicc = await db.selectFrom("organisations").selectAll().where("id", "=", ids.coalitionId).executeTakeFirstOrThrow();
    expect([cicc.name, cicc.acronym, cicc.country_code, cicc.city]).toEqual(["Coalition for the International Criminal Court", "CICC", "NL", "The Hague"]);
    expect((await db.selectFrom("organisations").select("acronym").where("name", "=", "Asia Justice Coalition (AJC)").executeTakeFirstOrThrow()).acronym).toBe("AJC");

    await db.transaction().execute((trx) => loadDemoOrganisations(trx)); // a rerun adds nothing
    expect(await count("organisations")).toBe(130);
  });

  it("uses every name exactly as the seed letter publishes it", async ({ skip }) => {
    const dir = path.resolve(__dirname, "../../../shared/seeds");
    const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith("000_")) : undefined;
    if (!file) return skip("../shared/seeds is not beside the project");
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const list = text.slice(text.indexOf("(CICC) and:"), text.indexOf("**This does not"));
    const published = [...list.matchAll(/^- (.+)$/gm)].map((m) => m[1].trim().replace(/\*$/, ""));
    expect(published).toHaveLength(129);
    const stored = new Set((await db.selectFrom("organisations").select("name").execute()).map((o) => o.name));
    expect(published.filter((n) => !stored.has(n))).toEqual([]);
  });
});

describe("access", () => {
  it("sends anonymous visitors to the login page", async () => {
    const res = await settle(call(listLoader, getRequest("/organisations?q=x")));
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent("/organisations?q=x")}`);
    const post = await settle(call(editAction, postRequest("/organisations/1/edit", orgFields()), { id: "1" }));
    expect(post.status).toBe(302);
  });

  it("lets every signed-in user read, and searches and filters the list", async () => {
    const org = await createOrganisation(db, { name: "Searchable Org", acronym: "SRCH", country_code: "SE" });
    const member = await createUser(db, { role: "member" });
    const cookie = await sessionCookie(db, member.id);
    const list = await settle(call(listLoader, getRequest("/organisations?q=srch&country=SE", cookie)));
    expect(list.body.organisations.map((o: { name: string }) => o.name)).toEqual(["Searchable Org"]);
    expect(list.body.canCreate).toBe(false);
    const detail = await settle(call(detailLoader, getRequest(`/organisations/${org.id}`, cookie), { id: String(org.id) }));
    expect(detail.status).toBe(200);
    expect(detail.body.canEdit).toBe(false);
  });

  it("lets only coordinators create", async () => {
    const cookie = await sessionCookie(db, (await createUser(db, { role: "member" })).id);
    expect((await settle(call(newLoader, getRequest("/organisations/new", cookie)))).status).toBe(403);
    expect((await settle(call(newAction, postRequest("/organisations/new", orgFields(), cookie)))).status).toBe(403);
  });

  it("lets a member edit its own organisation and its signers, and refuses another with 403", async () => {
    const [own, other] = [await createOrganisation(db), await createOrganisation(db, { name: "Not theirs" })];
    const cookie = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: own.id })).id);
    const edited = await settle(call(editAction, postRequest(`/organisations/${own.id}/edit`, orgFields({ name: "Renamed" }), cookie), { id: String(own.id) }));
    expect([edited.status, edited.headers.get("Location")]).toEqual([302, `/organisations/${own.id}?saved=1`]);
    const added = await settle(call(detailAction, postRequest(`/organisations/${own.id}`, { intent: "add-signer", name: "Ana", title: "Director" }, cookie), { id: String(own.id) }));
    expect(added.status).toBe(302);

    const refused = await settle(call(editAction, postRequest(`/organisations/${other.id}/edit`, orgFields({ name: "Hijacked" }), cookie), { id: String(other.id) }));
    expect(refused.status).toBe(403);
    const signer = await settle(call(detailAction, postRequest(`/organisations/${other.id}`, { intent: "add-signer", name: "Eve", title: "X" }, cookie), { id: String(other.id) }));
    expect(signer.status).toBe(403);
    expect((await db.selectFrom("organisations").select("name").where("id", "=", other.id).executeTakeFirstOrThrow()).name).toBe("Not theirs");
    expect(await db.selectFrom("signers").select("id").where("organisation_id", "=", other.id).execute()).toEqual([]);
  });
});

describe("the forms", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  });

  it("creates an organisation with its first signer and redirects with a confirmation", async () => {
    const res = await settle(call(newAction, postRequest("/organisations/new", orgFields({ signer_name: "Oleksandra Matviichuk", signer_title: "Head" }), cookie)));
    expect(res.status).toBe(302);
    const id = Number(/\/organisations\/(\d+)\?created=1$/.exec(res.headers.get("Location")!)![1]);
    expect((await db.selectFrom("signers").select("name").where("organisation_id", "=", id).execute()).map((s) => s.name)).toEqual(["Oleksandra Matviichuk"]);
  });

  it("stores HTML in a name verbatim, and the page shows it as text", async () => {
    const res = await settle(call(newAction, postRequest("/organisations/new", orgFields({ name: "<script>alert(1)</script>" }), cookie)));
    expect(res.status).toBe(302);
    const row = await db.selectFrom("organisations").select(["id", "name"]).where("name", "=", "<script>alert(1)</script>").executeTakeFirstOrThrow();
    expect(row.name).toBe("<script>alert(1)</script>");

    const html = await renderPage("/organisations/:id", `/organisations/${row.id}`, detailLoader, OrganisationPage, cookie);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });

  const bad: [string, Record<string, string>, string][] = [
    ["an empty name", { name: "" }, "name"],
    ["a 100,000-character name", { name: "x".repeat(100_000) }, "name"],
    ["CRLF in the name", { name: "Evil\r\nBcc: victim@example.org" }, "name"],
    ["CRLF in the city", { city: "Kyiv\r\nX" }, "city"],
    ["an invalid email", { contact_email: "not an email" }, "contact_email"],
    ["country ZZ", { country_code: "ZZ" }, "country_code"],
    ["half a first signer", { signer_name: "Ana" }, "signer_title"],
  ];
  it.each(bad)("answers %s with 400, the error beside the field and the values kept, writing nothing", async (_, fields, field) => {
    const before = [await count("organisations"), await count("signers"), await count("audit_log")];
    const res = await settle(call(newAction, postRequest("/organisations/new", orgFields(fields), cookie)));
    expect(res.status).toBe(400);
    expect(res.body.errors[field]?.length).toBeGreaterThan(0);
    expect(res.body.values).toMatchObject(orgFields(fields));
    expect([await count("organisations"), await count("signers"), await count("audit_log")]).toEqual(before);
  });

  it("refuses a bad edit with 400 and keeps the stored values", async () => {
    const org = await createOrganisation(db, { name: "Kept" });
    const res = await settle(call(editAction, postRequest(`/organisations/${org.id}/edit`, orgFields({ country_code: "XX" }), cookie), { id: String(org.id) }));
    expect(res.status).toBe(400);
    expect(res.body.errors.country_code[0]).toMatch(/no country with the code XX/);
    expect((await db.selectFrom("organisations").select("name").where("id", "=", org.id).executeTakeFirstOrThrow()).name).toBe("Kept");
  });

  it("edits, moves and removes signers", async () => {
    const org = await createOrganisation(db);
    const post = (fields: Record<string, string>) => settle(call(detailAction, postRequest(`/organisations/${org.id}`, fields, cookie), { id: String(org.id) }));
    await post({ intent: "add-signer", name: "First", title: "Chair" });
    await post({ intent: "add-signer", name: "Second", title: "Director" });
    const badSigner = await post({ intent: "add-signer", name: "Third\nLine", title: "" });
    expect(badSigner.status).toBe(400);
    expect(Object.keys(badSigner.body.errors).sort()).toEqual(["name", "title"]);
    const ids = (await db.selectFrom("signers").select("id").where("organisation_id", "=", org.id).orderBy("position").execute()).map((s) => String(s.id));
    expect((await post({ intent: "move-signer", signerId: ids[1], direction: "up" })).headers.get("Location")).toBe(`/organisations/${org.id}?signer=moved`);
    const edit = await settle(call(signerAction, postRequest(`/organisations/${org.id}/signers/${ids[0]}`, { name: "First", title: "Honorary Chair" }, cookie), { id: String(org.id), signerId: ids[0] }));
    expect(edit.status).toBe(302);
    await post({ intent: "remove-signer", signerId: ids[1] });
    const left = await db.selectFrom("signers").select(["name", "title", "position"]).where("organisation_id", "=", org.id).execute();
    expect(left).toEqual([{ name: "First", title: "Honorary Chair", position: 0 }]);
  });

  it("asks before deleting, and refuses while users belong to the organisation", async () => {
    const org = await createOrganisation(db, { name: "To delete" });
    const user = await createUser(db, { role: "member", organisationId: org.id });
    const confirm = await settle(call(deleteLoader, getRequest(`/organisations/${org.id}/delete`, cookie), { id: String(org.id) }));
    expect(confirm.body.members).toBe(1);
    const refused = await settle(call(deleteAction, postRequest(`/organisations/${org.id}/delete`, {}, cookie), { id: String(org.id) }));
    expect(refused.status).toBe(409);
    expect(refused.body.formErrors[0]).toMatch(/cannot be deleted/);

    await db.updateTable("users").set({ organisation_id: null }).where("id", "=", user.id).execute();
    const deleted = await settle(call(deleteAction, postRequest(`/organisations/${org.id}/delete`, {}, cookie), { id: String(org.id) }));
    expect([deleted.status, deleted.headers.get("Location")]).toEqual([302, "/organisations?deleted=1"]);
    expect(await db.selectFrom("organisations").select("id").where("id", "=", org.id).executeTakeFirst()).toBeUndefined();
  });

  it("renders every page with a way back", async () => {
    const org = await createOrganisation(db, { name: "Rendered" });
    const signer = await db.insertInto("signers").values({ organisation_id: org.id, name: "Sig", title: "Chair" }).returning("id").executeTakeFirstOrThrow();
    const pages: [string, string, Loader, () => JSX.Element, string][] = [
      ["/organisations", "/organisations", listLoader, ListPage, "organisations"],
      ["/organisations/new", "/organisations/new", newLoader, NewPage, "First signer"],
      ["/organisations/:id", `/organisations/${org.id}`, detailLoader, OrganisationPage, "Add a signer"],
      ["/organisations/:id/edit", `/organisations/${org.id}/edit`, editLoader, EditPage, "Save changes"],
      ["/organisations/:id/delete", `/organisations/${org.id}/delete`, deleteLoader, DeletePage, "It cannot be undone"],
      ["/organisations/:id/signers/:signerId", `/organisations/${org.id}/signers/${signer.id}`, signerLoader, SignerPage, "Save signer"],
    ];
    for (const [pattern, url, loader, Component, text] of pages) {
      const html = await renderPage(pattern, url, loader, Component, cookie);
      expect(html.includes(text), `${url} shows "${text}"`).toBe(true);
      expect(/<p class="breadcrumbs"><a [^>]*href="\/">Home<\/a>/.test(html), `${url} has a breadcrumb home`).toBe(true);
    }
  });

  it("lets only coordinators delete", async () => {
    const org = await createOrganisation(db);
    const member = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
    expect((await settle(call(deleteAction, postRequest(`/organisations/${org.id}/delete`, {}, member), { id: String(org.id) }))).status).toBe(403);
  });
});
