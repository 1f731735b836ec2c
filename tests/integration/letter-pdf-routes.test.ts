// The letter PDF routes through their real loaders on the seeded demo: 202 while the
// PDF is queued (rendering only happens in runPdfJobsOnce, never in the request), then
// 200 with the PDF as an attachment; access as for .txt (401/403/404); the letter page
// shows the PDF's status and the download link when ready.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as apiPdfLoader } from "~/routes/api.letters.$id[.]pdf";
import { loader as pdfLoader } from "~/routes/letters.$id.pdf";
import { loader as letterLoader } from "~/routes/letters.$id._index";
import { createApiToken } from "~/models/api-token.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { closePdfPool } from "~/platform/letter-pdf-pool.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, sessionCookie, settle } from "../factories";

let db: DB;
let demoId: number;
let coordinator: string;
let nhcMember: string;
let otherMember: string;
let memberToken: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "letter-pdf-routes-password", DEMO_API_TOKEN: undefined });
  const nhcId = (await db.selectFrom("organisations").select("id").where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow()).id;
  demoId = (await db.selectFrom("letters").select("id").where("organisation_id", "=", nhcId).executeTakeFirstOrThrow()).id;
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const member = await createUser(db, { role: "member", organisationId: nhcId });
  nhcMember = await sessionCookie(db, member.id);
  memberToken = await createApiToken(db, member, "test", null);
  const org = await createOrganisation(db, { name: "Svenska Helsingforskommittén", city: "Stockholm" });
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: org.id })).id);
});

afterAll(() => closePdfPool());

const api = (id: string, headers: { cookie?: string; token?: string } = {}) =>
  settle(call(apiPdfLoader, getRequest(`/api/letters/${id}.pdf`, headers.cookie, headers.token ? { Authorization: `Bearer ${headers.token}` } : {}), { id }));
const browser = (id: string, cookie?: string, query = "") => settle(call(pdfLoader, getRequest(`/letters/${id}/pdf${query}`, cookie), { id }));
const raw = async (promise: unknown) => (await promise) as Response;
const pdfStatus = async () => (await db.selectFrom("letter_pdfs").select("status").where("letter_id", "=", demoId).executeTakeFirstOrThrow()).status;

describe("letter PDF routes", () => {
  it("refuse like .txt: 401 without credentials, 403 to another organisation, 404 unknown", async () => {
    expect((await api(String(demoId))).status).toBe(401);
    const forbidden = await api(String(demoId), { cookie: otherMember });
    expect([forbidden.status, typeof forbidden.body.error]).toEqual([403, "string"]);
    expect((await api("999999", { cookie: coordinator })).status).toBe(404);
    expect((await api("nope", { cookie: coordinator })).status).toBe(404);
    const anonymous = await browser(String(demoId));
    expect([anonymous.status, anonymous.headers.get("Location")]).toEqual([302, `/login?redirectTo=${encodeURIComponent(`/letters/${demoId}/pdf`)}`]);
    expect((await browser(String(demoId), otherMember)).status).toBe(403);
    expect((await browser("999999", coordinator)).status).toBe(404);
  });

  it("answer 202 while the PDF is queued, without rendering it, then 200 with the PDF", async () => {
    const queued = await api(String(demoId), { token: memberToken });
    expect([queued.status, queued.body]).toEqual([202, { status: "queued" }]);
    const page = await browser(String(demoId), nhcMember);
    expect(page.status).toBe(202);
    expect(page.body).toContain("The PDF is being prepared");
    expect(page.body).toMatch(/<meta http-equiv="refresh" content="3; url=\/letters\/\d+\/pdf">/);
    expect(page.body).toContain(`href="/letters/${demoId}"`);
    expect(await pdfStatus()).toBe("queued"); // nothing rendered in the request
    const before = await settle(call(letterLoader, getRequest(`/letters/${demoId}`, nhcMember), { id: String(demoId) }));
    expect(before.body.pdf.status).toBe("queued");

    await runPdfJobsUntilIdle(db, { render: { inProcess: true } });

    for (const res of [
      await raw(call(apiPdfLoader, getRequest(`/api/letters/${demoId}.pdf`, undefined, { Authorization: `Bearer ${memberToken}` }), { id: String(demoId) })),
      await raw(call(apiPdfLoader, getRequest(`/api/letters/${demoId}.pdf`, coordinator), { id: String(demoId) })),
      await raw(call(pdfLoader, getRequest(`/letters/${demoId}/pdf`, nhcMember), { id: String(demoId) })),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/pdf");
      expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="letter-\d+-NO-2025-01-14-en\.pdf"$/);
      const bytes = Buffer.from(await res.arrayBuffer());
      expect(bytes.subarray(0, 4).toString("latin1")).toBe("%PDF");
      expect(res.headers.get("Content-Length")).toBe(String(bytes.length));
    }
    const after = await settle(call(letterLoader, getRequest(`/letters/${demoId}`, nhcMember), { id: String(demoId) }));
    expect(after.body.pdf.status).toBe("ready");
  });

  it("report a failed render (409) and queue it again on ?retry=1", async () => {
    await db.updateTable("letter_pdfs").set({ status: "failed", pdf: null, error: "<b>boom</b>" }).where("letter_id", "=", demoId).execute();
    const failed = await api(String(demoId), { cookie: nhcMember });
    expect([failed.status, failed.body]).toEqual([409, { status: "failed", error: "<b>boom</b>" }]);
    const page = await browser(String(demoId), nhcMember);
    expect(page.status).toBe(409);
    expect(page.body).toContain("&#60;b&#62;boom&#60;/b&#62;");
    expect(page.body).not.toContain("<b>boom");
    const retried = await browser(String(demoId), nhcMember, "?retry=1");
    expect(retried.status).toBe(202);
    expect(await pdfStatus()).toBe("queued");
  });
});
