// The sign-on form's rules field by field (hostile input refused with a message, or
// kept as text), the emails about a signature, and the database's own guard against
// a second approved signature with the same folded name.
import { describe, expect, it } from "vitest";
import { isApprovedNameConflict } from "~/models/signature-moderation.server";
import { moderationSchema, shownName, signOnSchema } from "~/models/signature.server";
import { renderEmail } from "~/platform/templates.server";
import { migratedDb } from "../setup/db";

const valid = {
  name: "Amnesty International",
  acronym: "AI",
  country: "gb",
  website: "https://www.amnesty.org",
  contact_name: "Agnès Callamard",
  contact_title: "Secretary General",
  email: "Press@Amnesty.org",
  note: "",
  consent: "yes",
};

const parse = (over: Record<string, unknown>) => signOnSchema.safeParse({ ...valid, ...over });
const errorsOf = (over: Record<string, unknown>) => {
  const r = parse(over);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
};

describe("the sign-on form", () => {
  it("accepts a complete sign-on, trimming and normalising", () => {
    const r = parse({ name: "  Amnesty International ", country: " gb ", acronym: "", website: "" });
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({ name: "Amnesty International", country: "GB", acronym: null, website: null, email: "press@amnesty.org", note: null });
  });

  it("names every missing required field", () => {
    const r = signOnSchema.safeParse({});
    expect(r.success).toBe(false);
    const fields = new Set(r.error!.issues.map((i) => i.path.join(".")));
    expect([...fields].sort()).toEqual(["consent", "contact_name", "contact_title", "country", "email", "name"]);
  });

  it("requires consent", () => {
    expect(errorsOf({ consent: undefined }).consent).toMatch(/Tick the box/);
    expect(errorsOf({ consent: "no" }).consent).toMatch(/Tick the box/);
  });

  it("refuses line breaks in every single-line field", () => {
    for (const field of ["name", "acronym", "contact_name", "contact_title"]) {
      expect(errorsOf({ [field]: "Evil\r\nBcc: victim@example.org" })[field], field).toMatch(/single line/);
    }
    expect(errorsOf({ email: "a@example.org\r\nBcc: victim@example.org" }).email).toMatch(/valid email/);
    expect(errorsOf({ website: "https://example.org/\r\nX: y" }).website).toBeTruthy();
    expect(errorsOf({ country: "G\nB" }).country).toMatch(/country/);
  });

  it("refuses 100,000 characters in every field with a length message", () => {
    const huge = "x".repeat(100_000);
    for (const field of ["name", "acronym", "contact_name", "contact_title", "note"]) {
      expect(errorsOf({ [field]: huge })[field], field).toMatch(/at most/);
    }
    expect(errorsOf({ website: `https://example.org/${huge}` }).website).toMatch(/at most/);
    expect(errorsOf({ email: `${huge}@example.org` }).email).toBeTruthy();
    expect(errorsOf({ country: huge }).country).toBeTruthy();
  });

  it("refuses a right-to-left override in names, which could reverse a signatory list", () => {
    expect(errorsOf({ name: "Amnesty \u202EInternational" }).name).toMatch(/text-direction/);
    expect(errorsOf({ acronym: "\u202EIA" }).acronym).toMatch(/text-direction/);
    expect(errorsOf({ contact_name: "Eve \u2066x" }).contact_name).toMatch(/text-direction/);
    expect(errorsOf({ website: "https://example.org/\u202Eexe.txt" }).website).toMatch(/text-direction/);
  });

  it("keeps script tags and right-to-left text as text where a single line allows them", () => {
    const r = parse({ name: "<script>alert(1)</script> Watch", note: "Line one\r\n<b>bold</b>\u202Ereversed" });
    expect(r.success).toBe(true);
    expect(r.data!.name).toBe("<script>alert(1)</script> Watch");
    expect(r.data!.note).toBe("Line one\n<b>bold</b>\u202Ereversed");
  });

  it("refuses names without letters or digits, and control characters in the note", () => {
    expect(errorsOf({ name: "..." }).name).toMatch(/letters or digits/);
    expect(errorsOf({ note: "bell\u0007" }).note).toMatch(/control characters/);
  });

  it("accepts only web addresses as websites", () => {
    expect(errorsOf({ website: "javascript:alert(1)" }).website).toBeTruthy();
    expect(errorsOf({ website: "ftp://example.org" }).website).toMatch(/http/);
  });
});

describe("moderation forms", () => {
  it("require a reason to reject or remove, and a confirmation to remove", () => {
    expect(moderationSchema.safeParse({ intent: "reject", signatureId: "3", reason: " " }).success).toBe(false);
    expect(moderationSchema.safeParse({ intent: "remove", signatureId: "3", reason: "Asked by phone" }).success).toBe(false);
    expect(moderationSchema.safeParse({ intent: "remove", signatureId: "3", reason: "Asked by phone", confirm: "yes" }).success).toBe(true);
    expect(moderationSchema.safeParse({ intent: "approve", signatureId: "x" }).success).toBe(false);
  });

  it("reads a blank displayed name or footnote as 'none'", () => {
    expect(moderationSchema.parse({ intent: "display-name", signatureId: "1", display_name: "  " })).toMatchObject({ display_name: null });
    expect(moderationSchema.parse({ intent: "footnote", signatureId: "1", footnote_mark: "" })).toMatchObject({ footnote_mark: null });
    expect(moderationSchema.safeParse({ intent: "display-name", signatureId: "1", display_name: "A\u202EB" }).success).toBe(false);
  });

  it("shows the displayed name when there is one", () => {
    expect(shownName({ organisation_name: "amnesty intl", display_name: "Amnesty International" })).toBe("Amnesty International");
    expect(shownName({ organisation_name: "Al-Haq", display_name: null })).toBe("Al-Haq");
  });
});

describe("signature emails", () => {
  const base = {
    appName: "Demarche",
    contactName: "Eve <script>x</script>",
    organisationName: "Jo & Co\r\nBcc: victim@example.org",
    statementTitle: "Stand with the Court",
    withdrawUrl: "http://127.0.0.1:3000/signatures/withdraw/w_1",
  };

  it("asks to confirm, with both links, escaping names in HTML", () => {
    const m = renderEmail("signature-verify", { ...base, verifyUrl: "http://127.0.0.1:3000/signatures/verify/v_1", expiresAt: "2 December 2026, 10:00 UTC", hours: 48 });
    expect(m.subject).toBe("Please confirm your organisation's signature: Stand with the Court");
    expect(m.text).toContain("http://127.0.0.1:3000/signatures/verify/v_1");
    expect(m.text).toContain("http://127.0.0.1:3000/signatures/withdraw/w_1");
    expect(m.text).toContain("48 hours");
    expect(m.html).not.toContain("<script>");
    expect(m.html).toContain("Eve &lt;script&gt;x&lt;/script&gt;");
    expect(m.html).toContain("Jo &amp; Co");
  });

  it("announces approval with the listed name and a withdraw link", () => {
    const m = renderEmail("signature-approved", { ...base, shownName: "Jo and Co", statementUrl: "http://127.0.0.1:3000/s/stand" });
    expect(m.subject).toMatch(/now listed/);
    expect(m.text).toContain('listed as "Jo and Co"');
    expect(m.text).toContain("http://127.0.0.1:3000/s/stand");
    expect(m.text).toContain("/signatures/withdraw/w_1");
  });

  it("gives the reason for a rejection, as text", () => {
    const m = renderEmail("signature-rejected", { ...base, reason: "Not an organisation <b>at all</b>" });
    expect(m.text).toContain("Not an organisation <b>at all</b>");
    expect(m.html).toContain("Not an organisation &lt;b&gt;at all&lt;/b&gt;");
    expect(m.text).toContain("/signatures/withdraw/w_1");
    expect(m.subject).not.toMatch(/[\r\n]/);
  });
});

describe("the database's guard on approved names", () => {
  it("refuses a second approved signature with the same key, and we recognise its error", async () => {
    const db = await migratedDb({ countries: false });
    const { id } = await db.insertInto("statements").values({ slug: "guard", title: "Guard", statement_date: "2025-01-14", status: "open" }).returning("id").executeTakeFirstOrThrow();
    const row = { statement_id: id, organisation_name: "Amnesty International", name_key: "amnesty international", source: "import" as const };
    await db.insertInto("signatures").values({ ...row, status: "approved" }).execute();
    const second = await db.insertInto("signatures").values({ ...row, status: "pending" }).returning("id").executeTakeFirstOrThrow();
    const error = await db.updateTable("signatures").set({ status: "approved" }).where("id", "=", second.id).execute().catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(isApprovedNameConflict(error)).toBe(true);
    expect(isApprovedNameConflict(new Error("UNIQUE constraint failed: signatures.verify_token_hash"))).toBe(false);
  });
});
