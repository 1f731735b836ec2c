import { readZip } from "../setup/zip";
// Bulk letters on the seeded demo: a batch writes one letter per country with an
// addressee (the demo's Norway and, here, Sweden), each in its own transaction; a
// member's batch covers its organisation's countries and skips one without an
// addressee with the reason; a refusal of the form itself writes nothing; progress
// counts the PDFs; the ZIP holds one PDF per ready letter; access is the creator's or
// a coordinator's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchFor, batchPdfFilename, batchProgress, batchZipStream, createLetterBatch, type LetterBatchInput } from "~/models/letter-batch.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { FieldInputError } from "~/platform/errors.server";
import { type ChangeContext } from "~/models/audit.server";
import { closePdfPool } from "~/platform/letter-pdf-pool.server";
import type { SessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { createOrganisation, createUser } from "../factories";

let db: DB;
let nhcId: number;
let nhcSigners: number[];
let statementId: number;
let coordinator: SessionUser;
let member: SessionUser;
let otherMember: SessionUser;
const ctx = (u: SessionUser): ChangeContext => ({ actor: { id: u.id, email: u.email }, ip: "192.0.2.8" });
const asSession = (u: { id: number; email: string; name: string; role: SessionUser["role"]; organisation_id: number | null }) =>
  ({ id: u.id, email: u.email, name: u.name, role: u.role, organisation_id: u.organisation_id }) as SessionUser;
const input = (over: Partial<LetterBatchInput> = {}): LetterBatchInput => ({ statementId, organisationId: nhcId, signerIds: nhcSigners, place: null, date: "2025-01-14", language: "en", ...over });
const batchRow = (id: number) => db.selectFrom("letter_batches").selectAll().where("id", "=", id).executeTakeFirstOrThrow();


async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-batch-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => s.id);
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  await db.insertInto("recipients").values({ country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud@gov.se", salutation: "Dear Minister,", language: "en", kind: "addressee", checked_on: "2026-11-01" }).execute();
  coordinator = asSession(await createUser(db, { role: "coordinator" }));
  member = asSession(await createUser(db, { role: "member", organisationId: nhcId }));
  const other = await createOrganisation(db, { name: "Svenska Helsingforskommittén", city: "Stockholm" });
  otherMember = asSession(await createUser(db, { role: "member", organisationId: other.id }));
  // Runs in this file's tests render only their own letters.
  await runPdfJobsUntilIdle(db, { render: { inProcess: true } });
});

afterAll(() => closePdfPool());

describe("letter batches", () => {
  let batchId: number;
  let letterIds: number[];

  it("writes one letter per country with an addressee and records the batch", async () => {
    const before = await db.selectFrom("letters").select("id").execute();
    const outcome = await createLetterBatch(db, coordinator, ctx(coordinator), input());
    batchId = outcome.id;
    letterIds = outcome.letterIds;
    expect(outcome.skipped).toEqual([]);
    const letters = await db.selectFrom("letters").select(["id", "country_code", "organisation_id", "letter_date", "place", "language", "created_by"]).where("id", "in", letterIds).orderBy("country_code").execute();
    expect(letters.map((l) => l.country_code)).toEqual(["NO", "SE"]);
    for (const l of letters) expect(l).toMatchObject({ organisation_id: nhcId, letter_date: "2025-01-14", place: "Oslo", language: "en", created_by: coordinator.id });
    expect((await db.selectFrom("letters").select("id").execute()).length).toBe(before.length + 2);
    expect(await batchRow(batchId)).toMatchObject({ statement_id: statementId, organisation_id: nhcId, created_by: coordinator.id, skipped: "[]" });
    expect(JSON.parse((await batchRow(batchId)).letter_ids)).toEqual(letterIds);
    const audit = await db.selectFrom("audit_log").select(["action", "subject_id"]).where("action", "=", "letter_batch.created").execute();
    expect(audit).toEqual([{ action: "letter_batch.created", subject_id: String(batchId) }]);
  });

  it("counts the PDFs: pending until the background jobs run, then ready; failed ones apart", async () => {
    const batch = await batchRow(batchId);
    const pending = await batchProgress(db, batch);
    expect(pending.counts).toEqual({ total: 2, ready: 0, failed: 0, pending: 2 });
    expect(pending.done).toBe(false);

    expect((await runPdfJobsUntilIdle(db, { render: { inProcess: true } })).ready).toBe(2);
    const ready = await batchProgress(db, batch);
    expect(ready.counts).toEqual({ total: 2, ready: 2, failed: 0, pending: 0 });
    expect(ready.done).toBe(true);
    expect(ready.letters.map((l) => l.filename)).toEqual(letterIds.map((id, i) => [`NO-norway-letter-${id}.pdf`, `SE-sweden-letter-${id}.pdf`][i]));
  });

  it("zips one PDF per ready letter, named by country, and leaves out the ones not ready", async () => {
    const progress = await batchProgress(db, await batchRow(batchId));
    const entries = readZip(await collect(batchZipStream(db, progress.letters)));
    expect(entries.map((e) => e.name)).toEqual(progress.letters.map((l) => l.filename));
    for (const e of entries) expect(e.data.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const stored = await db.selectFrom("letter_pdfs").select(["letter_id", "pdf"]).where("letter_id", "in", letterIds).execute();
    for (const s of stored) {
      const entry = entries.find((e) => e.name.endsWith(`-letter-${s.letter_id}.pdf`))!;
      expect(Buffer.compare(entry.data, Buffer.from(s.pdf as Uint8Array))).toBe(0);
    }

    await db.updateTable("letter_pdfs").set({ status: "failed", pdf: null, error: "boom" }).where("letter_id", "=", letterIds[1]).execute();
    const partial = await batchProgress(db, await batchRow(batchId));
    expect(partial.counts).toEqual({ total: 2, ready: 1, failed: 1, pending: 0 });
    expect(partial.letters[1]).toMatchObject({ state: "failed", error: "boom" });
    // The route passes only the ready ones; a stale list still yields only ready PDFs.
    expect(readZip(await collect(batchZipStream(db, partial.letters))).map((e) => e.name)).toEqual([`NO-norway-letter-${letterIds[0]}.pdf`]);
  });

  it("a member's batch covers its organisation's countries; one without an addressee is skipped with the reason", async () => {
    await db.insertInto("organisation_countries").values({ organisation_id: nhcId, country_code: "DK" }).execute();
    const outcome = await createLetterBatch(db, member, ctx(member), input({ date: "2025-02-01" }));
    const countries = await db.selectFrom("letters").select("country_code").where("id", "in", outcome.letterIds).execute();
    expect(countries.map((c) => c.country_code)).toEqual(["NO"]); // Sweden has an addressee but is not covered
    expect(outcome.skipped).toEqual([{ country: "DK", reason: expect.stringContaining("no addressee") }]);
    expect(JSON.parse((await batchRow(outcome.id)).skipped)).toEqual(outcome.skipped);
    const progress = await batchProgress(db, await batchRow(outcome.id));
    expect(progress.skipped[0].country).toBe("DK");
    expect(progress.counts.total).toBe(1);
  });

  it("refuses a form every country would refuse, writing nothing", async () => {
    const [letters, batches] = [await db.selectFrom("letters").select("id").execute(), await db.selectFrom("letter_batches").select("id").execute()];
    const other = await db.selectFrom("organisations").select("id").where("name", "=", "Svenska Helsingforskommittén").executeTakeFirstOrThrow();
    await expect(createLetterBatch(db, member, ctx(member), input({ organisationId: other.id, signerIds: [] }))).rejects.toSatisfy(
      (e: unknown) => e instanceof FieldInputError && !!e.errors.organisationId,
    );
    await expect(createLetterBatch(db, coordinator, ctx(coordinator), input({ signerIds: [999999] }))).rejects.toSatisfy((e: unknown) => e instanceof FieldInputError && !!e.errors.signerIds);
    await expect(createLetterBatch(db, otherMember, ctx(otherMember), input({ organisationId: other.id }))).rejects.toSatisfy(
      (e: unknown) => e instanceof FieldInputError && /covers no country/.test(e.message),
    );
    expect((await db.selectFrom("letters").select("id").execute()).length).toBe(letters.length);
    expect((await db.selectFrom("letter_batches").select("id").execute()).length).toBe(batches.length);
  });

  it("is the creator's and coordinators' only", async () => {
    expect(await batchFor(db, otherMember, batchId)).toBe(403);
    expect(await batchFor(db, member, batchId)).toBe(403); // same organisation, not the creator
    expect(await batchFor(db, coordinator, batchId)).toMatchObject({ id: batchId });
    const mine = (await db.selectFrom("letter_batches").select("id").where("created_by", "=", member.id).executeTakeFirstOrThrow()).id;
    expect(await batchFor(db, member, mine)).toMatchObject({ id: mine });
    expect(await batchFor(db, { ...member, organisation_id: null } as SessionUser, mine)).toBe(403); // no longer of the organisation
    expect(await batchFor(db, coordinator, 999999)).toBe(404);
    expect(await batchFor(db, coordinator, "nope")).toBe(404);
  });

  it("names files in ASCII", () => {
    expect(batchPdfFilename({ id: 7, countryCode: "CI", countryName: "Côte d'Ivoire" })).toBe("CI-cote-d-ivoire-letter-7.pdf");
  });
});
