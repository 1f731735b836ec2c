import { optionalUrl } from "~/schemas/common.server";
// Organisations and signers through their models, on this file's own database:
// what is written, what is refused, who may change what, and what the log says.
import { beforeAll, describe, expect, it } from "vitest";
import { createOrganisation, deleteOrganisation, listOrganisations, newOrganisationSchema, OrganisationInUseError, organisationSchema, signerSchema, updateOrganisation } from "~/models/organisation.server";
import { FieldInputError } from "~/platform/errors.server";
import { type ChangeContext } from "~/models/audit.server";
import { addSigner, listSigners, moveSigner, removeSigner, updateSigner } from "~/models/signer.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { createOrganisation as orgRow, createUser } from "../factories";
import { editableOrganisationOr403 } from "~/web/guards.server";

let db: DB;
let ctx: ChangeContext;
beforeAll(async () => {
  db = await migratedDb();
  const coordinator = await createUser(db, { role: "coordinator" });
  ctx = { actor: { id: coordinator.id, email: coordinator.email }, ip: "192.0.2.1" };
});

const base = { name: "Norwegian Helsinki Committee", acronym: null, country_code: "NO", website: null, contact_email: null, postal_address: null, city: "Oslo" };
const auditFor = (subjectType: string, id: number) =>
  db.selectFrom("audit_log").selectAll().where("subject_type", "=", subjectType).where("subject_id", "=", String(id)).orderBy("id").execute();
const count = async (table: "organisations" | "signers" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("the organisation form schema", () => {
  const parse = (fields: Record<string, string>) => organisationSchema.safeParse({ name: "Civitas Maxima", ...fields });
  const errorsOf = (fields: Record<string, string>) => {
    const r = parse(fields);
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
  };

  it("accepts a full organisation, blank optional fields as null, and a multi-line address", () => {
    const r = parse({ acronym: "", country_code: "ch", website: "https://civitas-maxima.org", contact_email: "Info@Example.ORG", postal_address: "Rue de la Paix 1\r\n1202 Genève", city: "Genève" });
    expect(r.success && r.data).toEqual({
      name: "Civitas Maxima", acronym: null, country_code: "CH", website: "https://civitas-maxima.org",
      contact_email: "info@example.org", postal_address: "Rue de la Paix 1\n1202 Genève", city: "Genève",
    });
  });

  it("keeps HTML in a name as text", () => {
    const r = parse({ name: "<script>alert(1)</script>" });
    expect(r.success && r.data.name).toBe("<script>alert(1)</script>");
  });

  it("refuses an empty name, a 100,000-character name, and line breaks in single-line fields", () => {
    expect(errorsOf({ name: "   " }).name).toMatch(/required/);
    expect(errorsOf({ name: "x".repeat(100_000) }).name).toMatch(/at most/);
    expect(errorsOf({ name: "Evil\r\nBcc: victim@example.org" }).name).toMatch(/single line/);
    expect(errorsOf({ acronym: "A\nB" }).acronym).toMatch(/single line/);
    expect(errorsOf({ city: "Oslo\r\nX" }).city).toMatch(/single line/);
  });

  it("refuses a bad email, a website that is not http(s), and a country that is not two letters", () => {
    const errors = errorsOf({ contact_email: "not-an-email", website: "javascript:alert(1)", country_code: "Norway" });
    expect(Object.keys(errors).sort()).toEqual(["contact_email", "country_code", "website"]);
  });

  it("refuses line breaks in a signer's name or title, and half a first signer", () => {
    const s = signerSchema.safeParse({ name: "Berit\nLindeman", title: "Secretary-General\r\nX" });
    expect(s.success ? [] : s.error.issues.map((i) => i.path[0]).sort()).toEqual(["name", "title"]);
    const half = newOrganisationSchema.safeParse({ name: "X", signer_name: "Berit Lindeman", signer_title: "" });
    expect(half.success ? [] : half.error.issues.map((i) => i.path[0])).toEqual(["signer_title"]);
  });
});

describe("creating and updating", () => {
  it("creates an organisation with its first signer and audits both", async () => {
    const id = await createOrganisation(db, ctx, base, { name: "Berit Lindeman", title: "Secretary-General" });
    const signers = await listSigners(db, id);
    expect(signers.map((s) => [s.name, s.title, s.position])).toEqual([["Berit Lindeman", "Secretary-General", 0]]);
    expect((await auditFor("organisation", id)).map((a) => [a.action, a.actor_user_id, a.ip])).toEqual([["organisation.created", ctx.actor!.id, "192.0.2.1"]]);
    expect((await auditFor("signer", signers[0].id)).map((a) => a.action)).toEqual(["signer.added"]);
  });

  it("refuses a country that is not in the countries table, beside the field, writing nothing", async () => {
    const before = [await count("organisations"), await count("audit_log")];
    for (const code of ["XX", "ZZ"]) {
      const error = await createOrganisation(db, ctx, { ...base, country_code: code }).catch((e) => e);
      expect(error).toBeInstanceOf(FieldInputError);
      expect(error.errors.country_code[0]).toContain(code);
    }
    expect([await count("organisations"), await count("audit_log")]).toEqual(before);
  });

  it("saves nothing when the first signer cannot be saved", async () => {
    const before = [await count("organisations"), await count("signers"), await count("audit_log")];
    // A NOT NULL violation stands in for any failure half-way through.
    await expect(createOrganisation(db, ctx, { ...base, name: "Half" }, { name: null as unknown as string, title: "T" })).rejects.toThrow();
    expect([await count("organisations"), await count("signers"), await count("audit_log")]).toEqual(before);
  });

  it("records the names of the fields that changed, and nothing when nothing did", async () => {
    const id = await createOrganisation(db, ctx, base);
    expect(await updateOrganisation(db, ctx, id, { ...base, city: "Bergen", website: "https://www.nhc.no" })).toEqual(["website", "city"]);
    expect(await updateOrganisation(db, ctx, id, { ...base, city: "Bergen", website: "https://www.nhc.no" })).toEqual([]);
    const log = await auditFor("organisation", id);
    expect(log.map((a) => a.action)).toEqual(["organisation.created", "organisation.updated"]);
    expect(JSON.parse(log[1].detail!)).toEqual({ changed: ["website", "city"] });
    await expect(updateOrganisation(db, ctx, id, { ...base, country_code: "ZZ" })).rejects.toBeInstanceOf(FieldInputError);
  });
});

describe("who may change an organisation", () => {
  it("lets coordinators change any, members only their own", async () => {
    const own = await orgRow(db);
    const other = await orgRow(db);
    const member = await createUser(db, { role: "member", organisationId: own.id });
    const coordinator = await createUser(db, { role: "coordinator" });
    expect((await editableOrganisationOr403(db, member, String(own.id))).id).toBe(own.id);
    expect((await editableOrganisationOr403(db, coordinator, String(other.id))).id).toBe(other.id);
    const refused = await editableOrganisationOr403(db, member, String(other.id)).catch((e) => e);
    expect(refused).toBeInstanceOf(Response);
    expect(refused.status).toBe(403);
    const missing = await editableOrganisationOr403(db, coordinator, "not-a-number").catch((e) => e);
    expect(missing.status).toBe(404);
  });
});

describe("signers", () => {
  it("keeps them in order through add, move and remove, auditing each change", async () => {
    const org = await orgRow(db);
    const [a, b, c] = [await addSigner(db, ctx, org.id, { name: "A", title: "Chair" }), await addSigner(db, ctx, org.id, { name: "B", title: "Director" }), await addSigner(db, ctx, org.id, { name: "C", title: "Counsel" })];
    const names = async () => (await listSigners(db, org.id)).map((s) => `${s.position}:${s.name}`);
    expect(await names()).toEqual(["0:A", "1:B", "2:C"]);
    expect(await moveSigner(db, ctx, org.id, c, "up")).toBe(true);
    expect(await names()).toEqual(["0:A", "1:C", "2:B"]);
    expect(await moveSigner(db, ctx, org.id, a, "up")).toBe(false); // already first
    await removeSigner(db, ctx, org.id, a);
    expect(await names()).toEqual(["0:C", "1:B"]);
    expect(await updateSigner(db, ctx, org.id, b, { name: "B", title: "Executive Director" })).toEqual(["title"]);
    expect((await auditFor("signer", c)).map((x) => x.action)).toEqual(["signer.added", "signer.updated"]);
    expect((await auditFor("signer", a)).map((x) => x.action)).toEqual(["signer.added", "signer.removed"]);
  });

  it("does not find another organisation's signer", async () => {
    const [mine, theirs] = [await orgRow(db), await orgRow(db)];
    const signer = await addSigner(db, ctx, theirs.id, { name: "D", title: "Chair" });
    const refused = await removeSigner(db, ctx, mine.id, signer).catch((e) => e);
    expect(refused.status).toBe(404);
    expect(await listSigners(db, theirs.id)).toHaveLength(1);
  });
});

describe("deleting", () => {
  it("is refused while users belong to the organisation", async () => {
    const org = await orgRow(db, { name: "Has members" });
    await createUser(db, { role: "member", organisationId: org.id });
    const error = await deleteOrganisation(db, ctx, org.id).catch((e) => e);
    expect(error).toBeInstanceOf(OrganisationInUseError);
    expect(error.message).toMatch(/Has members cannot be deleted: 1 person's account belongs to it/);
    expect(await db.selectFrom("organisations").select("id").where("id", "=", org.id).executeTakeFirst()).toBeDefined();
    expect(await auditFor("organisation", org.id)).toEqual([]);
  });

  it("deletes the organisation and its signers, and audits it", async () => {
    const org = await orgRow(db);
    await addSigner(db, ctx, org.id, { name: "E", title: "Chair" });
    await deleteOrganisation(db, ctx, org.id);
    expect(await listSigners(db, org.id)).toEqual([]);
    expect((await auditFor("organisation", org.id)).map((a) => a.action)).toEqual(["organisation.deleted"]);
  });
});

describe("listing", () => {
  it("searches name and acronym, treating % and _ literally, and filters by country", async () => {
    await orgRow(db, { name: "Synergy for Justice Stichting", country_code: "NL" });
    await orgRow(db, { name: "Truth Hounds", acronym: "TH%", country_code: "UA" });
    const names = async (filter: { q?: string; country?: string }) => (await listOrganisations(db, filter)).map((o) => o.name);
    expect(await names({ q: "synergy" })).toEqual(["Synergy for Justice Stichting"]);
    expect(await names({ q: "th%" })).toEqual(["Truth Hounds"]);
    expect(await names({ q: "%" })).toEqual(["Truth Hounds"]);
    expect(await names({ country: "UA" })).toEqual(["Truth Hounds"]);
    expect(await names({ q: "synergy", country: "UA" })).toEqual([]);
  });
});

it("refuses a website address with a line break or space inside", () => {
  expect(optionalUrl().safeParse("https://example.org/\r\nSet-Cookie: x").success).toBe(false);
  expect(optionalUrl().safeParse("https://exa mple.org").success).toBe(false);
  expect(optionalUrl().safeParse("https://www.nhc.no").success).toBe(true);
  expect(optionalUrl().safeParse("").success).toBe(true);
});
