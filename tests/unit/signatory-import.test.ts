// Importing signatories: reading pasted lists and CSV files, classifying each row,
// and writing the accepted ones in one transaction, on this file's own database.
// Statements are inserted as rows here; the statement model is not needed.
import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { commitImport, decodeUpload, NearIndex, previewImport } from "~/models/signatory-import.server";
import { nearReasons } from "~/models/name-matching.server";
import { approvedSignatories } from "~/models/signatory-list.server";
import { publicationText, publicationList } from "~/models/signatory-export.server";
import type { ChangeContext } from "~/models/audit.server";
import { parseCsv, parsePastedList, IMPORT_MAX_ROWS } from "~/schemas/signatory-import.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { createUser } from "../factories";

let db: DB;
let ctx: ChangeContext;
beforeAll(async () => {
  db = await migratedDb();
  const coordinator = await createUser(db, { role: "coordinator" });
  ctx = { actor: { id: coordinator.id, email: coordinator.email }, ip: "192.0.2.7" };
});

let slugs = 0;
async function insertStatement(opts: { leadIn?: string; footnotes?: { mark: string; text: string }[]; language?: string } = {}) {
  const statement = await db
    .insertInto("statements")
    .values({ slug: `import-test-${++slugs}`, title: `Import test ${slugs}`, statement_date: "2025-01-14", status: "open", lead_in: opts.leadIn ?? "", language: opts.language ?? "en" })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const f of opts.footnotes ?? []) await db.insertInto("statement_footnotes").values({ statement_id: statement.id, ...f }).execute();
  return statement;
}

async function sign(statementId: number, name: string, status: "approved" | "pending" | "withdrawn" = "approved", extra: { acronym?: string; contact_email?: string } = {}) {
  const { nameKey } = await import("~/models/name-matching.server");
  await db.insertInto("signatures").values({ statement_id: statementId, organisation_name: name, name_key: nameKey(name), status, source: "form", ...extra }).execute();
}

async function state(statementId: number) {
  const [signatures, version, audits] = await Promise.all([
    db.selectFrom("signatures").selectAll().where("statement_id", "=", statementId).orderBy("id").execute(),
    db.selectFrom("statements").select("version").where("id", "=", statementId).executeTakeFirstOrThrow(),
    db.selectFrom("audit_log").selectAll().where("action", "=", "signatures.imported").where("subject_id", "=", String(statementId)).execute(),
  ]);
  return { signatures, version: version.version, audits };
}

const ok = <T extends { ok: boolean }>(r: T) => {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
};

describe("reading a pasted list", () => {
  it("drops bullets, blank lines and spaces; reads a trailing mark and (ACRONYM); keeps the name as published", () => {
    const text = "\uFEFF  - Al-Haq\r\n\n• Asia Justice Coalition (AJC)*  \n\t–  Ateneo Human Rights Center\n\n\nReporters Without Borders (RSF) / Reporters Sans Frontières (RSF)\nFoo (the Bar)\n";
    const rows = ok(parsePastedList(text, { leadIn: "" })).rows;
    expect(rows.map((r) => [r.line, r.raw.name, r.raw.acronym, r.raw.footnote])).toEqual([
      [1, "Al-Haq", undefined, undefined],
      [3, "Asia Justice Coalition (AJC)", "AJC", "*"],
      [4, "Ateneo Human Rights Center", undefined, undefined],
      [7, "Reporters Without Borders (RSF) / Reporters Sans Frontières (RSF)", "RSF", undefined],
      [8, "Foo (the Bar)", undefined, undefined],
    ]);
  });

  it("leaves out the statement's lead-in line and footnote texts, so a published list pastes as it is", () => {
    const text = "The Coalition for the  ICC and:\n- Al-Haq\n\n*This is a footnote.\n† Another one";
    const rows = ok(parsePastedList(text, { leadIn: "The Coalition for the ICC and:" })).rows;
    expect(rows.map((r) => [r.line, r.ignored])).toEqual([
      [1, "the statement's lead-in line, not an organisation"],
      [2, null],
      [4, "footnote text, not an organisation"],
      [5, "footnote text, not an organisation"],
    ]);
  });

  it(`refuses more than ${IMPORT_MAX_ROWS.toLocaleString("en")} lines`, () => {
    const text = Array.from({ length: IMPORT_MAX_ROWS + 1 }, (_, i) => `Organisation ${i}`).join("\n");
    expect(parsePastedList(text, { leadIn: "" })).toEqual({ ok: false, message: "Import at most 10,000 organisations at a time; split the list." });
  });
});

describe("reading a CSV file", () => {
  it("takes a BOM, semicolons, columns in any order and a quoted line break, and numbers lines as the file does", () => {
    const text = '\uFEFFName;Country;Acronym\r\nAmnesty International;GB;AI\r\n\r\n"Two\r\nlines";NO;\r\n"Semi; colon";KE;X\r\n;;\r\n';
    const rows = ok(parseCsv(text)).rows;
    expect(rows.map((r) => [r.line, r.raw, r.problems])).toEqual([
      [2, { name: "Amnesty International", country: "GB", acronym: "AI" }, []],
      [4, { name: "Two\r\nlines", country: "NO", acronym: "" }, []],
      [6, { name: "Semi; colon", country: "KE", acronym: "X" }, []],
    ]);
  });

  it("reads commas, and reports a row whose cell count differs from the header", () => {
    const rows = ok(parseCsv("name,email\nA,a@a.org\nB,b@b.org,extra\n")).rows;
    expect(rows.map((r) => [r.line, r.problems])).toEqual([[2, []], [3, ["this line has 3 cells; the header has 2"]]]);
  });

  it("refuses a file without a proper header, an empty file and a broken quote, saying why", () => {
    expect(parseCsv("Amnesty International,AI\n")).toMatchObject({ ok: false, message: expect.stringContaining("it has “amnesty international”. Is the header line missing?") });
    expect(parseCsv("acronym,country\nAI,GB\n")).toMatchObject({ ok: false, message: expect.stringContaining("needs a “name” column") });
    expect(parseCsv("name,name\nA,B\n")).toMatchObject({ ok: false, message: "The column “name” appears twice in the header line." });
    expect(parseCsv("\uFEFF \n")).toEqual({ ok: false, message: "The file is empty." });
    expect(parseCsv('name\n"unclosed\n')).toMatchObject({ ok: false, message: expect.stringMatching(/^The CSV file could not be read: Quote Not Closed/) });
  });

  it("decodes UTF-8 with or without BOM, and names what is wrong with other files", () => {
    const utf8 = new TextEncoder().encode("name\nRéseau Equitas\n");
    expect(decodeUpload(utf8)).toEqual({ ok: true, text: "name\nRéseau Equitas\n" });
    expect(decodeUpload(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ ok: true, text: "name\nRéseau Equitas\n" });
    expect(decodeUpload(new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x52, 0xe9, 0x73]))).toMatchObject({ ok: false, message: expect.stringContaining("not UTF-8") });
    expect(decodeUpload(new Uint8Array([0x50, 0x4b, 3, 4, 0]))).toMatchObject({ ok: false, message: expect.stringContaining("not a CSV file") });
    expect(decodeUpload(new Uint8Array(2 * 1024 * 1024 + 1))).toMatchObject({ ok: false, message: expect.stringContaining("larger than 2 MB") });
  });
});

describe("the preview", () => {
  const hostileCsv = [
    "name,acronym,country,email,footnote",
    " amnesty  international.,,,,", // 2: the existing approved signature
    "Al-Haq Europe,,PS,,", // 3
    "Human Rights Watch,HRW,us,Press@HRW.org,", // 4
    "HUMAN RIGHTS WATCH,,,,", // 5: same as line 4
    "Bad Country,,ZZ,,", // 6
    "Bad Mail,,,not-an-email,", // 7
    "Bad Mark,,,,†", // 8
    "<script>alert(1)</script>,,,,*", // 9
    "Evil\u202Egro,,,,", // 10
    `${"x".repeat(100_000)},,,,`, // 11
    '"Two\r\nLines",,,,', // 12-13
    "Human Rights Wacth,,,,", // 14: a typo of line 4
    "Al-Haq,,,,", // 15: pending on the statement
    "=HYPERLINK(\"http://evil.example\"),,,,", // 16
    "Short,,,,,extra", // 17
  ].join("\r\n");

  it("classifies each row (new, duplicate of whom, invalid and why) and writes nothing", async () => {
    const s = await insertStatement({ footnotes: [{ mark: "*", text: "A note." }] });
    await sign(s.id, "Amnesty International", "approved");
    await sign(s.id, "Al-Haq", "pending");
    const before = await state(s.id);

    const { preview } = ok(await previewImport(db, s, "csv", hostileCsv));
    const byLine = Object.fromEntries(preview.rows.map((r) => [r.line, r]));
    const summary = preview.rows.map((r) => [r.line, r.kind]);
    expect(summary).toEqual([
      [2, "duplicate"], [3, "new"], [4, "new"], [5, "duplicate"], [6, "invalid"], [7, "invalid"], [8, "invalid"], [9, "new"],
      [10, "invalid"], [11, "invalid"], [12, "invalid"], [14, "new"], [15, "duplicate"], [16, "new"], [17, "invalid"],
    ]);
    expect(preview.counts).toEqual({ new: 5, duplicate: 3, invalid: 7, ignored: 0 });
    expect(byLine[2].reasons).toEqual(["already on this statement as “Amnesty International” (approved)"]);
    expect(byLine[5].reasons).toEqual(["same organisation as line 4 (“Human Rights Watch”)"]);
    expect(byLine[15].reasons).toEqual(["already on this statement as “Al-Haq” (pending)"]);
    expect(byLine[4]).toMatchObject({ name: "Human Rights Watch", acronym: "HRW", country: "US", email: "press@hrw.org" });
    expect(byLine[6].reasons).toEqual(["country 'ZZ' is not an ISO 3166-1 code"]);
    expect(byLine[7].reasons).toEqual(["Email must be a valid email address, like name@example.org."]);
    expect(byLine[8].reasons).toEqual(["footnote '†' is not one of this statement's footnote marks (its marks are *)"]);
    expect(byLine[9]).toMatchObject({ name: "<script>alert(1)</script>", footnoteMark: "*" });
    expect(byLine[10].reasons).toEqual(["Name must not contain text-direction control characters."]);
    expect(byLine[10].name).toBe("Evil⟨U+202E⟩gro");
    expect(byLine[11].reasons).toEqual(["Name must be at most 300 characters."]);
    expect(byLine[11].name).toHaveLength(121);
    expect(byLine[12].reasons).toEqual(["Name must be a single line without control characters."]);
    expect(byLine[12].name).toBe("Two⟨U+000D⟩⟨U+000A⟩Lines");
    expect(byLine[14].warnings).toEqual(["looks like line 4 (“Human Rights Watch”): similar name"]);
    expect(byLine[3].warnings).toEqual([]);
    expect(byLine[17].reasons).toEqual(["this line has 6 cells; the header has 5"]);

    expect(await state(s.id)).toEqual(before);
  });

  it("warns of near duplicates among the statement's signatures (acronym, mail domain) but still counts them new", async () => {
    const s = await insertStatement();
    await sign(s.id, "International Federation for Human Rights", "approved", { acronym: "FIDH", contact_email: "info@fidh.org" });
    const csv = "name,acronym,email\nFédération internationale pour les droits humains,FIDH,\nSomeone Else,,press@fidh.org\nGmail Users,,someone@gmail.com\n";
    const { preview } = ok(await previewImport(db, s, "csv", csv));
    expect(preview.rows.map((r) => [r.kind, r.warnings])).toEqual([
      ["new", ["looks like “International Federation for Human Rights” (approved, on this statement): same acronym"]],
      ["new", ["looks like “International Federation for Human Rights” (approved, on this statement): same email domain"]],
      ["new", []],
    ]);
  });

  it("says what is wrong with the whole input instead of a row table", async () => {
    const s = await insertStatement();
    expect(await previewImport(db, s, "paste", " \n\n")).toEqual({ ok: false, message: "Paste the list of organisations, one per line." });
    expect(await previewImport(db, s, "csv", "name\n")).toEqual({ ok: false, message: "The file has no rows below its header line." });
  });

  it("finds the same near duplicates as comparing every pair", () => {
    // Names from a few syllables, many one or two typos apart, some sharing acronyms or domains.
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const syllables = ["al", "haq", "ju", "sti", "ce", "net", "wo", "rk", "pe", "ace", "lex", "or", "mi", "zan", "tru", "th", "hou", "nd", "ri", "ght", "ob", "ser", "va", "to"];
    const letters = "abcdefghijklmnopqrstuvwxyz";
    const typo = (s: string) => {
      const at = random(s.length);
      const edit = random(3);
      const ch = letters[random(26)];
      return edit === 0 ? s.slice(0, at) + s.slice(at + 1) : edit === 1 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
    };
    const items: { name: string; acronym: string | null; email: string | null }[] = [];
    for (let i = 0; i < 500; i++) {
      const earlier = items.length && random(3) === 0 ? items[random(items.length)].name : null;
      const name = earlier
        ? (random(2) ? typo(typo(earlier)) : typo(earlier))
        : Array.from({ length: 3 + random(6) }, () => syllables[random(syllables.length)]).join(random(3) ? "" : " ");
      items.push({ name, acronym: random(20) ? null : `A${random(9)}X`, email: random(20) ? null : `x@d${random(9)}.org` });
    }
    const index = new NearIndex();
    let compared = 0;
    let nearFound = 0;
    items.forEach((item, i) => {
      const brute = items.slice(0, i).flatMap((other, j) => {
        const reasons = nearReasons(item, other);
        return reasons.length ? [`looks like #${j}: ${reasons.join(", ")}`] : [];
      });
      const found = index.match(item);
      if (brute.length <= 5) {
        expect(new Set(found)).toEqual(new Set(brute));
        compared++;
        if (brute.some((b) => b.includes("similar name"))) nearFound++;
      } else expect(found).toHaveLength(5);
      index.add(`#${i}`, item);
    });
    expect(compared).toBeGreaterThan(350);
    expect(nearFound).toBeGreaterThan(150);
  });

  it("previews 10,000 rows in reasonable time", async () => {
    const s = await insertStatement();
    const words = ["Human", "Rights", "Centre", "Justice", "Peace", "Network", "Legal", "Aid", "Women", "Forum", "Action", "Watch"];
    const names = Array.from({ length: IMPORT_MAX_ROWS }, (_, i) => `${words[i % 12]} ${words[(i * 7) % 12]} ${words[(i * 5 + 3) % 12]} ${i.toString(36)}`);
    const started = performance.now();
    const { preview } = ok(await previewImport(db, s, "paste", names.join("\n")));
    const ms = performance.now() - started;
    expect(preview.counts.new).toBe(IMPORT_MAX_ROWS);
    expect(ms).toBeLessThan(5_000);
  });
});

describe("confirming", () => {
  it("writes only the new rows, approved, with one version bump and one audit entry; a second run adds nothing", async () => {
    const s = await insertStatement({ footnotes: [{ mark: "*", text: "A note." }] });
    await sign(s.id, "Amnesty International");
    const before = await state(s.id);
    const csv = "name,acronym,country,email,footnote\nAmnesty International,,,,\nHuman Rights Watch,HRW,us,press@hrw.org,*\nBad,,ZZ,,\nNorwegian Helsinki Committee,,NO,nhc@gmail.com,\n";

    expect(await commitImport(db, ctx, s.id, "csv", csv)).toEqual({ ok: true, added: 2, skipped: 2 });
    const after = await state(s.id);
    expect(after.version).toBe(before.version + 1);
    const added = after.signatures.slice(1);
    expect(added.map((g) => [g.organisation_name, g.acronym, g.country_code, g.contact_email, g.email_domain, g.footnote_mark, g.status, g.source, g.name_key, g.decided_by])).toEqual([
      ["Human Rights Watch", "HRW", "US", "press@hrw.org", "hrw.org", "*", "approved", "import", "human rights watch", ctx.actor!.id],
      ["Norwegian Helsinki Committee", null, "NO", "nhc@gmail.com", null, null, "approved", "import", "norwegian helsinki committee", ctx.actor!.id],
    ]);
    expect(after.audits).toHaveLength(1);
    expect(after.audits[0]).toMatchObject({ actor_user_id: ctx.actor!.id, ip: "192.0.2.7", subject_type: "statement" });
    expect(JSON.parse(after.audits[0].detail!)).toEqual({ slug: s.slug, source: "csv", count: 2, skipped: 2 });

    expect(await commitImport(db, ctx, s.id, "csv", csv)).toEqual({ ok: true, added: 0, skipped: 4 });
    expect(await state(s.id)).toEqual(after);
  });

  it("classifies again at confirmation: a row that became a duplicate since the preview is skipped", async () => {
    const s = await insertStatement();
    const text = "- Al-Haq\n- Al-Haq Europe\n";
    expect(ok(await previewImport(db, s, "paste", text)).preview.counts.new).toBe(2);
    await sign(s.id, "AL HAQ", "pending"); // signed through the form meanwhile
    expect(await commitImport(db, ctx, s.id, "paste", text)).toEqual({ ok: true, added: 1, skipped: 1 });
    expect((await state(s.id)).signatures.map((g) => [g.organisation_name, g.status])).toEqual([["AL HAQ", "pending"], ["Al-Haq Europe", "approved"]]);
  });

  it("links a signature to the organisation of the same name in the address book", async () => {
    const s = await insertStatement();
    const org = await db.insertInto("organisations").values({ name: "Justice Call" }).returning("id").executeTakeFirstOrThrow();
    ok(await commitImport(db, ctx, s.id, "paste", "justice call\nUnknown Org\n"));
    expect((await state(s.id)).signatures.map((g) => [g.organisation_name, g.organisation_id])).toEqual([["justice call", org.id], ["Unknown Org", null]]);
  });

  it("writes all or nothing: an insert failing halfway rolls back every row, the version and the audit entry", async () => {
    const s = await insertStatement();
    const before = await state(s.id);
    // A real failure inside the transaction, after the first batch of 500 rows is in.
    await sql`create trigger refuse_boom before insert on signatures when new.organisation_name = 'Boom Org' begin select raise(abort, 'boom'); end`.execute(db);
    try {
      const names = [...Array.from({ length: 600 }, (_, i) => `Organisation number ${i}`), "Boom Org"];
      await expect(commitImport(db, ctx, s.id, "paste", names.join("\n"))).rejects.toThrow(/boom/);
    } finally {
      await sql`drop trigger refuse_boom`.execute(db);
    }
    expect(await state(s.id)).toEqual(before);
  });

  it("stores hostile text as text and refuses what a name must not hold", async () => {
    const s = await insertStatement();
    const text = "<img src=x onerror=alert(1)>\n\"; DROP TABLE signatures; --\nEvil\u202Egro\n";
    expect(await commitImport(db, ctx, s.id, "paste", text)).toEqual({ ok: true, added: 2, skipped: 1 });
    expect((await state(s.id)).signatures.map((g) => g.organisation_name)).toEqual(["<img src=x onerror=alert(1)>", "\"; DROP TABLE signatures; --"]);
  });
});

describe("the seed's signatory list", () => {
  const dir = path.resolve(__dirname, "../../../shared/seeds");
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.startsWith("000_")) : undefined;
  const LEAD_IN = "The Coalition for the International Criminal Court (CICC) and:";

  it.skipIf(!file)("imports the 129 names in any order and lists them in the seed's order, AJC with its footnote (needs ../shared/seeds/000_*)", async () => {
    const seed = fs.readFileSync(path.join(dir, file!), "utf8");
    const section = seed.slice(seed.indexOf(LEAD_IN));
    const lines = section.split("\n");
    const published = lines.filter((l) => l.startsWith("- ")).map((l) => l.slice(2).trim().replace(/\*$/, ""));
    expect(published).toHaveLength(129);

    // The names shuffled (a fixed permutation), with the lead-in first and the footnote last, as pasted.
    const names = lines.filter((l) => l.startsWith("- "));
    const shuffled = names.map((_, i) => names[(i * 37) % names.length]);
    expect(new Set(shuffled).size).toBe(129);
    const footnote = lines.find((l) => l.startsWith("**"))!;
    const pasted = [LEAD_IN, "", ...shuffled, "", footnote].join("\n");

    const s = await insertStatement({ leadIn: LEAD_IN, footnotes: [{ mark: "*", text: "The coalition signs; not every member holds these views." }] });
    const { preview } = ok(await previewImport(db, s, "paste", pasted));
    expect(preview.counts).toEqual({ new: 129, duplicate: 0, invalid: 0, ignored: 2 });
    expect(await commitImport(db, ctx, s.id, "paste", pasted)).toEqual({ ok: true, added: 129, skipped: 2 });

    const listed = await approvedSignatories(db, s.id, "en");
    expect(listed.map((g) => g.name)).toEqual(published);
    expect(listed.filter((g) => g.footnoteMark).map((g) => [g.name, g.acronym, g.footnoteMark])).toEqual([["Asia Justice Coalition (AJC)", "AJC", "*"]]);

    // The plain-text export pastes back in unchanged: same names, same mark, nothing else.
    const again = await insertStatement({ leadIn: LEAD_IN, footnotes: [{ mark: "*", text: "The coalition signs." }] });
    const exported = publicationText(await publicationList(db, s));
    expect(await commitImport(db, ctx, again.id, "paste", exported)).toEqual({ ok: true, added: 129, skipped: 2 });
    expect(await approvedSignatories(db, again.id, "en")).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "Asia Justice Coalition (AJC)", footnoteMark: "*" })]),
    );
    expect((await approvedSignatories(db, again.id, "en")).map((g) => g.name)).toEqual(published);
  });
});
