// The statement's life cycle and editing rules, against a real migrated database:
// the table of what may change in each state, the transitions, closing by deadline,
// slugs, the order of points and the "updated on" mark of published statements.
import { beforeAll, describe, expect, it } from "vitest";
import type { StatementStatus } from "../../db/schema";
import { FieldInputError } from "~/platform/errors.server";
import { type ChangeContext } from "~/models/audit.server";
import { createStatement, statementParts, updateStatement } from "~/models/statement.server";
import {
  acceptsSignatures,
  allowedTransitions,
  canChange,
  changeRule,
  closeExpiredStatements,
  effectiveStatus,
  LifecycleError,
  nextDeadline,
  STATEMENT_CHANGES,
  STATEMENT_STATUSES,
  transitionStatement,
  type TransitionName,
} from "~/models/statement-lifecycle.server";
import { watchDeadlines } from "~/jobs/deadlines.server";
import { parseDeadline, slugFromTitle, slugProblem, splitPoints, statementSchema, type StatementInput } from "~/schemas/statement.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { createUser } from "../factories";

let db: DB;
let ctx: ChangeContext;
beforeAll(async () => {
  db = await migratedDb({ countries: false });
  const user = await createUser(db);
  ctx = { actor: { id: user.id, email: user.email }, ip: "127.0.0.1" };
});

let n = 0;
const input = (over: Partial<StatementInput> = {}): StatementInput => ({
  title: `Statement ${++n}`,
  slug: `statement-${n}`,
  date: "2025-01-14",
  author: null,
  language: "en",
  lead_in: "The Coalition for the International Criminal Court (CICC) and:",
  body: "We, the undersigned organisations, stand with the Court.",
  points: ["First demand", "Second demand"],
  footnotes: [{ mark: "*", text: "A footnote." }],
  deadline: null,
  confirm_update: false,
  ...over,
});

/** A statement brought to `status` through the real transitions. */
async function statementIn(status: StatementStatus, over: Partial<StatementInput> = {}) {
  const { id } = await createStatement(db, ctx, input(over));
  const path: Record<StatementStatus, TransitionName[]> = { draft: [], open: ["open"], closed: ["open", "close"], published: ["open", "close", "publish"] };
  for (const step of path[status]) await transitionStatement(db, ctx, id, step);
  return db.selectFrom("statements").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

const audits = (id: number) => db.selectFrom("audit_log").select(["action", "detail"]).where("subject_type", "=", "statement").where("subject_id", "=", String(id)).orderBy("id").execute();
const version = async (id: number) => (await db.selectFrom("statements").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;

describe("what may change in each state", () => {
  // The whole table, written out: a change to the rules must change this test too.
  const expected: Record<StatementStatus, Record<(typeof STATEMENT_CHANGES)[number], "allowed" | "noted" | "refused">> = {
    draft: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "allowed", deadline: "allowed", signatures: "refused", signatories: "allowed" },
    open: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "refused", deadline: "allowed", signatures: "allowed", signatories: "allowed" },
    closed: { text: "allowed", points: "allowed", footnotes: "allowed", slug: "refused", deadline: "refused", signatures: "refused", signatories: "allowed" },
    published: { text: "noted", points: "noted", footnotes: "noted", slug: "refused", deadline: "refused", signatures: "refused", signatories: "allowed" },
  };
  for (const status of STATEMENT_STATUSES) {
    for (const what of STATEMENT_CHANGES) {
      it(`${status} × ${what}: ${expected[status][what]}`, () => {
        expect(changeRule(status, what)).toBe(expected[status][what]);
        expect(canChange(status, what)).toBe(expected[status][what] !== "refused");
      });
    }
  }

  it("lists the transitions of each state", () => {
    const table = Object.fromEntries(STATEMENT_STATUSES.map((s) => [s, allowedTransitions(s).map((t) => `${t.name}->${t.to}`)]));
    expect(table).toEqual({
      draft: ["open->open"],
      open: ["close->closed"],
      closed: ["publish->published", "reopen->open"],
      published: ["reopen->open"],
    });
  });
});

describe("transitions", () => {
  it("walks draft -> open -> closed -> published -> open, each with an audit entry and a new version", async () => {
    const { id } = await createStatement(db, ctx, input());
    const deadline = new Date(Date.now() + 86400_000).toISOString();
    let v = await version(id);
    for (const [step, to] of [["open", "open"], ["close", "closed"], ["publish", "published"], ["reopen", "open"]] as const) {
      expect(await transitionStatement(db, ctx, id, step, { deadline: step === "open" ? deadline : null })).toBe(to);
      const now = await version(id);
      expect(now).toBeGreaterThan(v);
      v = now;
    }
    expect((await audits(id)).map((a) => a.action)).toEqual(["statement.created", "statement.opened", "statement.closed", "statement.published", "statement.reopened"]);
    const row = await db.selectFrom("statements").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.published_at).not.toBeNull();
    expect(row.signing_deadline).toBeNull(); // reopened without a deadline
  });

  it("keeps the first publication date when republished", async () => {
    const s = await statementIn("published");
    await transitionStatement(db, ctx, s.id, "reopen");
    await transitionStatement(db, ctx, s.id, "close");
    await transitionStatement(db, ctx, s.id, "publish", { now: new Date(Date.now() + 3600_000) });
    expect((await db.selectFrom("statements").select("published_at").where("id", "=", s.id).executeTakeFirstOrThrow()).published_at).toBe(s.published_at);
  });

  const illegal: [StatementStatus, TransitionName][] = [
    ["draft", "close"], ["draft", "publish"], ["draft", "reopen"],
    ["open", "open"], ["open", "publish"], ["open", "reopen"],
    ["closed", "open"], ["closed", "close"],
    ["published", "open"], ["published", "close"], ["published", "publish"],
  ];
  for (const [status, step] of illegal) {
    it(`refuses ${step} from ${status}, writing nothing`, async () => {
      const s = await statementIn(status);
      const before = await audits(s.id);
      await expect(transitionStatement(db, ctx, s.id, step)).rejects.toBeInstanceOf(LifecycleError);
      const after = await db.selectFrom("statements").select(["status", "version"]).where("id", "=", s.id).executeTakeFirstOrThrow();
      expect(after).toEqual({ status, version: s.version });
      expect(await audits(s.id)).toEqual(before);
    });
  }

  it("refuses a deadline in the past, and opening a statement without text", async () => {
    const { id } = await createStatement(db, ctx, input());
    await expect(transitionStatement(db, ctx, id, "open", { deadline: "2020-01-01T00:00:00.000Z" })).rejects.toThrow(/future/);
    const empty = await createStatement(db, ctx, input({ body: "" }));
    await expect(transitionStatement(db, ctx, empty.id, "open")).rejects.toThrow(/text/);
  });
});

describe("closing by deadline", () => {
  it("closes only open statements whose deadline has passed, once, with an audit entry and a new version", async () => {
    const now = new Date();
    const soon = new Date(now.getTime() + 60_000).toISOString();
    const due = await statementIn("open");
    await db.updateTable("statements").set({ signing_deadline: soon }).where("id", "=", due.id).execute();
    const later = await statementIn("open");
    await db.updateTable("statements").set({ signing_deadline: new Date(now.getTime() + 86400_000).toISOString() }).where("id", "=", later.id).execute();
    const noDeadline = await statementIn("open");
    const draft = await statementIn("draft", { deadline: soon });

    expect(effectiveStatus({ status: "open", signing_deadline: soon }, new Date(now.getTime() + 120_000))).toBe("closed");
    expect(acceptsSignatures({ status: "open", signing_deadline: soon }, now)).toBe(true);
    expect(acceptsSignatures({ status: "open", signing_deadline: soon }, new Date(now.getTime() + 120_000))).toBe(false);

    expect(await closeExpiredStatements(db, now)).toBe(0);
    const v = await version(due.id);
    const at = new Date(now.getTime() + 120_000);
    expect(await closeExpiredStatements(db, at)).toBeGreaterThanOrEqual(1);
    const status = async (id: number) => (await db.selectFrom("statements").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;
    expect(await status(due.id)).toBe("closed");
    expect([await status(later.id), await status(noDeadline.id), await status(draft.id)]).toEqual(["open", "open", "draft"]);
    expect(await version(due.id)).toBe(v + 1);
    const entry = (await audits(due.id)).at(-1)!;
    expect(entry.action).toBe("statement.closed_by_deadline");
    expect(JSON.parse(entry.detail!)).toMatchObject({ deadline: soon });
    expect(await closeExpiredStatements(db, at)).toBe(0);
  });

  it("is done by the background timer at the deadline itself", async () => {
    const s = await statementIn("open");
    const deadline = new Date(Date.now() + 300).toISOString();
    await db.updateTable("statements").set({ signing_deadline: deadline }).where("id", "=", s.id).execute();
    expect(await nextDeadline(db)).toBe(deadline);
    const stop = watchDeadlines(db, { maxWaitMs: 60_000 });
    try {
      await expect.poll(async () => (await db.selectFrom("statements").select("status").where("id", "=", s.id).executeTakeFirstOrThrow()).status, { timeout: 3000, interval: 50 }).toBe("closed");
    } finally {
      stop();
    }
  });

  it("closes an expired statement before judging a transition on it", async () => {
    const s = await statementIn("open");
    await db.updateTable("statements").set({ signing_deadline: "2020-01-01T00:00:00.000Z" }).where("id", "=", s.id).execute();
    await expect(transitionStatement(db, ctx, s.id, "close")).rejects.toBeInstanceOf(LifecycleError);
    expect(await transitionStatement(db, ctx, s.id, "publish")).toBe("published");
  });
});

describe("slugs", () => {
  it("accepts lowercase words joined by single hyphens, and nothing else", () => {
    for (const ok of ["oppose-icc-sanctions", "statement-2025", "a", "x".repeat(80)]) expect(slugProblem(ok)).toBeNull();
    for (const bad of ["Oppose", "two--hyphens", "-lead", "trail-", "with space", "ünïcode", "x".repeat(81), "new", "a_b", "a/b"]) expect(slugProblem(bad)).not.toBeNull();
  });

  it("suggests one from the title", () => {
    expect(slugFromTitle("Civil society urges States to oppose ICC sanctions")).toBe("civil-society-urges-states-to-oppose-icc-sanctions");
    expect(slugFromTitle("Déclaration : « Non aux sanctions ! »")).toBe("declaration-non-aux-sanctions");
    expect(slugFromTitle("Støtt Domstolen")).toBe("stott-domstolen");
    expect(slugFromTitle("بيان")).toBe("");
  });

  it("makes a free one when left blank, numbering a taken one", async () => {
    const a = await createStatement(db, ctx, input({ title: "Stand with the Court", slug: null }));
    const b = await createStatement(db, ctx, input({ title: "Stand with the Court", slug: null }));
    const c = await createStatement(db, ctx, input({ title: "بيان", slug: null, date: "2025-02-01" }));
    expect([a.slug, b.slug, c.slug]).toEqual(["stand-with-the-court", "stand-with-the-court-2", "statement-2025-02-01"]);
  });

  it("refuses a slug that is taken, and a slug change once opened", async () => {
    const first = await createStatement(db, ctx, input());
    await expect(createStatement(db, ctx, input({ slug: first.slug }))).rejects.toMatchObject({ errors: { slug: [expect.stringContaining("already used")] } });
    const open = await statementIn("open");
    const err = await updateStatement(db, ctx, open.id, input({ title: open.title, slug: "moved-elsewhere" })).catch((e) => e);
    expect(err).toBeInstanceOf(FieldInputError);
    expect(err.errors.slug[0]).toMatch(/cannot change/);
    expect((await db.selectFrom("statements").select("slug").where("id", "=", open.id).executeTakeFirstOrThrow()).slug).toBe(open.slug);
  });
});

describe("points", () => {
  it("are one per line, blank lines ignored, CRLF and spaces trimmed", () => {
    expect(splitPoints("  First \r\n\r\nSecond\n\n  \nThird")).toEqual(["First", "Second", "Third"]);
  });

  it("keep the order given, and their rows by position when reordered, added and removed", async () => {
    const s = await statementIn("draft", { points: ["A", "B", "C"] });
    const ids = (await statementParts(db, s)).points.map((p) => p.id);
    await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug, points: ["C", "A", "B", "D"] }));
    let points = (await statementParts(db, s)).points;
    expect(points.map((p) => [p.position, p.text])).toEqual([[0, "C"], [1, "A"], [2, "B"], [3, "D"]]);
    expect(points.slice(0, 3).map((p) => p.id)).toEqual(ids);
    await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug, points: ["B"] }));
    points = (await statementParts(db, s)).points;
    expect(points.map((p) => [p.id, p.position, p.text])).toEqual([[ids[0], 0, "B"]]);
  });
});

describe("the 'updated on' mark", () => {
  for (const status of ["draft", "open", "closed"] as const) {
    it(`is not set by editing a ${status} statement`, async () => {
      const s = await statementIn(status);
      const { changed } = await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug, body: "Corrected text.", points: ["New point"] }));
      expect(changed).toEqual(["body_markdown", "points"]);
      expect((await db.selectFrom("statements").select("text_updated_at").where("id", "=", s.id).executeTakeFirstOrThrow()).text_updated_at).toBeNull();
    });
  }

  it("is set on a published statement, only when the change was confirmed", async () => {
    const s = await statementIn("published");
    const edit = input({ title: s.title, slug: s.slug, body: "Corrected text." });
    await expect(updateStatement(db, ctx, s.id, edit)).rejects.toMatchObject({ errors: { confirm_update: [expect.any(String)] } });
    expect(await version(s.id)).toBe(s.version);

    const now = new Date("2030-05-06T07:08:09.000Z");
    await updateStatement(db, ctx, s.id, { ...edit, confirm_update: true }, now);
    const row = await db.selectFrom("statements").selectAll().where("id", "=", s.id).executeTakeFirstOrThrow();
    expect([row.body_markdown, row.text_updated_at, row.version]).toEqual(["Corrected text.", now.toISOString(), s.version + 1]);
    expect((await audits(s.id)).at(-1)!.action).toBe("statement.updated");
  });

  it("is not set when a published statement is saved unchanged", async () => {
    const s = await statementIn("published");
    const { changed } = await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug }));
    expect(changed).toEqual([]);
    const row = await db.selectFrom("statements").selectAll().where("id", "=", s.id).executeTakeFirstOrThrow();
    expect([row.text_updated_at, row.version]).toEqual([null, s.version]);
  });
});

describe("footnotes", () => {
  it("cannot be removed while a signatory carries the mark", async () => {
    const s = await statementIn("open", { footnotes: [{ mark: "*", text: "Not all members agree." }] });
    await db
      .insertInto("signatures")
      .values({ statement_id: s.id, organisation_name: "Asia Justice Coalition", name_key: "asia justice coalition", status: "approved", source: "import", footnote_mark: "*" })
      .execute();
    const err = await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug, footnotes: [] })).catch((e) => e);
    expect(err.errors.footnotes[0]).toMatch(/attached to 1 signatory/);
    await updateStatement(db, ctx, s.id, input({ title: s.title, slug: s.slug, footnotes: [{ mark: "*", text: "Reworded." }, { mark: "†", text: "Another." }] }));
    expect((await statementParts(db, s)).footnotes.map((f) => [f.mark, f.text])).toEqual([["*", "Reworded."], ["†", "Another."]]);
  });
});

describe("the form schema", () => {
  const form = (over: Record<string, string> = {}) => ({ title: "T", slug: "", date: "2025-01-14", author: "", language: "en", lead_in: "", body: "", points: "", deadline: "", ...over });
  const errorsOf = (raw: Record<string, string>) => {
    const r = statementSchema.safeParse(raw);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("reads footnote rows by index, ignoring blank rows, and refuses a duplicate mark beside the second one", () => {
    const ok = statementSchema.parse(form({ "footnotes.0.mark": "*", "footnotes.0.text": "One", "footnotes.1.mark": "", "footnotes.1.text": "", "footnotes.2.mark": "†", "footnotes.2.text": "Two" }));
    expect(ok.footnotes).toEqual([{ mark: "*", text: "One" }, { mark: "†", text: "Two" }]);
    expect(errorsOf(form({ "footnotes.0.mark": "*", "footnotes.0.text": "One", "footnotes.1.mark": "*", "footnotes.1.text": "Two" }))).toEqual({ "footnotes.1.mark": expect.stringContaining("already used") });
    expect(Object.keys(errorsOf(form({ "footnotes.0.mark": "", "footnotes.0.text": "Orphan text" })))).toEqual(["footnotes.0.mark"]);
  });

  it("limits the body to 100,000 characters and each point to 2,000", () => {
    expect(errorsOf(form({ body: "x".repeat(100_000) }))).toEqual({});
    expect(Object.keys(errorsOf(form({ body: "x".repeat(100_001) })))).toEqual(["body"]);
    expect(errorsOf(form({ points: `ok\n${"y".repeat(2001)}` }))).toEqual({ points: expect.stringContaining("Point 2") });
  });

  it("takes only listed languages Intl can sort in", () => {
    for (const code of ["en", "fr", "es", "nb", "da", "ar", "pt", "ru"]) expect(errorsOf(form({ language: code }))).toEqual({});
    for (const code of ["EN", "xx", "en-GB-oxendict", "", "no"]) expect(Object.keys(errorsOf(form({ language: code })))).toEqual(["language"]);
  });

  it("reads deadlines as real UTC date-times", () => {
    expect(parseDeadline("2025-03-01T12:30")).toBe("2025-03-01T12:30:00.000Z");
    expect(parseDeadline("2025-03-01 12:30:15")).toBe("2025-03-01T12:30:15.000Z");
    for (const bad of ["2025-02-30T12:00", "2025-03-01T25:00", "tomorrow", "2025-03-01"]) expect(parseDeadline(bad)).toBeNull();
  });
});
