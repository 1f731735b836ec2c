// The import and export pages through their real loaders and actions: who gets in,
// the preview (nothing written) and the confirmation (post/redirect/get), a CSV
// upload as a browser sends it, the limits, the rendered preview of hostile rows, and
// the download headers.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ImportPage, { action as importAction, loader as importLoader } from "~/routes/statements.$slug.import";
import ExportPage, { loader as exportPageLoader } from "~/routes/statements.$slug.export._index";
import { loader as downloadLoader } from "~/routes/statements.$slug.export.$format";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

const BASE = "http://127.0.0.1:3000";
let db: DB;
let coordinator: string;
let member: string;
let slug: string;
let statementId: number;

beforeAll(async () => {
  db = await migratedDb();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  member = await sessionCookie(db, (await createUser(db, { role: "member" })).id);
  const s = await db
    .insertInto("statements")
    .values({ slug: "routes-test", title: "Routes test", statement_date: "2025-01-14", status: "open", lead_in: "We, the undersigned:" })
    .returning(["id", "slug"])
    .executeTakeFirstOrThrow();
  [slug, statementId] = [s.slug, s.id];
  await db.insertInto("statement_footnotes").values({ statement_id: s.id, mark: "*", text: "A note." }).execute();
});

const signatures = () => db.selectFrom("signatures").selectAll().where("statement_id", "=", statementId).orderBy("id").execute();
const importPath = () => `/statements/${slug}/import`;

function uploadRequest(bytes: Uint8Array<ArrayBuffer> | string, cookie: string, fields: Record<string, string> = { intent: "preview", source: "csv" }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new File([bytes], "signatories.csv", { type: "text/csv" }));
  return new Request(BASE + importPath(), { method: "POST", body: form, headers: { Origin: BASE, Cookie: cookie } });
}

/** Server-renders the import page after posting `request` to it, as a browser without JavaScript would see it. */
async function renderImport(request: Request) {
  const routes = [{
    id: "page",
    path: "/statements/:slug/import",
    loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => importLoader({ request, params, context: {} }),
    action: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => importAction({ request, params, context: {} }),
    Component: ImportPage,
  }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("access", () => {
  it("sends anonymous visitors to the login page and refuses members with 403", async () => {
    const anonymous = await settle(call(importLoader, getRequest(importPath()), { slug }));
    expect([anonymous.status, anonymous.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(importPath())}`]);
    expect((await settle(call(importAction, postRequest(importPath(), { intent: "confirm", source: "paste", text: "Sneaky Org" }), { slug }))).status).toBe(302);
    expect((await settle(call(exportPageLoader, getRequest(`/statements/${slug}/export`), { slug }))).status).toBe(302);
    expect((await settle(call(downloadLoader, getRequest(`/statements/${slug}/export/signatories.csv`), { slug, format: "signatories.csv" }))).status).toBe(302);

    expect((await settle(call(importLoader, getRequest(importPath(), member), { slug }))).status).toBe(403);
    expect((await settle(call(importAction, postRequest(importPath(), { intent: "confirm", source: "paste", text: "Sneaky Org" }, member), { slug }))).status).toBe(403);
    expect((await settle(call(importAction, uploadRequest("name\nSneaky Org\n", member, { intent: "confirm", source: "csv" }), { slug }))).status).toBe(403);
    expect((await settle(call(exportPageLoader, getRequest(`/statements/${slug}/export`, member), { slug }))).status).toBe(403);
    for (const format of ["signatories.csv", "signatories.txt", "signatories.md", "signatories.json"]) {
      expect((await settle(call(downloadLoader, getRequest(`/statements/${slug}/export/${format}`, member), { slug, format }))).status).toBe(403);
    }
    expect(await signatures()).toEqual([]);
  });

  it("answers 404 for an unknown statement or export", async () => {
    expect((await settle(call(importLoader, getRequest("/statements/nope/import", coordinator), { slug: "nope" }))).status).toBe(404);
    expect((await settle(call(downloadLoader, getRequest(`/statements/${slug}/export/signatories.xlsx`, coordinator), { slug, format: "signatories.xlsx" }))).status).toBe(404);
  });
});

describe("importing", () => {
  it("previews a pasted list without writing, then confirms it and redirects with the result", async () => {
    const text = "We, the undersigned:\n- Al-Haq\n- Asia Justice Coalition (AJC)*\n- al-haq\n";
    const preview = await settle(call(importAction, postRequest(importPath(), { intent: "preview", source: "paste", text }, coordinator), { slug }));
    expect(preview.status).toBe(200);
    expect(preview.body.preview.counts).toEqual({ new: 2, duplicate: 1, invalid: 0, ignored: 1 });
    expect(preview.body.text).toBe(text);
    expect(await signatures()).toEqual([]);

    const confirmed = await settle(call(importAction, postRequest(importPath(), { intent: "confirm", source: "paste", text }, coordinator), { slug }));
    expect([confirmed.status, confirmed.headers.get("Location")]).toEqual([302, `${importPath()}?added=2&skipped=2`]);
    expect((await signatures()).map((g) => [g.organisation_name, g.acronym, g.footnote_mark, g.status, g.source])).toEqual([
      ["Al-Haq", null, null, "approved", "import"],
      ["Asia Justice Coalition (AJC)", "AJC", "*", "approved", "import"],
    ]);
    const html = await renderImport(getRequest(`${importPath()}?added=2&skipped=2`, coordinator));
    expect(html).toContain("2 signatories added, 2 skipped.");
  });

  it("reads an uploaded CSV (BOM, semicolons) and confirms it by posting its text again", async () => {
    const csv = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("name;country;email\r\nRéseau Equitas Côte d'Ivoire (REQCI);CI;info@reqci.org\r\nBad Country;ZZ;\r\n")]);
    const preview = await settle(call(importAction, uploadRequest(csv, coordinator), { slug }));
    expect(preview.status).toBe(200);
    expect(preview.body.preview.rows.map((r: { line: number; kind: string; reasons: string[] }) => [r.line, r.kind, r.reasons])).toEqual([
      [2, "new", []],
      [3, "invalid", ["country 'ZZ' is not an ISO 3166-1 code"]],
    ]);
    const before = (await signatures()).length;
    const confirmed = await settle(call(importAction, postRequest(importPath(), { intent: "confirm", source: "csv", text: preview.body.text }, coordinator), { slug }));
    expect(confirmed.headers.get("Location")).toBe(`${importPath()}?added=1&skipped=1`);
    const after = await signatures();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ organisation_name: "Réseau Equitas Côte d'Ivoire (REQCI)", country_code: "CI", email_domain: "reqci.org" });
  });

  it("refuses too large, non-UTF-8 and missing files, and a broken form, with a message and never a 500", async () => {
    const big = await settle(call(importAction, uploadRequest(new Uint8Array(2 * 1024 * 1024 + 10).fill(0x61), coordinator), { slug }));
    expect([big.status, big.body.message]).toEqual([413, "The file is larger than 2 MB. Split it into smaller parts and import them one after the other."]);
    const latin1 = await settle(call(importAction, uploadRequest(new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x52, 0xe9, 0x0a]), coordinator), { slug }));
    expect([latin1.status, latin1.body.message]).toEqual([400, "The file is not UTF-8 text. Save it as “CSV UTF-8” (or UTF-8 plain text) and upload it again."]);
    const none = await settle(call(importAction, postRequest(importPath(), { intent: "preview", source: "csv" }, coordinator), { slug }));
    expect([none.status, none.body.message]).toEqual([400, "Choose a CSV file to upload."]);
    const bad = await settle(call(importAction, postRequest(importPath(), { intent: "delete-everything", source: "paste", text: "x" }, coordinator), { slug }));
    expect([bad.status, bad.body.message]).toEqual([400, "Unknown action."]);
    const broken = await settle(call(importAction, postRequest(importPath(), { intent: "preview", source: "csv", text: 'name\n"open' }, coordinator), { slug }));
    expect(broken.status).toBe(400);
    expect(broken.body.message).toMatch(/^The CSV file could not be read/);
    const longPaste = await settle(call(importAction, postRequest(importPath(), { intent: "preview", source: "paste", text: "é".repeat(1024 * 1024 + 1) }, coordinator), { slug }));
    expect([longPaste.status, longPaste.body.message]).toEqual([413, "The list is larger than 2 MB. Split it into smaller parts and import them one after the other."]);
  });

  it("shows hostile rows as text in the preview and carries the exact text to the confirmation", async () => {
    const text = "<script>alert('x')</script>\nEvil\u202Egro\n" + "y".repeat(100_000) + "\n- Plain & Simple";
    const html = await renderImport(postRequest(importPath(), { intent: "preview", source: "paste", text }, coordinator));
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
    expect(html).toContain("Evil⟨U+202E⟩gro");
    // Only the two text fields hold the text as typed; the table shows the character by name.
    expect(html.replace(/<textarea[^>]*>[^<]*<\/textarea>/g, "")).not.toContain("\u202E");
    expect(html).toContain("Name must not contain text-direction control characters.");
    expect(html).toContain("Name must be at most 300 characters.");
    expect(html).toContain("Add 2 signatories as approved");
    expect(html).toContain("Preview: nothing has been written yet");
    // The confirmation form holds the text exactly (escaped once for HTML).
    const hidden = /<textarea name="text" hidden="" readonly="" aria-hidden="true" tabindex="-1">\n?([\s\S]*?)<\/textarea>/.exec(html);
    expect(hidden?.[1]).toBe(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/'/g, "&#x27;"));
  });
});

describe("exporting", () => {
  it("lists the four downloads with counts", async () => {
    await db.insertInto("signatures").values({ statement_id: statementId, organisation_name: "Pending Org", name_key: "pending org", status: "pending", source: "form" }).execute();
    const page = await settle(call(exportPageLoader, getRequest(`/statements/${slug}/export`, coordinator), { slug }));
    expect(page.body).toMatchObject({ all: 4, approved: 3 });
    const routes = [{ id: "page", path: "/statements/:slug/export", loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => exportPageLoader({ request, params, context: {} }), Component: ExportPage }];
    const handler = createStaticHandler(routes);
    const context = await handler.query(getRequest(`/statements/${slug}/export`, coordinator));
    if (context instanceof Response) throw new Error("redirected");
    const html = renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
    for (const file of ["signatories.csv", "signatories.txt", "signatories.md", "signatories.json"]) expect(html).toContain(`href="/statements/${slug}/export/${file}"`);
    expect(html).toContain("4 signatures");
    expect(html).toContain("3 approved signatories");
  });

  it("sends each file as an attachment with its type, uncached", async () => {
    const expected = { "signatories.csv": "text/csv; charset=utf-8", "signatories.txt": "text/plain; charset=utf-8", "signatories.md": "text/markdown; charset=utf-8", "signatories.json": "application/json; charset=utf-8" };
    for (const [format, type] of Object.entries(expected)) {
      const res = (await call(downloadLoader, getRequest(`/statements/${slug}/export/${format}`, coordinator), { slug, format })) as Response;
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe(type);
      expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="${slug}-${format}"`);
      expect(res.headers.get("Cache-Control")).toBe("private, no-store");
      const body = await res.text();
      if (format === "signatories.csv") expect(body).toContain("Pending Org");
      else expect(body).not.toContain("Pending Org");
    }
  });
});
