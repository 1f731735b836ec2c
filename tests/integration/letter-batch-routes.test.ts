import { readZip } from "../setup/zip";
// The bulk letter routes through their real loaders and actions on the seeded demo:
// the form writes a batch and redirects to its page; the page shows the PDFs' progress
// (with a meta refresh while any is pending; nothing rendered in the request); the ZIP
// streams one PDF per letter once ready; only the creator and coordinators get in.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action as bulkAction, loader as bulkLoader } from "~/routes/letters.bulk._index";
import { loader as batchLoader, meta as batchMeta } from "~/routes/letters.bulk.$id._index";
import { loader as zipLoader } from "~/routes/letters.bulk.$id.zip";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { closePdfPool } from "~/platform/letter-pdf-pool.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";


let db: DB;
let nhcId: number;
let nhcSigners: string[];
let statementId: number;
let coordinator: string;
let nhcMember: string;
let otherMember: string;
let batchId: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-batch-routes-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => String(s.id));
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  await db.insertInto("recipients").values({ country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud@gov.se", salutation: "Dear Minister,", language: "en", kind: "addressee", checked_on: "2026-11-01" }).execute();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  nhcMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: nhcId })).id);
  const org = await createOrganisation(db, { name: "Svenska Helsingforskommittén", city: "Stockholm" });
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
  await runPdfJobsUntilIdle(db, { render: { inProcess: true } }); // the demo letter's PDF
});

afterAll(() => closePdfPool());

const form = (over: Record<string, string | string[]> = {}) => ({ statementId: String(statementId), organisationId: String(nhcId), signerIds: nhcSigners, place: "", date: "2025-01-14", language: "en", ...over });
const page = (id: string, cookie?: string) => settle(call(batchLoader, getRequest(`/letters/bulk/${id}`, cookie), { id }));
const zip = (id: string, cookie?: string) => call(zipLoader, getRequest(`/letters/bulk/${id}/zip`, cookie), { id }) as Promise<Response>;
const refreshOf = (body: any) => batchMeta({ data: body } as Parameters<typeof batchMeta>[0]).find((m) => "httpEquiv" in m);

describe("bulk letter routes", () => {
  it("the form offers the countries and refuses a bad form beside its field", async () => {
    const anonymous = await settle(call(bulkLoader, getRequest("/letters/bulk")));
    expect(anonymous.status).toBe(302);
    const loaded = await settle(call(bulkLoader, getRequest("/letters/bulk", coordinator)));
    expect(loaded.body.countries.map((c: { code: string }) => c.code).sort()).toEqual(["NO", "SE"]);
    const bad = await settle(call(bulkAction, postRequest("/letters/bulk", form({ statementId: "" }), coordinator)));
    expect(bad.status).toBe(400);
    expect(bad.body.errors.statementId).toBeTruthy();
    const notYours = await settle(call(bulkAction, postRequest("/letters/bulk", form({ organisationId: "999999" }), nhcMember)));
    expect(notYours.status).toBe(400);
    expect(notYours.body.errors.organisationId).toBeTruthy();
    expect(await db.selectFrom("letter_batches").select("id").execute()).toEqual([]);
  });

  it("generates a letter per country and redirects to the batch page, which follows the PDFs", async () => {
    const res = await settle(call(bulkAction, postRequest("/letters/bulk", form(), coordinator)));
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/^\/letters\/bulk\/\d+$/);
    batchId = location.split("/").pop()!;

    const pending = await page(batchId, coordinator);
    expect(pending.status).toBe(200);
    expect(pending.body.progress.counts).toEqual({ total: 2, ready: 0, failed: 0, pending: 2 });
    expect(pending.body.progress.letters.map((l: { countryCode: string }) => l.countryCode)).toEqual(["NO", "SE"]);
    expect(refreshOf(pending.body)).toEqual({ httpEquiv: "refresh", content: "3" });
    const statuses = await db.selectFrom("letter_pdfs").select("status").where("letter_id", "in", pending.body.progress.letters.map((l: { id: number }) => l.id)).execute();
    expect(statuses.map((s) => s.status)).toEqual(["queued", "queued"]); // nothing rendered in the request
    expect((await zip(batchId, coordinator)).status).toBe(409);

    await runPdfJobsUntilIdle(db, { render: { inProcess: true } });
    const done = await page(batchId, coordinator);
    expect(done.body.progress.counts).toEqual({ total: 2, ready: 2, failed: 0, pending: 0 });
    expect(refreshOf(done.body)).toBeUndefined();
  });

  it("the ZIP holds one PDF per letter, as an attachment", async () => {
    const res = await zip(batchId, coordinator);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/zip");
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="letters-batch-${batchId}.zip"`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const entries = readZip(bytes);
    expect(entries.map((e) => e.name)).toEqual([expect.stringMatching(/^NO-norway-letter-\d+\.pdf$/), expect.stringMatching(/^SE-sweden-letter-\d+\.pdf$/)]);
    for (const e of entries) expect(e.data.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // A real unzip agrees, where there is one.
    let unzip = "";
    try { unzip = execFileSync("which", ["unzip"]).toString().trim(); } catch { /* none */ }
    if (unzip) {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "batch-zip-")), "b.zip");
      fs.writeFileSync(file, bytes);
      expect(execFileSync(unzip, ["-t", file]).toString()).toContain("No errors detected");
    }
  });

  it("is the creator's and coordinators' only", async () => {
    expect((await settle(call(batchLoader, getRequest(`/letters/bulk/${batchId}`)))).status).toBe(302);
    expect((await page(batchId, otherMember)).status).toBe(403);
    expect((await page(batchId, nhcMember)).status).toBe(403);
    expect((await settle(zip(batchId, otherMember))).status).toBe(403);
    expect((await settle(zip(batchId, nhcMember))).status).toBe(403);
    expect((await settle(zip("999999", coordinator))).status).toBe(404);
    expect((await page("nope", coordinator)).status).toBe(404);

    // A member's own batch: its organisation's countries, and theirs to download.
    const res = await settle(call(bulkAction, postRequest("/letters/bulk", form({ date: "2025-03-01" }), nhcMember)));
    expect(res.status).toBe(302);
    const mine = res.headers.get("Location")!.split("/").pop()!;
    const own = await page(mine, nhcMember);
    expect(own.body.progress.letters.map((l: { countryCode: string }) => l.countryCode)).toEqual(["NO"]);
    await runPdfJobsUntilIdle(db, { render: { inProcess: true } });
    const download = await zip(mine, nhcMember);
    expect(download.status).toBe(200);
    expect(readZip(Buffer.from(await download.arrayBuffer())).map((e) => e.name)).toEqual([expect.stringMatching(/^NO-norway-letter-\d+\.pdf$/)]);
  });
});
