// The coordinator's statement pages through their real loaders and actions: who gets
// in, creating and editing, hostile input refused (or kept as text), and the life
// cycle's buttons with their audit entries and version bumps.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import ListPage, { loader as listLoader } from "~/routes/statements._index";
import NewPage, { action as newAction, loader as newLoader } from "~/routes/statements.new";
import OverviewPage, { action as overviewAction, loader as overviewLoader } from "~/routes/statements.$slug._index";
import EditPage, { action as editAction, loader as editLoader } from "~/routes/statements.$slug.edit";
import PublishPage, { action as publishAction, loader as publishLoader } from "~/routes/statements.$slug.publish";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let cookie: string;
let authorId: number;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
  cookie = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  authorId = (await createOrganisation(db, { name: "Coalition for the International Criminal Court", acronym: "CICC" })).id;
});

let n = 0;
const fields = (over: Record<string, string> = {}) => ({
  intent: "create",
  title: `Civil society urges States to oppose ICC sanctions ${++n}`,
  slug: `oppose-icc-sanctions-${n}`,
  date: "2025-01-14",
  author: String(authorId),
  language: "en",
  lead_in: "The Coalition for the International Criminal Court (CICC) and:",
  body: "We call on **all States Parties** to stand with the Court.",
  points: "Publicly condemn sanctions\nReaffirm support for the Court",
  "footnotes.0.mark": "*",
  "footnotes.0.text": "This footnote explains a signatory's position.",
  "footnotes.1.mark": "",
  "footnotes.1.text": "",
  deadline: "",
  ...over,
});

const count = async (table: "statements" | "statement_points" | "statement_footnotes" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const bySlug = (slug: string) => db.selectFrom("statements").selectAll().where("slug", "=", slug).executeTakeFirstOrThrow();
const lastAudit = async () => db.selectFrom("audit_log").selectAll().orderBy("id", "desc").executeTakeFirstOrThrow();

async function create(over: Record<string, string> = {}) {
  const f = fields(over);
  const res = await settle(call(newAction, postRequest("/statements/new", f, cookie)));
  expect(res.status, JSON.stringify(res.body)).toBe(302);
  return bySlug(new URL(res.headers.get("Location")!, "http://x").pathname.split("/")[2]);
}

const transition = (slug: string, intent: string, extra: Record<string, string> = {}) =>
  settle(call(overviewAction, postRequest(`/statements/${slug}`, { intent, deadline: "", ...extra }, cookie), { slug }));

type Loader = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => Promise<unknown>;
/** Server-renders one page from its loader's data, as the HTML a browser would first get. */
async function renderPage(pattern: string, url: string, loader: Loader, Component: () => JSX.Element) {
  const routes = [{ id: "page", path: pattern, loader: ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => loader({ request, params, context: {} }), Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(getRequest(url, cookie));
  if (context instanceof Response) throw new Error(`loader answered ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("access", () => {
  it("sends anonymous visitors to the login page, for pages and actions", async () => {
    const s = await create();
    for (const [fn, path, params] of [
      [listLoader, "/statements", {}],
      [newLoader, "/statements/new", {}],
      [overviewLoader, `/statements/${s.slug}`, { slug: s.slug }],
      [editLoader, `/statements/${s.slug}/edit`, { slug: s.slug }],
      [publishLoader, `/statements/${s.slug}/publish`, { slug: s.slug }],
    ] as const) {
      const res = await settle(call(fn as Loader, getRequest(path), params));
      expect([res.status, res.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(path)}`]);
    }
    expect((await settle(call(newAction, postRequest("/statements/new", fields())))).status).toBe(302);
    expect((await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ slug: s.slug })), { slug: s.slug }))).status).toBe(302);
    expect((await settle(call(overviewAction, postRequest(`/statements/${s.slug}`, { intent: "open" }), { slug: s.slug }))).status).toBe(302);
    expect((await bySlug(s.slug)).status).toBe("draft");
  });

  it("refuses members with 403 and writes nothing", async () => {
    const s = await create();
    const member = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: authorId })).id);
    const before = await count("statements");
    expect((await settle(call(listLoader, getRequest("/statements", member)))).status).toBe(403);
    expect((await settle(call(newLoader, getRequest("/statements/new", member)))).status).toBe(403);
    expect((await settle(call(newAction, postRequest("/statements/new", fields(), member)))).status).toBe(403);
    expect((await settle(call(overviewLoader, getRequest(`/statements/${s.slug}`, member), { slug: s.slug }))).status).toBe(403);
    expect((await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ slug: s.slug, title: "Hijacked" }), member), { slug: s.slug }))).status).toBe(403);
    expect((await settle(call(overviewAction, postRequest(`/statements/${s.slug}`, { intent: "open" }, member), { slug: s.slug }))).status).toBe(403);
    expect((await settle(call(publishAction, postRequest(`/statements/${s.slug}/publish`, { confirm: "yes" }, member), { slug: s.slug }))).status).toBe(403);
    expect(await count("statements")).toBe(before);
    expect((await bySlug(s.slug)).title).toBe(s.title);
  });

  it("answers 404 for an unknown slug", async () => {
    expect((await settle(call(overviewLoader, getRequest("/statements/no-such-thing", cookie), { slug: "no-such-thing" }))).status).toBe(404);
    expect((await settle(call(editLoader, getRequest("/statements/BAD%20slug/edit", cookie), { slug: "BAD slug" }))).status).toBe(404);
  });
});

describe("creating", () => {
  it("creates a draft with its points and footnotes, audited, and redirects to its overview", async () => {
    const audits = await count("audit_log");
    const res = await settle(call(newAction, postRequest("/statements/new", fields({ slug: "stand-with-the-icc" }), cookie)));
    expect([res.status, res.headers.get("Location")]).toEqual([302, "/statements/stand-with-the-icc?created=1"]);
    const s = await bySlug("stand-with-the-icc");
    expect([s.status, s.statement_date, s.author_organisation_id, s.language, s.lead_in]).toEqual(["draft", "2025-01-14", authorId, "en", "The Coalition for the International Criminal Court (CICC) and:"]);
    const points = await db.selectFrom("statement_points").select(["position", "text"]).where("statement_id", "=", s.id).orderBy("position").execute();
    expect(points).toEqual([{ position: 0, text: "Publicly condemn sanctions" }, { position: 1, text: "Reaffirm support for the Court" }]);
    const footnotes = await db.selectFrom("statement_footnotes").select(["mark", "text"]).where("statement_id", "=", s.id).execute();
    expect(footnotes).toEqual([{ mark: "*", text: "This footnote explains a signatory's position." }]);
    expect(await count("audit_log")).toBe(audits + 1);
    expect((await lastAudit()).action).toBe("statement.created");
  });

  it("makes the address from the title when it is left empty", async () => {
    const res = await settle(call(newAction, postRequest("/statements/new", fields({ title: "Défendre la Cour pénale internationale", slug: "" }), cookie)));
    expect(res.headers.get("Location")).toBe("/statements/defendre-la-cour-penale-internationale?created=1");
  });

  it("previews the Markdown as safe HTML without writing anything", async () => {
    const before = await count("statements");
    const res = await settle(call(newAction, postRequest("/statements/new", fields({ intent: "preview", body: "**Bold** <script>alert(1)</script>", points: "*One*\nTwo" }), cookie)));
    expect(res.status).toBe(200);
    expect(res.body.preview.bodyHtml).toContain("<strong>Bold</strong> &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(res.body.preview.pointsHtml).toEqual(["<em>One</em>", "Two"]);
    expect(res.body.values.body).toBe("**Bold** <script>alert(1)</script>");
    expect(await count("statements")).toBe(before);
  });
});

describe("hostile and bad input", () => {
  const taken = "already-taken-address";
  beforeAll(async () => {
    await create({ slug: taken });
  });

  const cases: [string, Record<string, string>, string][] = [
    ["an empty title", { title: "   " }, "title"],
    ["a title of 100,000 characters", { title: "x".repeat(100_000) }, "title"],
    ["CRLF in the title", { title: "Subject\r\nBcc: victim@example.org" }, "title"],
    ["a right-to-left override in the title", { title: "Statement \u202Egnp.exe" }, "title"],
    ["an impossible date", { date: "2025-02-30" }, "date"],
    ["a date in another format", { date: "14/01/2025" }, "date"],
    ["a slug with capitals", { slug: "Oppose-Sanctions" }, "slug"],
    ["a duplicate slug", { slug: taken }, "slug"],
    ["a reserved slug", { slug: "new" }, "slug"],
    ["a duplicate footnote mark", { "footnotes.1.mark": "*", "footnotes.1.text": "Second footnote" }, "footnotes.1.mark"],
    ["a body over 100,000 characters", { body: "y".repeat(100_001) }, "body"],
    ["a point over 2,000 characters", { points: `Short\n${"z".repeat(2_001)}` }, "points"],
    ["an unknown language", { language: "klingon" }, "language"],
    ["an unknown organisation", { author: "999999" }, "author"],
    ["an impossible deadline", { deadline: "2025-02-30T12:00" }, "deadline"],
    ["a deadline in the past", { deadline: "2020-01-01T12:00" }, "deadline"],
    ["a lead-in with a line break", { lead_in: "The Coalition\nand:" }, "lead_in"],
  ];
  for (const [what, over, field] of cases) {
    it(`refuses ${what} with 400, the error beside ${field}, the input kept and nothing written`, async () => {
      const [statements, audits] = [await count("statements"), await count("audit_log")];
      const f = fields(over);
      const res = await settle(call(newAction, postRequest("/statements/new", f, cookie)));
      expect(res.status).toBe(400);
      expect(res.body.errors[field]?.length, JSON.stringify(res.body.errors)).toBeGreaterThan(0);
      expect(res.body.values.title).toBe(f.title);
      expect(res.body.values.body).toBe(f.body);
      expect([await count("statements"), await count("audit_log")]).toEqual([statements, audits]);
    });
  }

  it("keeps HTML and script in every field verbatim, and shows them as text", async () => {
    const evil = "<script>alert('x')</script><img src=x onerror=alert(1)>";
    const s = await create({
      slug: "hostile-html",
      title: `Title ${evil}`,
      lead_in: `Lead ${evil}`,
      body: `Body ${evil}\n\n[click](javascript:alert(1))`,
      points: `Point ${evil}`,
      "footnotes.0.mark": "<b>",
      "footnotes.0.text": `Note ${evil}`,
    });
    expect([s.title, s.lead_in, s.body_markdown]).toEqual([`Title ${evil}`, `Lead ${evil}`, `Body ${evil}\n\n[click](javascript:alert(1))`]);
    expect((await db.selectFrom("statement_points").select("text").where("statement_id", "=", s.id).executeTakeFirstOrThrow()).text).toBe(`Point ${evil}`);
    expect((await db.selectFrom("statement_footnotes").select(["mark", "text"]).where("statement_id", "=", s.id).executeTakeFirstOrThrow())).toEqual({ mark: "<b>", text: `Note ${evil}` });

    for (const html of [
      await renderPage("/statements/:slug/edit", "/statements/hostile-html/edit", editLoader as Loader, EditPage),
      await renderPage("/statements/:slug", "/statements/hostile-html", overviewLoader as Loader, OverviewPage),
      await renderPage("/statements", "/statements", listLoader as Loader, ListPage),
    ]) {
      expect(html).not.toContain("<script>alert");
      expect(html).not.toContain("<img src=x");
      expect(html).not.toContain('href="javascript:');
    }
    const edit = await renderPage("/statements/:slug/edit", "/statements/hostile-html/edit", editLoader as Loader, EditPage);
    expect(edit).toContain("Body &lt;script&gt;alert(");
  });
});

describe("editing", () => {
  it("saves changes, audits them and bumps the version", async () => {
    const s = await create();
    const res = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ intent: "save", title: "Renamed statement", slug: s.slug, points: "Reaffirm support for the Court\nPublicly condemn sanctions\nA third demand" }), cookie), { slug: s.slug }));
    expect([res.status, res.headers.get("Location")]).toEqual([302, `/statements/${s.slug}?saved=1`]);
    const after = await bySlug(s.slug);
    expect([after.title, after.version]).toEqual(["Renamed statement", s.version + 1]);
    const points = await db.selectFrom("statement_points").select("text").where("statement_id", "=", s.id).orderBy("position").execute();
    expect(points.map((p) => p.text)).toEqual(["Reaffirm support for the Court", "Publicly condemn sanctions", "A third demand"]);
    const audit = await lastAudit();
    expect([audit.action, audit.subject_id]).toEqual(["statement.updated", String(s.id)]);
    expect(JSON.parse(audit.detail!).changed).toEqual(["title", "points"]);
  });

  it("moves a draft to a new address, and redirects there", async () => {
    const s = await create();
    const res = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ intent: "save", title: s.title, slug: `${s.slug}-moved` }), cookie), { slug: s.slug }));
    expect(res.headers.get("Location")).toBe(`/statements/${s.slug}-moved?saved=1`);
  });

  it("refuses bad input on edit with 400, keeping the input and the stored statement", async () => {
    const s = await create();
    const res = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ intent: "save", title: "Bad\r\ntitle", slug: s.slug, date: "2025-02-30" }), cookie), { slug: s.slug }));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(["date", "title"]);
    expect(res.body.values.date).toBe("2025-02-30");
    expect(await bySlug(s.slug)).toEqual(s);
  });

  it("refuses a new address once the statement is open", async () => {
    const s = await create();
    expect((await transition(s.slug, "open")).status).toBe(302);
    const res = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, fields({ intent: "save", title: s.title, slug: "somewhere-else" }), cookie), { slug: s.slug }));
    expect(res.status).toBe(400);
    expect(res.body.errors.slug[0]).toMatch(/cannot change/);
    expect(res.body.values.slug).toBe("somewhere-else");
  });

  it("warns before changing a published statement and then marks it updated", async () => {
    const s = await create();
    for (const step of ["open", "close"]) expect((await transition(s.slug, step)).status).toBe(302);
    expect((await settle(call(publishAction, postRequest(`/statements/${s.slug}/publish`, { confirm: "yes" }, cookie), { slug: s.slug }))).status).toBe(302);
    const page = await renderPage("/statements/:slug/edit", `/statements/${s.slug}/edit`, editLoader as Loader, EditPage);
    expect(page).toContain("This statement is published");
    expect(page).toContain('name="slug"');
    expect(page).toMatch(/name="slug"[^>]*readOnly|readOnly[^>]*name="slug"/i);

    const edit = fields({ intent: "save", title: s.title, slug: s.slug, body: "A corrected text." });
    const refused = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, edit, cookie), { slug: s.slug }));
    expect(refused.status).toBe(400);
    expect(refused.body.errors.confirm_update).toHaveLength(1);
    expect((await bySlug(s.slug)).text_updated_at).toBeNull();

    const saved = await settle(call(editAction, postRequest(`/statements/${s.slug}/edit`, { ...edit, confirm_update: "yes" }, cookie), { slug: s.slug }));
    expect(saved.status).toBe(302);
    const after = await bySlug(s.slug);
    expect(after.body_markdown).toBe("A corrected text.");
    expect(after.text_updated_at).not.toBeNull();
  });
});

describe("the life cycle buttons", () => {
  it("open (with a deadline), close, publish after confirmation, reopen: each audited, each a new version", async () => {
    const s = await create();
    const deadline = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 16);
    let version = s.version;
    const expectStep = async (status: string, action: string) => {
      const row = await bySlug(s.slug);
      expect(row.status).toBe(status);
      expect(row.version).toBeGreaterThan(version);
      version = row.version;
      const audit = await lastAudit();
      expect([audit.action, audit.subject_type, audit.subject_id]).toEqual([action, "statement", String(s.id)]);
    };

    const opened = await transition(s.slug, "open", { deadline });
    expect([opened.status, opened.headers.get("Location")]).toEqual([302, `/statements/${s.slug}?open=1`]);
    await expectStep("open", "statement.opened");
    expect((await bySlug(s.slug)).signing_deadline).toBe(`${deadline}:00.000Z`);

    const overview = await settle(call(overviewLoader, getRequest(`/statements/${s.slug}`, cookie), { slug: s.slug }));
    expect(overview.body.transitions).toEqual(["close"]);

    expect((await transition(s.slug, "close")).status).toBe(302);
    await expectStep("closed", "statement.closed");

    // Publishing: the confirmation page says what becomes public; only its confirmed form publishes.
    await db.insertInto("signatures").values([
      { statement_id: s.id, organisation_name: "Al-Haq", name_key: "al haq", status: "approved", source: "import" },
      { statement_id: s.id, organisation_name: "Al-Haq Europe", name_key: "al haq europe", status: "pending", source: "form" },
    ]).execute();
    const confirm = await settle(call(publishLoader, getRequest(`/statements/${s.slug}/publish`, cookie), { slug: s.slug }));
    expect([confirm.body.statement.title, confirm.body.approved, confirm.body.waiting, confirm.body.canPublish]).toEqual([s.title, 1, 1, true]);
    const html = await renderPage("/statements/:slug/publish", `/statements/${s.slug}/publish`, publishLoader as Loader, PublishPage);
    expect(html).toContain("approved");
    expect(html).toContain("Publish now");
    expect((await transition(s.slug, "publish")).headers.get("Location")).toBe(`/statements/${s.slug}/publish`);
    expect((await settle(call(publishAction, postRequest(`/statements/${s.slug}/publish`, {}, cookie), { slug: s.slug }))).status).toBe(400);
    expect((await bySlug(s.slug)).status).toBe("closed");
    const published = await settle(call(publishAction, postRequest(`/statements/${s.slug}/publish`, { confirm: "yes" }, cookie), { slug: s.slug }));
    expect([published.status, published.headers.get("Location")]).toEqual([302, `/statements/${s.slug}?publish=1`]);
    await expectStep("published", "statement.published");

    expect((await transition(s.slug, "reopen")).status).toBe(302);
    await expectStep("open", "statement.reopened");
  });

  it("refuses an illegal move with 409 and a message, writing nothing", async () => {
    const s = await create();
    const audits = await count("audit_log");
    const res = await transition(s.slug, "close");
    expect(res.status).toBe(409);
    expect(res.body.formErrors[0]).toMatch(/draft statement cannot be closed/);
    const again = await settle(call(publishAction, postRequest(`/statements/${s.slug}/publish`, { confirm: "yes" }, cookie), { slug: s.slug }));
    expect(again.status).toBe(409);
    expect(await count("audit_log")).toBe(audits);
    expect(await bySlug(s.slug)).toEqual(s);
  });

  it("offers a draft's future deadline again when opening, and keeps it", async () => {
    const deadline = new Date(Date.now() + 3 * 86400_000).toISOString().slice(0, 16);
    const s = await create({ deadline });
    const overview = await settle(call(overviewLoader, getRequest(`/statements/${s.slug}`, cookie), { slug: s.slug }));
    expect(overview.body.deadline).toBe(deadline);
    expect((await transition(s.slug, "open", { deadline: overview.body.deadline })).status).toBe(302);
    expect((await bySlug(s.slug)).signing_deadline).toBe(`${deadline}:00.000Z`);
  });

  it("refuses a past or impossible deadline when opening", async () => {
    const s = await create();
    expect((await transition(s.slug, "open", { deadline: "2020-01-01T00:00" })).status).toBe(409);
    const bad = await transition(s.slug, "open", { deadline: "2025-02-30T00:00" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.deadline).toHaveLength(1);
    expect((await bySlug(s.slug)).status).toBe("draft");
  });

  it("never shows a statement as open after its deadline", async () => {
    const s = await create();
    await transition(s.slug, "open");
    await db.updateTable("statements").set({ signing_deadline: "2020-01-01T00:00:00.000Z" }).where("id", "=", s.id).execute();
    const list = await settle(call(listLoader, getRequest("/statements", cookie)));
    expect(list.body.statements.find((x: { slug: string }) => x.slug === s.slug).status).toBe("closed");
    expect((await lastAudit()).action).toBe("statement.closed_by_deadline");
  });
});

describe("the pages", () => {
  it("list statements with their counts, and render every page", async () => {
    const s = await create({ slug: "rendered-statement" });
    await db.insertInto("signatures").values([
      { statement_id: s.id, organisation_name: "Amnesty International", name_key: "amnesty international", status: "approved", source: "import" },
      { statement_id: s.id, organisation_name: "FIDH", name_key: "fidh", status: "pending", source: "form" },
      { statement_id: s.id, organisation_name: "Human Rights Watch", name_key: "human rights watch", status: "pending", source: "form" },
    ]).execute();
    const list = await settle(call(listLoader, getRequest("/statements", cookie)));
    expect(list.body.statements.find((x: { slug: string }) => x.slug === "rendered-statement")).toMatchObject({ approved: 1, pending: 2, status: "draft", author_name: "Coalition for the International Criminal Court" });

    const listHtml = await renderPage("/statements", "/statements", listLoader as Loader, ListPage);
    expect(listHtml).toContain('href="/statements/rendered-statement"');
    const overview = await renderPage("/statements/:slug", "/statements/rendered-statement", overviewLoader as Loader, OverviewPage);
    for (const link of ["/statements/rendered-statement/edit", "/statements/rendered-statement/moderation", "/statements/rendered-statement/import", "/statements/rendered-statement/export"]) {
      expect(overview).toContain(`href="${link}"`);
    }
    expect(overview).toContain("Open for signatures");
    expect(overview).toContain('class="breadcrumbs"');
    // The life cycle, the draft marked as the current step, and what the next step does.
    expect(overview).toMatch(/<li aria-current="step"><strong>1(<!-- -->)?\. (<!-- -->)?Draft<\/strong>/);
    expect(overview).toContain("Next: open it for signatures");
    const newHtml = await renderPage("/statements/new", "/statements/new", newLoader as Loader, NewPage);
    expect(newHtml).toContain('name="footnotes.0.mark"');
    expect(newHtml).toContain("norsk bokmål (Norwegian Bokmål, nb)");
    const edit = await renderPage("/statements/:slug/edit", "/statements/rendered-statement/edit", editLoader as Loader, EditPage);
    expect(edit).toContain("<strong>all States Parties</strong>");
    expect(edit).toContain('name="footnotes.1.mark"');
  });

  it("offers to create the first statement when there are none", async () => {
    const html = await renderPage("/statements", "/statements", async () => ({ statements: [] }), ListPage);
    expect(html).toContain('href="/statements/new">Create the first statement');
  });
});
