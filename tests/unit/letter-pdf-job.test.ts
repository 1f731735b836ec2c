// The letter PDF queue on the seeded demo: a saved letter's PDF is queued in the same
// transaction (triggers), rendered by runPdfJobsOnce, and stored with its fingerprint;
// a regeneration re-queues it; an out-of-date letter is not rendered; rows a crash left
// 'rendering' go back to the queue; the loop started by server.ts does the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLetter, regenerateLetter } from "~/models/letter.server";
import { letterPdfFilename, letterPdfFor, recoverPdfJobs, runPdfJobsOnce, runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import type { ChangeContext } from "~/models/audit.server";
import { closePdfPool } from "~/platform/letter-pdf-pool.server";
import { startPdfWorkerLoop } from "~/jobs/letter-pdfs.server";
import type { SessionUser } from "~/platform/session.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { createUser } from "../factories";

let db: DB;
let nhcId: number;
let nhcSigners: number[];
let statementId: number;
let demoId: number;
let coordinator: SessionUser;
const ctx = (u: SessionUser): ChangeContext => ({ actor: { id: u.id, email: u.email }, ip: "192.0.2.7" });
const render = { inProcess: true };
const row = (id: number) => db.selectFrom("letter_pdfs").selectAll().where("letter_id", "=", id).executeTakeFirstOrThrow();
const letter = (id: number) => db.selectFrom("letters").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-pdf-job-password", DEMO_API_TOKEN: undefined });
  nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  nhcSigners = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => s.id);
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  demoId = (await db.selectFrom("letters").select("id").where("organisation_id", "=", nhcId).executeTakeFirstOrThrow()).id;
  const u = await createUser(db, { role: "coordinator" });
  coordinator = { id: u.id, email: u.email, name: u.name, role: u.role, organisation_id: u.organisation_id } as SessionUser;
});

afterAll(() => closePdfPool());

describe("letter PDF jobs", () => {
  it("queues the PDF of a saved letter with the letter, and renders it to a ready PDF with its fingerprint", async () => {
    expect(await row(demoId)).toMatchObject({ status: "queued", fingerprint: (await letter(demoId)).fingerprint, pdf: null });
    const id = await createLetter(db, coordinator, ctx(coordinator), {
      statementId, countryCode: "NO", organisationId: nhcId, signerIds: nhcSigners, place: "Oslo", date: "2025-02-01", language: "nb", subject: null, ownParagraph: null,
    });
    expect((await row(id)).status).toBe("queued");

    const result = await runPdfJobsUntilIdle(db, { render });
    expect(result).toMatchObject({ ready: 2, failed: 0 });
    for (const letterId of [demoId, id]) {
      const r = await row(letterId);
      expect(r.status).toBe("ready");
      expect(r.fingerprint).toBe((await letter(letterId)).fingerprint);
      expect(Buffer.from(r.pdf as Uint8Array).subarray(0, 5).toString("latin1")).toBe("%PDF-");
      expect(r.rendered_at).toMatch(/^\d{4}-/);
    }
    const ready = await letterPdfFor(db, await letter(id));
    expect(ready.status).toBe("ready");
    expect(ready.pdf?.subarray(0, 4).toString("latin1")).toBe("%PDF");
    expect(await runPdfJobsOnce(db, { render })).toEqual({ claimed: 0, ready: 0, failed: 0 });
  });

  it("does not render an out-of-date letter; regenerating re-queues it under the new fingerprint", async () => {
    const before = await letter(demoId);
    await db.updateTable("recipients").set({ title: "Foreign Minister of the Kingdom of Norway" }).where("country_code", "=", "NO").where("kind", "=", "addressee").execute();
    // Still 'ready' for the stored fingerprint: the saved letter has not changed.
    expect((await row(demoId)).status).toBe("ready");
    // Asked again (a retry), the out-of-date letter fails with a reason instead of rendering.
    await letterPdfFor(db, before, { retry: true }); // ready rows are not retried
    await db.updateTable("letter_pdfs").set({ status: "queued", pdf: null }).where("letter_id", "=", demoId).execute();
    expect(await runPdfJobsOnce(db, { render })).toMatchObject({ claimed: 1, failed: 1 });
    expect(await row(demoId)).toMatchObject({ status: "failed", pdf: null, error: expect.stringContaining("regenerate") });

    await regenerateLetter(db, coordinator, ctx(coordinator), demoId);
    const after = await letter(demoId);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(await row(demoId)).toMatchObject({ status: "queued", fingerprint: after.fingerprint, pdf: null, error: null });
    await runPdfJobsUntilIdle(db, { render });
    expect(await row(demoId)).toMatchObject({ status: "ready", fingerprint: after.fingerprint });
  });

  it("queues a letter whose PDF row is missing or was made from another fingerprint", async () => {
    const l = await letter(demoId);
    await db.deleteFrom("letter_pdfs").where("letter_id", "=", demoId).execute();
    expect((await letterPdfFor(db, l)).status).toBe("queued");
    expect(await row(demoId)).toMatchObject({ status: "queued", fingerprint: l.fingerprint });
    await db.updateTable("letter_pdfs").set({ status: "ready", pdf: Buffer.from("%PDF-old"), fingerprint: "stale" }).where("letter_id", "=", demoId).execute();
    expect((await letterPdfFor(db, l)).status).toBe("queued");
    expect(await row(demoId)).toMatchObject({ status: "queued", fingerprint: l.fingerprint, pdf: null });
    await runPdfJobsUntilIdle(db, { render });
  });

  it("puts rows a crash left 'rendering' back in the queue, and the loop renders them", async () => {
    await db.updateTable("letter_pdfs").set({ status: "rendering", pdf: null }).where("letter_id", "=", demoId).execute();
    expect(await runPdfJobsOnce(db, { render })).toMatchObject({ claimed: 0 }); // a claimed row is not claimed twice
    expect(await recoverPdfJobs(db)).toBe(1);
    expect((await row(demoId)).status).toBe("queued");

    await db.updateTable("letter_pdfs").set({ status: "rendering" }).where("letter_id", "=", demoId).execute();
    const stop = startPdfWorkerLoop(db, { idleMs: 20, render });
    try {
      for (let i = 0; i < 200 && (await row(demoId)).status !== "ready"; i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      await stop();
    }
    expect((await row(demoId)).status).toBe("ready");
  });

  it("drops a render whose letter changed meanwhile, and deletes the PDF with its letter", async () => {
    const l = await letter(demoId);
    await db.updateTable("letter_pdfs").set({ status: "queued", pdf: null }).where("letter_id", "=", demoId).execute();
    // A fingerprint change between queueing and rendering (as a regeneration would make) re-queues it.
    await db.updateTable("letters").set({ fingerprint: "changed" }).where("id", "=", demoId).execute();
    expect(await row(demoId)).toMatchObject({ status: "queued", fingerprint: "changed" });
    await db.updateTable("letters").set({ fingerprint: l.fingerprint }).where("id", "=", demoId).execute();
    await runPdfJobsUntilIdle(db, { render });
    expect(await row(demoId)).toMatchObject({ status: "ready", fingerprint: l.fingerprint });
  });

  it("names the file with ASCII only", () => {
    expect(letterPdfFilename({ id: 7, country_code: "NO", letter_date: "2025-01-14", language: "nb" })).toBe("letter-7-NO-2025-01-14-nb.pdf");
    expect(letterPdfFilename({ id: 7, country_code: 'N"O\r\n', letter_date: "../x", language: "é" })).toBe("letter-7-NO-x-.pdf");
  });
});
