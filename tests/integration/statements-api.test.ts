// GET /api/statements and /api/statements/:slug: the JSON coalition websites embed,
// through the real loaders on this file's own database.
import { beforeAll, describe, expect, it } from "vitest";
import type { StatementStatus } from "../../db/schema";
import { loader as indexLoader } from "~/routes/api.statements._index";
import { loader as detailLoader } from "~/routes/api.statements.$slug";
import { touchStatement } from "~/models/signatory-list.server";
import { nameKey } from "~/models/name-matching.server";
import { statementRenderCount } from "~/workflows/statement-page.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, getRequest, settle } from "../factories";

let db: DB;
beforeAll(async () => {
  db = await migratedDb();
});

let n = 0;
async function statement(status: StatementStatus, signatures: { name: string; status?: "approved" | "pending" | "rejected"; acronym?: string; country?: string; mark?: string }[] = []) {
  const slug = `api-statement-${++n}`;
  const author = await createOrganisation(db, { name: `API Coalition ${n}`, acronym: "APIC" });
  const { id } = await db
    .insertInto("statements")
    .values({ slug, title: `API statement ${n}`, statement_date: `2025-01-${String(n).padStart(2, "0")}`, author_organisation_id: author.id, language: "fr", body_markdown: "Texte.", lead_in: "La coalition et :", status })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("statement_points").values([{ statement_id: id, position: 1, text: "Premier point" }, { statement_id: id, position: 2, text: "Second point" }]).execute();
  await db.insertInto("statement_footnotes").values({ statement_id: id, mark: "*", text: "Une note." }).execute();
  for (const s of signatures) {
    await db
      .insertInto("signatures")
      .values({ statement_id: id, organisation_name: s.name, name_key: nameKey(s.name), acronym: s.acronym ?? null, country_code: s.country ?? null, footnote_mark: s.mark ?? null, status: s.status ?? "approved", source: "import" })
      .execute();
  }
  return { id, slug };
}

const index = (headers: Record<string, string> = {}) => settle(call(indexLoader, getRequest("/api/statements", undefined, headers)));
const detail = (slug: string, headers: Record<string, string> = {}) => settle(call(detailLoader, getRequest(`/api/statements/${slug}`, undefined, headers), { slug }));

describe("GET /api/statements", () => {
  it("lists open and published statements with their approved-signatory counts, newest first", async () => {
    await statement("draft", [{ name: "Hidden" }]);
    const open = await statement("open", [{ name: "One" }, { name: "Two" }, { name: "Waiting", status: "pending" }]);
    await statement("closed", [{ name: "Three" }]);
    const published = await statement("published", [{ name: "Four", status: "rejected" }]);
    const res = await index();
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Cache-Control")).toMatch(/max-age=\d+/);
    expect(res.body).toEqual([
      { slug: published.slug, title: `API statement ${n}`, date: "2025-01-04", status: "published", signatoryCount: 0 },
      { slug: open.slug, title: "API statement 2", date: "2025-01-02", status: "open", signatoryCount: 2 },
    ]);
  });

  it("answers 304 when nothing changed", async () => {
    const etag = (await index()).headers.get("ETag")!;
    expect(etag).toMatch(/^".+"$/);
    expect((await index({ "If-None-Match": etag })).status).toBe(304);
  });
});

describe("GET /api/statements/:slug", () => {
  it("gives the statement with points, lead-in, footnotes and signatories in display order", async () => {
    const { slug } = await statement("open", [
      { name: "Ligue des droits", acronym: "LDH", country: "FR", mark: "*" },
      { name: "Éclaireurs pour la justice" },
      { name: "Zèbre Collectif" },
      { name: "Absent", status: "pending" },
    ]);
    const res = await detail(slug);
    expect(res.status).toBe(200);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(res.headers.get("Content-Type")).toMatch(/application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=60");
    expect(res.body).toMatchObject({
      slug,
      title: `API statement ${n}`,
      date: `2025-01-0${n}`,
      language: "fr",
      status: "open",
      signingOpen: true,
      author: { name: `API Coalition ${n}`, acronym: "APIC" },
      points: ["Premier point", "Second point"],
      leadIn: "La coalition et :",
      footnotes: [{ mark: "*", text: "Une note." }],
      signatoryCount: 3,
      signatories: [
        { name: "Éclaireurs pour la justice", acronym: null, country: null, footnoteMark: null },
        { name: "Ligue des droits", acronym: "LDH", country: "FR", footnoteMark: "*" },
        { name: "Zèbre Collectif", acronym: null, country: null, footnoteMark: null },
      ],
    });
  });

  it("serves a closed statement (so embeds do not go blank before publication)", async () => {
    const { slug } = await statement("closed", [{ name: "Closed Signatory" }]);
    const res = await detail(slug);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "closed", signingOpen: false, signatoryCount: 1 });
  });

  it("is a JSON 404 for drafts and unknown slugs", async () => {
    const draft = await statement("draft");
    for (const slug of [draft.slug, "no-such-statement", "Bad Slug"]) {
      const res = await detail(slug);
      expect(res.status, slug).toBe(404);
      expect(res.body.error).toMatch(/no public statement/);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    }
  });

  it("is cached per version: 304 for a repeat, a fresh answer after an approval", async () => {
    const { id, slug } = await statement("open", [{ name: "Early" }]);
    const first = await detail(slug);
    const renders = statementRenderCount("json");
    const etag = first.headers.get("ETag")!;
    expect((await detail(slug, { "If-None-Match": etag })).status).toBe(304);
    expect(statementRenderCount("json")).toBe(renders);

    await db.insertInto("signatures").values({ statement_id: id, organisation_name: "Late", name_key: nameKey("Late"), status: "pending", source: "form" }).execute();
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("signatures").set({ status: "approved" }).where("statement_id", "=", id).where("organisation_name", "=", "Late").execute();
      await touchStatement(trx, id);
    });
    const after = await detail(slug, { "If-None-Match": etag });
    expect(after.status).toBe(200);
    expect(after.body.signatories.map((s: { name: string }) => s.name)).toEqual(["Early", "Late"]);
    expect(statementRenderCount("json")).toBe(renders + 1);
  });
});
