// The public statement page /s/:slug: what it shows, to whom, safely, and its cache
// (a render per version, never a stale page), through the real route on this file's
// own database; then the demo statement, and the production server over HTTP.
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { StatementStatus } from "../../db/schema";
import { loader } from "~/routes/s.$slug._index";
import { touchStatement } from "~/models/signatory-list.server";
import { cachedStatementPage, statementRenderCount } from "~/workflows/statement-page.server";
import { nameKey } from "~/models/name-matching.server";
import type { DB } from "~/platform/db.server";
import { loadDemoOrganisations } from "../../app/workflows/seed/organisations.server";
import { DEMO_STATEMENT_SLUG, loadDemoStatement } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { startServer, type RunningServer } from "../setup/server";
import { call, createOrganisation, getRequest, settle } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb();
});

let n = 0;
async function statement({ status = "open", deadline = null, names = [] as string[], marks = {} as Record<string, string> }: { status?: StatementStatus; deadline?: string | null; names?: string[]; marks?: Record<string, string> } = {}) {
  const author = await createOrganisation(db, { name: `Authoring Coalition ${++n}`, acronym: "AC" });
  const slug = `statement-${n}`;
  const { id } = await db
    .insertInto("statements")
    .values({ slug, title: `Statement ${n}`, statement_date: "2025-01-14", author_organisation_id: author.id, body_markdown: "We **stand** with the Court.", lead_in: "The coalition and:", status, signing_deadline: deadline })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("statement_points").values([{ statement_id: id, position: 2, text: "Second *demand*" }, { statement_id: id, position: 1, text: "First demand" }]).execute();
  await db.insertInto("statement_footnotes").values({ statement_id: id, mark: "*", text: "Not all members agree." }).execute();
  for (const name of names) await sign(id, name, "approved", marks[name] ?? null);
  return { id, slug };
}

async function sign(statementId: number, name: string, status: "approved" | "pending", mark: string | null = null) {
  return db
    .insertInto("signatures")
    .values({ statement_id: statementId, organisation_name: name, name_key: nameKey(name), footnote_mark: mark, status, source: "import" })
    .returning("id")
    .executeTakeFirstOrThrow();
}

const page = (slug: string, headers: Record<string, string> = {}) => settle(call(loader, getRequest(`/s/${slug}`, undefined, headers), { slug }));
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"' };
const unescape = (html: string) =>
  html.replace(/&(?:#x([\da-f]+)|#(\d+)|(\w+));/gi, (_, hex, dec, name) => (hex ? String.fromCharCode(parseInt(hex, 16)) : dec ? String.fromCharCode(Number(dec)) : ENTITIES[name]));
const names = (html: string) => [...html.matchAll(/<li><bdi>(.*?)<\/bdi>/gs)].map((m) => m[1]);

describe("GET /s/:slug", () => {
  it("shows the title, date, author, body, demands in order, signatories in display order and footnotes", async () => {
    const { slug } = await statement({ names: ["Zeta Watch", "Amnesty International", "Asia Justice Coalition (AJC)", "Al-Haq Europe", "Al-Haq"], marks: { "Asia Justice Coalition (AJC)": "*" } });
    const res = await page(slug);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
    const html: string = res.body;
    expect(html).toContain(`<h1>Statement ${n}</h1>`);
    expect(html).toContain("14 January 2025");
    expect(html).toContain(`<bdi>Authoring Coalition ${n}</bdi> (AC)`);
    expect(html).toContain("<p>We <strong>stand</strong> with the Court.</p>");
    expect(html).toMatch(/<ol class="statement-points"><li>First demand<\/li>\s*<li>Second <em>demand<\/em><\/li>/);
    expect(html).toContain("5 organisations have signed this statement.");
    expect(html).toContain('<p class="lead-in">The coalition and:</p>');
    expect(names(html)).toEqual(["Al-Haq", "Al-Haq Europe", "Amnesty International", "Asia Justice Coalition (AJC)", "Zeta Watch"]);
    expect(html).toContain('<li><bdi>Asia Justice Coalition (AJC)</bdi><a class="fn-ref" href="#fn-1">*</a></li>');
    expect(html.indexOf('id="fn-1"')).toBeGreaterThan(html.indexOf("Zeta Watch"));
    expect(html).toContain("Not all members agree.");
    expect(html).toContain('<a href="/">Back to the start page</a>');
    expect(html).not.toContain("<script");
  });

  it("does not show pending signatures", async () => {
    const { id, slug } = await statement({ names: ["Approved Org"] });
    await sign(id, "Pending Org", "pending");
    const html: string = (await page(slug)).body;
    expect(names(html)).toEqual(["Approved Org"]);
  });

  it("is 404 for drafts, unknown and malformed slugs", async () => {
    const { slug } = await statement({ status: "draft" });
    for (const s of [slug, "no-such-statement", "../etc", "UPPER"]) expect((await page(s)).status, s).toBe(404);
  });

  it("links to the sign-on form while open, and says signing is closed otherwise", async () => {
    const open = await statement({ status: "open" });
    expect((await page(open.slug)).body).toContain(`<a class="button" href="/s/${open.slug}/sign">Sign this statement</a>`);
    for (const status of ["closed", "published"] as const) {
      const { slug } = await statement({ status });
      const html: string = (await page(slug)).body;
      expect(html).toContain("Signing is closed.");
      expect(html).not.toContain("Sign this statement");
    }
  });

  it("closes at the deadline even without a change: the cached page expires then", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T10:00:00Z"));
    const { slug } = await statement({ deadline: "2030-01-01T12:00:00.000Z" });
    const before: string = (await page(slug)).body;
    expect(before).toContain("Sign this statement");
    expect(before).toContain("1 January 2030");
    vi.setSystemTime(new Date("2030-01-01T12:00:01Z"));
    expect(cachedStatementPage(slug, () => null)).toBeUndefined();
    const after: string = (await page(slug)).body;
    expect(after).toContain("Signing is closed.");
    expect(after).not.toContain("Sign this statement");
  });
  afterEach(() => vi.useRealTimers());

  it("says no organisation has signed yet, with no lead-in above an empty list", async () => {
    const { slug } = await statement({ names: [] });
    const html: string = (await page(slug)).body;
    expect(html).toContain("No organisation has signed this statement yet.");
    expect(html).not.toContain('class="lead-in"');
    expect(html).not.toContain('class="signatory-list"');
  });

  it("shows hostile text as text: script tags, CRLF, right-to-left overrides, 100,000 characters", async () => {
    const hostile = ["<script>alert(1)</script>", "Evil\r\nInjected: header", "\u202Eredro tsil eht sesrever", "<img src=x onerror=alert(1)>", "x".repeat(100_000)];
    const { id, slug } = await statement({ names: hostile });
    await db.updateTable("statements").set({ title: "<script>alert('title')</script>", lead_in: "<b>lead</b>", body_markdown: "<script>alert(1)</script>\n\n[x](javascript:alert(1))" }).where("id", "=", id).execute();
    await db.updateTable("statement_footnotes").set({ text: "<iframe src=//evil>" }).where("statement_id", "=", id).execute();
    await touchStatement(db, id);
    const html: string = (await page(slug)).body;
    expect(html).not.toMatch(/<script|<img|<iframe|<b>lead|href="javascript/i);
    expect(html).toContain("<title>&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; · Demarche</title>");
    expect(html).toContain("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(html).toContain('<p class="lead-in">&lt;b&gt;lead&lt;/b&gt;</p>');
    expect(names(html).map(unescape).sort()).toEqual([...hostile].sort());
    expect(html).toContain("<bdi>\u202Eredro tsil eht sesrever</bdi>");
  });
});

describe("the page cache", () => {
  it("renders once per version, serves repeats from memory, and shows an approval on the next request", async () => {
    const { id, slug } = await statement({ names: ["First Org"] });
    const renders = statementRenderCount();
    const first = await page(slug);
    expect(statementRenderCount()).toBe(renders + 1);
    const second = await page(slug);
    expect(statementRenderCount()).toBe(renders + 1);
    expect(second.body).toBe(first.body);
    expect(cachedStatementPage(slug, () => null)?.body?.toString()).toBe(first.body);

    // An approval: the status change and the version bump, as the moderation model does it.
    const { id: signatureId } = await sign(id, "Second Org", "pending");
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("signatures").set({ status: "approved" }).where("id", "=", signatureId).execute();
      await touchStatement(trx, id);
    });
    expect(cachedStatementPage(slug, () => null)).toBeUndefined();
    const third = await page(slug);
    expect(names(third.body)).toEqual(["First Org", "Second Org"]);
    expect(third.headers.get("ETag")).not.toBe(first.headers.get("ETag"));
    expect(statementRenderCount()).toBe(renders + 2);
  });

  it("answers 304 to a matching If-None-Match, and serves gzip to those who ask", async () => {
    const { slug } = await statement({ names: ["Some Org"] });
    const full = await page(slug);
    const etag = full.headers.get("ETag")!;
    expect(full.headers.get("Cache-Control")).toBe("no-cache");
    expect(etag).toMatch(/^"\d+-\d+-[\w-]+"$/);
    const again = await page(slug, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe("");

    const zipped = cachedStatementPage(slug, (name) => (name === "accept-encoding" ? "gzip, deflate, br" : null))!;
    expect(zipped.headers["Content-Encoding"]).toBe("gzip");
    expect(gunzipSync(zipped.body!).toString()).toBe(full.body);
    expect(cachedStatementPage(slug, (name) => (name === "accept-encoding" ? "gzip;q=0" : null))!.headers["Content-Encoding"]).toBeUndefined();
    expect(cachedStatementPage(slug, (name) => (name === "if-none-match" ? zipped.headers.ETag : null))!.status).toBe(304);
  });

  it("stops serving a page whose statement went back to draft", async () => {
    const { id, slug } = await statement();
    expect((await page(slug)).status).toBe(200);
    await db.updateTable("statements").set({ status: "draft" }).where("id", "=", id).execute();
    await touchStatement(db, id);
    expect(cachedStatementPage(slug, () => null)).toBeUndefined();
    expect((await page(slug)).status).toBe(404);
  });
});

const seedFile = (() => {
  const dir = path.resolve("../shared/seeds");
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith("000_")) : undefined;
  return file ? path.join(dir, file) : undefined;
})();
if (!seedFile) console.warn("../shared/seeds/000_* not found: the test against the published list is skipped.");

describe("the demo statement", () => {
  it("has 129 approved signatories and the CICC as author", async () => {
    const { coalitionId } = await loadDemoOrganisations(db);
    const { statementId } = await loadDemoStatement(db, { coalitionId });
    expect((await loadDemoStatement(db, { coalitionId })).statementId).toBe(statementId); // a rerun adds nothing
    const s = await db.selectFrom("statements").selectAll().where("id", "=", statementId).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ slug: DEMO_STATEMENT_SLUG, status: "published", published_at: "2025-01-14", statement_date: "2025-01-14", author_organisation_id: coalitionId, language: "en" });
    const rows = await db.selectFrom("signatures").select(["status", "source", "footnote_mark", "organisation_name", "organisation_id"]).where("statement_id", "=", statementId).execute();
    expect(rows).toHaveLength(129);
    expect(rows.every((r) => r.status === "approved" && r.source === "import" && r.organisation_id !== null)).toBe(true);
    expect(rows.filter((r) => r.footnote_mark).map((r) => [r.organisation_name, r.footnote_mark])).toEqual([["Asia Justice Coalition (AJC)", "*"]]);
    expect(await db.selectFrom("statement_points").select("id").where("statement_id", "=", statementId).execute()).toHaveLength(6);
  });

  it.skipIf(!seedFile)("lists the signatories in the published order, with the footnote mark", async () => {
    const text = fs.readFileSync(seedFile!, "utf8");
    const lines = text.split("\n");
    const start = lines.findIndex((l) => l.includes("The Coalition for the International Criminal Court (CICC) and:"));
    const published = lines.slice(start + 1).filter((l) => l.startsWith("- ")).map((l) => l.slice(2).trim());
    expect(published).toHaveLength(129);
    const html: string = (await page(DEMO_STATEMENT_SLUG)).body;
    const shown = [...html.matchAll(/<li><bdi>(.*?)<\/bdi>(?:<a class="fn-ref" href="#fn-\d+">(.*?)<\/a>)?<\/li>/g)].map((m) => unescape(m[1] + (m[2] ?? "")));
    expect(shown).toEqual(published);
    expect(html).toContain('<p class="lead-in">The Coalition for the International Criminal Court (CICC) and:</p>');
    expect(html).toContain("<bdi>Coalition for the International Criminal Court</bdi> (CICC)");
  });
});

describe("the production server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  }, 60_000);
  afterAll(() => server?.stop());

  it("serves the demo statement, then 304 and gzip from the cache, and 404 for unknown slugs", async () => {
    const url = `${server.url}/s/${DEMO_STATEMENT_SLUG}`;
    const first = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
    expect(first.status).toBe(200);
    const html = await first.text();
    expect(names(html)).toHaveLength(129);
    expect(first.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const second = await fetch(url, { headers: { "Accept-Encoding": "identity" } });
    expect(await second.text()).toBe(html);
    expect(second.headers.get("X-Content-Type-Options")).toBe("nosniff"); // the fast path keeps the server's headers
    expect(second.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    const cached = await fetch(url, { headers: { "If-None-Match": second.headers.get("ETag")! } });
    expect(cached.status).toBe(304);
    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect((await fetch(`${server.url}/s/no-such-statement`)).status).toBe(404);
  });
});
