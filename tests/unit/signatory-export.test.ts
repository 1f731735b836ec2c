// Exporting signatories: the CSV of every signature (formula cells neutralised, BOM,
// all statuses) and the published list as text, Markdown and JSON (approved only,
// display order, Markdown that a name cannot take over).
import { parse } from "csv-parse/sync";
import MarkdownIt from "markdown-it";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CSV_EXPORT_COLUMNS,
  escapeMarkdown,
  exportFormatOf,
  exportSignatories,
  publicationMarkdown,
  publicationText,
  signaturesCsv,
} from "~/models/signatory-export.server";
import { nameKey } from "~/models/name-matching.server";
import type { Statement } from "../../db/schema";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";

let db: DB;
let statement: Statement;
beforeAll(async () => {
  db = await migratedDb();
  statement = await db
    .insertInto("statements")
    .values({ slug: "export-test", title: "Stand with the Court", statement_date: "2025-01-14", status: "published", lead_in: "The Coalition and:", language: "en" })
    .returningAll()
    .executeTakeFirstOrThrow();
  await db.insertInto("statement_footnotes").values([
    { statement_id: statement.id, mark: "*", text: "Signs as a coalition; *not* every member agrees." },
    { statement_id: statement.id, mark: "†", text: "Joined late." },
  ]).execute();
  const rows: [string, "approved" | "pending" | "rejected" | "withdrawn" | "removed" | "unverified", Partial<{ acronym: string; country_code: string; footnote_mark: string; contact_email: string; display_name: string }>][] = [
    ["Zarga Organisation for Rural Development", "approved", { country_code: "SD" }],
    ["Asia Justice Coalition (AJC)", "approved", { acronym: "AJC", footnote_mark: "*" }],
    ["=HYPERLINK(\"http://evil.example\",\"click\")", "pending", { contact_email: "-2+3@evil.example" }],
    ["Al-Haq", "approved", { country_code: "PS" }],
    ["Réseau Equitas Côte d'Ivoire (REQCI)", "approved", { acronym: "REQCI", country_code: "CI" }],
    ["Rejected Org", "rejected", {}],
    ["Withdrawn Org", "withdrawn", {}],
    ["Removed Org", "removed", {}],
    ["Unverified Org", "unverified", {}],
    ["al haq europe", "approved", { display_name: "Al-Haq Europe", footnote_mark: "†" }],
  ];
  for (const [name, status, extra] of rows) {
    await db.insertInto("signatures").values({ statement_id: statement.id, organisation_name: name, name_key: nameKey(name), status, source: "form", ...extra }).execute();
  }
});

const APPROVED_IN_ORDER = ["Al-Haq", "Al-Haq Europe", "Asia Justice Coalition (AJC)", "Réseau Equitas Côte d'Ivoire (REQCI)", "Zarga Organisation for Rural Development"];

describe("the CSV of every signature", () => {
  it("has every status and field (not the token hashes), a BOM, CRLF, and accents intact", async () => {
    const file = await exportSignatories(db, statement, "csv");
    expect(file).toMatchObject({ contentType: "text/csv; charset=utf-8", filename: "export-test-signatories.csv" });
    expect(file.body.startsWith("\uFEFFid,statement_id,status,organisation_name,")).toBe(true);
    expect(file.body).toContain("\r\n");
    const records: Record<string, string>[] = parse(file.body, { bom: true, columns: true });
    expect(Object.keys(records[0])).toEqual([...CSV_EXPORT_COLUMNS]);
    expect(Object.keys(records[0])).not.toContain("verify_token_hash");
    expect(records).toHaveLength(10);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(["approved", "pending", "rejected", "withdrawn", "removed", "unverified"]));
    expect(records.find((r) => r.acronym === "REQCI")!.organisation_name).toBe("Réseau Equitas Côte d'Ivoire (REQCI)");
    expect(records.find((r) => r.display_name === "Al-Haq Europe")!.organisation_name).toBe("al haq europe");
  });

  it("puts an apostrophe before any cell a spreadsheet would run as a formula", () => {
    const base = Object.fromEntries(CSV_EXPORT_COLUMNS.map((c) => [c, null])) as never as Parameters<typeof signaturesCsv>[0][number];
    const hostile = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rCR", "Plain, with comma", "Nürnberger Menschenrechtszentrum"];
    const csv = signaturesCsv(hostile.map((name, i) => ({ ...base, id: i + 1, organisation_name: name })));
    const names = (parse(csv, { bom: true, columns: true }) as Record<string, string>[]).map((r) => r.organisation_name);
    expect(names).toEqual(["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tTab", "'\rCR", "Plain, with comma", "Nürnberger Menschenrechtszentrum"]);
  });

  it("neutralises the stored formula and email of a hostile sign-on", async () => {
    const records: Record<string, string>[] = parse((await exportSignatories(db, statement, "csv")).body, { bom: true, columns: true });
    const hostile = records.find((r) => r.status === "pending")!;
    expect([hostile.organisation_name, hostile.contact_email]).toEqual(["'=HYPERLINK(\"http://evil.example\",\"click\")", "'-2+3@evil.example"]);
  });
});

describe("the published list", () => {
  it("as plain text: lead-in, approved names in display order with their marks, then the footnotes", async () => {
    const file = await exportSignatories(db, statement, "txt");
    expect(file).toMatchObject({ contentType: "text/plain; charset=utf-8", filename: "export-test-signatories.txt" });
    expect(file.body).toBe(
      [
        "The Coalition and:",
        "",
        "Al-Haq",
        "Al-Haq Europe†",
        "Asia Justice Coalition (AJC)*",
        "Réseau Equitas Côte d'Ivoire (REQCI)",
        "Zarga Organisation for Rural Development",
        "",
        "* Signs as a coalition; *not* every member agrees.",
        "† Joined late.",
        "",
      ].join("\n"),
    );
  });

  it("as Markdown: a bulleted list whose names are text only, footnotes after", async () => {
    const file = await exportSignatories(db, statement, "md");
    expect(file.contentType).toBe("text/markdown; charset=utf-8");
    expect(file.body).toBe(
      [
        "The Coalition and:",
        "",
        "- Al\\-Haq",
        "- Al\\-Haq Europe†",
        "- Asia Justice Coalition \\(AJC\\)\\*",
        "- Réseau Equitas Côte d'Ivoire \\(REQCI\\)",
        "- Zarga Organisation for Rural Development",
        "",
        "\\* Signs as a coalition; *not* every member agrees.",
        "",
        "† Joined late.",
        "",
      ].join("\n").replace("The Coalition and:", "The Coalition and\\:"),
    );
    const html = new MarkdownIt().render(file.body);
    expect(html).toContain("<li>Asia Justice Coalition (AJC)*</li>");
    expect(html).toContain("<em>not</em>"); // footnote text is Markdown, as on the public page
  });

  it("escapes every name so it cannot become a link, emphasis, HTML or another block", () => {
    // The harshest reader: raw HTML allowed, bare addresses turned into links.
    const md = new MarkdownIt({ html: true, linkify: true });
    const names = [
      "[click me](https://evil.example)",
      "![img](https://evil.example/x.png)",
      "<script>alert(1)</script>",
      "<https://evil.example>",
      "*bold* and __strong__ and `code`",
      "# Heading",
      "1. Numbered",
      "> quote",
      "| a | b |",
      "StoptheDrugWar.org",
      "www.evil.example",
      "https://evil.example/path",
      "mail@evil.example",
      "&lt;b&gt; entity",
      "~~gone~~",
      "Line\r\nbreak",
    ];
    for (const name of names) {
      const html = md.renderInline(escapeMarkdown(name));
      expect(html, name).not.toMatch(/<(a|em|strong|code|img|script|h1|ol|blockquote|table|del|s)\b/);
    }
    expect(md.render(`- ${escapeMarkdown("1. Numbered")}`)).toBe("<ul>\n<li>1. Numbered</li>\n</ul>\n");
    expect(md.renderInline(escapeMarkdown("[click me](https://evil.example)"))).toBe("[click me](https://evil.example)");
    expect(md.renderInline(escapeMarkdown("<script>alert(1)</script>"))).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(publicationText({ title: "", date: "", language: "en", leadIn: "", footnotes: [], signatories: [{ id: 1, name: "Line\r\nbreak", acronym: null, country: null, footnoteMark: null }] })).toBe("Line break\n");
    expect(publicationMarkdown({ title: "", date: "", language: "en", leadIn: "", footnotes: [], signatories: [] })).toBe("\n");
  });

  it("as JSON: the statement's facts and the approved signatories in display order", async () => {
    const file = await exportSignatories(db, statement, "json");
    expect(file).toMatchObject({ contentType: "application/json; charset=utf-8", filename: "export-test-signatories.json" });
    const json = JSON.parse(file.body);
    expect(Object.keys(json)).toEqual(["title", "date", "language", "leadIn", "footnotes", "signatoryCount", "signatories"]);
    expect(json).toMatchObject({ title: "Stand with the Court", date: "2025-01-14", language: "en", leadIn: "The Coalition and:", signatoryCount: 5 });
    expect(json.footnotes).toEqual([{ mark: "*", text: "Signs as a coalition; *not* every member agrees." }, { mark: "†", text: "Joined late." }]);
    expect(json.signatories.map((s: { name: string }) => s.name)).toEqual(APPROVED_IN_ORDER);
    expect(json.signatories[2]).toEqual({ name: "Asia Justice Coalition (AJC)", acronym: "AJC", country: null, footnoteMark: "*" });
    expect(json.signatories[0]).toEqual({ name: "Al-Haq", acronym: null, country: "PS", footnoteMark: null });
  });

  it("never holds a signature that is not approved", async () => {
    for (const format of ["txt", "md", "json"] as const) {
      const { body } = await exportSignatories(db, statement, format);
      for (const name of ["Rejected", "Withdrawn", "Removed", "Unverified", "HYPERLINK", "evil"]) expect(body, `${format}: ${name}`).not.toContain(name);
    }
  });
});

it("knows the four file names and nothing else", () => {
  expect(["signatories.csv", "signatories.txt", "signatories.md", "signatories.json"].map(exportFormatOf)).toEqual(["csv", "txt", "md", "json"]);
  for (const other of [undefined, "", "signatories.xlsx", "../signatories.csv", "SIGNATORIES.CSV", "csv"]) expect(exportFormatOf(other)).toBeNull();
});
