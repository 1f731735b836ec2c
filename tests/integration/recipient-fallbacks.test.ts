// A recipient's fallback (issue 12): the edit form's rule (another recipient of the same
// country, with an address; not itself; blank for none), refused beside the field with
// what was typed kept and nothing written, and the model's own check; then, in a letter, a
// bouncing recipient offered with its fallback, put in its place (the letter, its
// message and its fingerprint follow) and put back. Demo data: Norway's five recipients
// and the Norwegian Helsinki Committee's letter to Norway.
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~/platform/db.server";
import type { Recipient } from "../../db/schema";
import EditPage, { action as editAction, loader as editLoader } from "~/routes/countries.$code_.recipients.$recipientId";
import { addRecipient, listRecipients, updateRecipient } from "~/models/recipient.server";
import { recipientEditSchema } from "~/schemas/recipient.server";
import { bouncingIn } from "~/models/letter-recipients.server";
import { restoreRecipient, useFallback } from "~/models/letter-recipient-swap.server";
import { planLetterMessage } from "~/models/letter-message-plan.server";
import { isLetterOutOfDate, regenerateLetter } from "~/models/letter.server";
import { FieldInputError, Refused } from "~/platform/errors.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { migratedDb } from "../setup/db";
import { renderPage } from "../setup/render-page";
import { report, sentTo } from "../setup/address-reports";
import { call, createUser, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinator: Awaited<ReturnType<typeof createUser>>;
let cookie: string;
let norway: Recipient[];
let minister: Recipient;
let embassy: number;
let sweden: number;
const ctx = { actor: null, ip: null };
const today = () => new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "fallback-test-password", DEMO_API_TOKEN: undefined });
  coordinator = await createUser(db, { role: "coordinator" });
  cookie = await sessionCookie(db, coordinator.id);
  embassy = await addRecipient(db, ctx, "NO", { name: "Royal Norwegian Embassy in The Hague", title: "Embassy", institution: null, email: "emb.hague@mfa.no", salutation: "Excellency,", language: "en", kind: "copy", checked_on: today() });
  sweden = await addRecipient(db, ctx, "SE", { name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", institution: null, email: "ud@gov.se", salutation: "Dear Minister,", language: "en", kind: "addressee", checked_on: today() });
  norway = await listRecipients(db, "NO");
  minister = norway.find((r) => r.email === "post@mfa.no")!;
  // The demo letter, built again with the embassy on the list.
  const letter = await db.selectFrom("letters").select("id").where("country_code", "=", "NO").executeTakeFirstOrThrow();
  await regenerateLetter(db, coordinator, ctx, letter.id);
});

const form = (r: Recipient, extra: Record<string, string>) => ({
  name: r.name, title: r.title, institution: r.institution ?? "", email: r.email ?? "", kind: r.kind, salutation: r.salutation ?? "", language: r.language, checked_on: r.checked_on, ...extra,
});
const edit = (id: number, body: Record<string, string>) => postRequest(`/countries/NO/recipients/${id}`, body, cookie);
const fallbackOf = async (id: number) => (await db.selectFrom("recipients").select("fallback_recipient_id").where("id", "=", id).executeTakeFirstOrThrow()).fallback_recipient_id;

describe("the fallback field", () => {
  it("takes another recipient of the country with an address, or none; refuses itself, another country's and one without email", () => {
    const choices = [{ id: 2, name: "Embassy", email: "emb@x.no" }, { id: 3, name: "Desk", email: null }];
    const schema = recipientEditSchema(today(), { self: 1, choices, countryName: "Norway" });
    const base = { name: "A", title: "B", email: "a@x.no", kind: "copy", language: "en", checked_on: today() };
    const parse = (v: string) => schema.safeParse({ ...base, fallback_recipient_id: v });
    expect(parse("").data?.fallback_recipient_id).toBeNull();
    expect(parse("2").data?.fallback_recipient_id).toBe(2);
    const message = (v: string) => parse(v).error?.issues.find((i) => i.path[0] === "fallback_recipient_id")?.message;
    expect(message("1")).toMatch(/cannot be their own fallback/);
    expect(message("99")).toMatch(/another recipient of Norway/);
    expect(message("3")).toMatch(/Desk has no email address/);
    expect(message("embassy")).toMatch(/Choose a recipient from the list/);
  });

  it("is refused beside the field over HTTP, keeping what was typed and writing nothing (another country's recipient, itself)", async () => {
    for (const bad of [String(sweden), String(minister.id)]) {
      const body = form(minister, { fallback_recipient_id: bad, title: "Typed title" });
      const res = await settle(call(editAction, edit(minister.id, body), { code: "NO", recipientId: String(minister.id) }));
      expect(res.status).toBe(400);
      expect(res.body.errors.fallback_recipient_id[0]).toMatch(/fallback/);
      expect(res.body.values).toMatchObject({ title: "Typed title", fallback_recipient_id: bad });
      expect(await fallbackOf(minister.id)).toBeNull();
    }
    const { status, html } = await renderPage("/countries/:code/recipients/:recipientId", edit(minister.id, form(minister, { fallback_recipient_id: String(sweden), title: "Typed title" })), EditPage, editLoader, editAction);
    expect(status).toBe(400);
    expect(html).toMatch(/<select[^>]*aria-invalid="true"[^>]*name="fallback_recipient_id"|<select[^>]*name="fallback_recipient_id"[^>]*aria-invalid="true"/);
    expect(html).toContain("A fallback must be another recipient of Norway");
    expect(html).toContain('value="Typed title"');
  });

  it("is saved, and cleared, through the form; the model refuses another country's recipient too", async () => {
    const ok = await settle(call(editAction, edit(minister.id, form(minister, { fallback_recipient_id: String(embassy) })), { code: "NO", recipientId: String(minister.id) }));
    expect([ok.status, ok.headers.get("Location")]).toEqual([302, "/countries/NO/recipients?done=updated"]);
    expect(await fallbackOf(minister.id)).toBe(embassy);
    // Naming a fallback changes no letter: the Norway letter is still current.
    const letter = await db.selectFrom("letters").selectAll().where("country_code", "=", "NO").executeTakeFirstOrThrow();
    expect((await isLetterOutOfDate(db, letter)).outOfDate).toBe(false);
    await expect(updateRecipient(db, ctx, "NO", minister.id, { ...minister, fallback_recipient_id: sweden })).rejects.toBeInstanceOf(FieldInputError);
    await call(editAction, edit(minister.id, form(minister, { fallback_recipient_id: "" })), { code: "NO", recipientId: String(minister.id) });
    expect(await fallbackOf(minister.id)).toBeNull();
  });
});

describe("a letter to a bouncing address", () => {
  it("names the address, the day and the reason, offers the fallback, and puts it in the recipient's place in this letter only", async () => {
    const letter = () => db.selectFrom("letters").selectAll().where("country_code", "=", "NO").executeTakeFirstOrThrow();
    await report(db, "hard", (await sentTo(db, ["post@mfa.no"])).token, "POST@mfa.no");

    // No fallback named yet: said, and using one is refused.
    expect((await bouncingIn(db, await letter()))[0]).toMatchObject({ recipientId: minister.id, address: "post@mfa.no", fallback: null, status: { state: "bouncing", diagnostic: "5.1.1 550 5.1.1 User unknown" } });
    await expect(useFallback(db, coordinator, ctx, (await letter()).id, minister.id)).rejects.toBeInstanceOf(Refused);

    await updateRecipient(db, ctx, "NO", minister.id, { ...minister, fallback_recipient_id: embassy });
    const [warning] = await bouncingIn(db, await letter());
    expect(warning.fallback).toMatchObject({ id: embassy, name: "Royal Norwegian Embassy in The Hague", unusable: null });
    const before = await letter();
    const planBefore = await planLetterMessage(db, coordinator, before.id);
    expect(planBefore.bouncing.map((b) => b.address)).toEqual(["post@mfa.no"]);

    const listBefore = await listRecipients(db, "NO");
    await useFallback(db, coordinator, ctx, before.id, minister.id);
    const after = await letter();
    expect(JSON.parse(after.recipient_swaps)).toEqual([{ replaced: minister.id, by: embassy }]);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.rendered_text).toContain("Royal Norwegian Embassy in The Hague");
    expect(after.rendered_text).not.toContain("Espen Barth Eide");
    expect((await isLetterOutOfDate(db, after)).outOfDate).toBe(false);
    const plan = await planLetterMessage(db, coordinator, after.id);
    expect(plan.to.map((a) => a.address)).toEqual(["emb.hague@mfa.no"]);
    expect(plan.cc.map((a) => a.address)).not.toContain("emb.hague@mfa.no");
    expect(plan.bouncing).toEqual([]);
    expect(await bouncingIn(db, after)).toEqual([]);
    // The country's list is as it was.
    expect(await listRecipients(db, "NO")).toEqual(listBefore);

    await restoreRecipient(db, coordinator, ctx, after.id, minister.id);
    const restored = await letter();
    expect(JSON.parse(restored.recipient_swaps)).toEqual([]);
    expect(restored.fingerprint).toBe(before.fingerprint);
    expect((await planLetterMessage(db, coordinator, restored.id)).to.map((a) => a.address)).toEqual(["post@mfa.no"]);
  });

  it("refuses a fallback that could not open the letter (no salutation for an addressee's place)", async () => {
    const desk = await addRecipient(db, ctx, "NO", { name: "Legal desk", title: "Legal Affairs", institution: null, email: "legal@mfa.no", salutation: null, language: "en", kind: "copy", checked_on: today() });
    await updateRecipient(db, ctx, "NO", minister.id, { ...minister, fallback_recipient_id: desk });
    const letter = await db.selectFrom("letters").selectAll().where("country_code", "=", "NO").executeTakeFirstOrThrow();
    expect((await bouncingIn(db, letter))[0].fallback?.unusable).toMatch(/no salutation/);
    await expect(useFallback(db, coordinator, ctx, letter.id, minister.id)).rejects.toThrow(/no salutation/);
  });
});
