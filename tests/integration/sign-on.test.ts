// Organisations signing on through the real routes: the form, the verification mail
// captured in the Mailbox, the confirm and withdraw links, and everything that must
// be refused (closed statements, robots, floods, hostile input), with the duplicate
// rules that must not reveal who has signed but is not yet approved.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import SignPage, { action as signAction, loader as signLoader } from "~/routes/s.$slug.sign";
import { action as verifyAction, loader as verifyLoader } from "~/routes/signatures.verify.$token";
import { action as withdrawAction, loader as withdrawLoader } from "~/routes/signatures.withdraw.$token";
import { action as moderationAction } from "~/routes/statements.$slug.moderation";
import { HONEYPOT_FIELD } from "~/models/signature.server";
import { approvedSignatories } from "~/models/signatory-list.server";
import { configureSignOnLimits } from "~/workflows/sign-on.server";
import type { DB } from "~/platform/db.server";
import { migratedDb } from "../setup/db";
import { call, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let coordinator: string;
beforeAll(async () => {
  db = await migratedDb();
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
});
// Most tests are not about throttling; the one that is sets its own limits.
beforeEach(() => configureSignOnLimits({ perIp: 10_000, perEmail: 10_000 }));

let n = 0;
async function statement(over: Partial<{ status: "draft" | "open" | "closed" | "published"; signing_deadline: string | null }> = {}) {
  n++;
  return db
    .insertInto("statements")
    .values({ slug: `stand-with-the-court-${n}`, title: `Stand with the Court ${n}`, statement_date: "2025-01-14", status: "open", body_markdown: "We stand with the Court.", ...over })
    .returningAll()
    .executeTakeFirstOrThrow();
}

let m = 0;
const fields = (over: Record<string, string> = {}) => ({
  name: `Organisation for Justice ${++m}`,
  acronym: "",
  country: "NO",
  website: "https://example.net",
  contact_name: "Kari Nordmann",
  contact_title: "Director",
  email: `contact${m}@justice${m}.example.net`,
  note: "",
  consent: "yes",
  [HONEYPOT_FIELD]: "",
  ...over,
});

function signRequest(slug: string, form: Record<string, string>, ip = "198.51.100.7") {
  const request = postRequest(`/s/${slug}/sign`, form);
  request.headers.set("x-demarche-client-ip", ip);
  return request;
}
const sign = (slug: string, form: Record<string, string>, ip?: string) => settle(call(signAction, signRequest(slug, form, ip), { slug }));
const verify = (token: string) => settle(call(verifyAction, postRequest(`/signatures/verify/${token}`, {}), { token }));
const withdraw = (token: string) => settle(call(withdrawAction, postRequest(`/signatures/withdraw/${token}`, {}), { token }));
const moderate = (slug: string, form: Record<string, string>) => settle(call(moderationAction, postRequest(`/statements/${slug}/moderation`, form, coordinator), { slug }));

const signatures = (statementId: number) => db.selectFrom("signatures").selectAll().where("statement_id", "=", statementId).orderBy("id").execute();
const version = async (id: number) => (await db.selectFrom("statements").select("version").where("id", "=", id).executeTakeFirstOrThrow()).version;
const mailCount = async () => Number((await db.selectFrom("mailbox_messages").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function lastMailTo(email: string) {
  return db.selectFrom("mailbox_messages").selectAll().where("to_addresses", "like", `%${email}%`).orderBy("id", "desc").executeTakeFirstOrThrow();
}
function linkIn(message: { text_body: string | null; html_body: string | null }, kind: "verify" | "withdraw") {
  const match = new RegExp(`http://127\\.0\\.0\\.1:3000/signatures/${kind}/([A-Za-z0-9_-]+)`).exec(message.text_body ?? "");
  expect(match, `${kind} link in the text part`).not.toBeNull();
  expect(message.html_body).toContain(`/signatures/${kind}/${match![1]}`);
  return match![1];
}

/** Signs and confirms; returns the row and its withdraw token from the first email. */
async function signAndVerify(slug: string, over: Record<string, string> = {}) {
  const form = fields(over);
  expect((await sign(slug, form)).status).toBe(302);
  const mail = await lastMailTo(form.email);
  expect((await verify(linkIn(mail, "verify"))).status).toBe(302);
  const row = await db.selectFrom("signatures").selectAll().where("contact_email", "=", form.email).orderBy("id", "desc").executeTakeFirstOrThrow();
  return { row, form, withdrawToken: linkIn(mail, "withdraw") };
}

describe("signing on, step by step", () => {
  it("stores an unverified sign-on, mails the links, verifies on POST only, and lists it once approved", async () => {
    const s = await statement();
    const form = fields({ name: "Norwegian Helsinki Committee", acronym: "NHC", email: "Post@NHC.example.net", note: "We sign on behalf of our board." });
    const res = await sign(s.slug, form);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/s/${s.slug}/sign?sent=1`);

    const [row] = await signatures(s.id);
    expect(row).toMatchObject({
      status: "unverified", source: "form", organisation_name: "Norwegian Helsinki Committee", name_key: "norwegian helsinki committee",
      acronym: "NHC", country_code: "NO", contact_email: "post@nhc.example.net", email_domain: "nhc.example.net",
      note: "We sign on behalf of our board.", ip: "198.51.100.7",
    });
    expect(row.consent_at).toBeTruthy();
    expect(Date.parse(row.verify_expires_at!) - Date.parse(row.created_at)).toBe(48 * 3600_000);

    const mail = await lastMailTo("post@nhc.example.net");
    expect(mail.to_addresses).toContain("Kari Nordmann");
    expect(mail.subject).toContain(s.title);
    const token = linkIn(mail, "verify");
    const withdrawToken = linkIn(mail, "withdraw");
    // Only hashes are stored.
    expect(row.verify_token_hash).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(withdrawToken);

    // Opening the link (a mail scanner would) changes nothing.
    const page = await settle(call(verifyLoader, getRequest(`/signatures/verify/${token}`), { token }));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ organisation: "Norwegian Helsinki Committee", statementTitle: s.title });
    expect((await signatures(s.id))[0].status).toBe("unverified");

    const confirmed = await verify(token);
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("Location")).toBe(`/s/${s.slug}/sign?verified=1`);
    const pending = (await signatures(s.id))[0];
    expect(pending.status).toBe("pending");
    expect(pending.verified_at).toBeTruthy();

    // Reused link: one clear message, 410, for the page and the button.
    const again = await verify(token);
    expect(again.status).toBe(410);
    expect(again.body).toMatch(/can no longer be used/);
    expect((await settle(call(verifyLoader, getRequest(`/signatures/verify/${token}`), { token }))).status).toBe(410);

    expect(await approvedSignatories(db, s.id, "en")).toEqual([]);
    const before = await version(s.id);
    expect((await moderate(s.slug, { intent: "approve", signatureId: String(row.id) })).status).toBe(302);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect(await approvedSignatories(db, s.id, "en")).toEqual([{ id: row.id, name: "Norwegian Helsinki Committee", acronym: "NHC", country: "NO", footnoteMark: null }]);

    const approvedMail = await lastMailTo("post@nhc.example.net");
    expect(approvedMail.subject).toMatch(/now listed/);
    expect(approvedMail.text_body).toContain(`http://127.0.0.1:3000/s/${s.slug}`);
    const fresh = linkIn(approvedMail, "withdraw");
    expect(fresh).not.toBe(withdrawToken);
    // The newer email's link replaces the first one.
    expect((await withdraw(withdrawToken)).status).toBe(410);
    expect((await settle(call(withdrawLoader, getRequest(`/signatures/withdraw/${fresh}`), { token: fresh }))).body).toMatchObject({ listed: true });
  });

  it("says 'check your email' after a submission, and shows the verified and withdrawn notes", async () => {
    const s = await statement();
    const html = await renderSign(s.slug, "?sent=1");
    expect(html).toContain("Check your email");
    expect(html).not.toContain("<form");
    // The confirmation link lands on what happens next, not on a second sign-on form.
    const verified = await renderSign(s.slug, "?verified=1");
    expect(verified).toContain("Your signature is confirmed");
    expect(verified).toContain("What happens next");
    expect(verified).not.toContain("<form");
    expect(await renderSign(s.slug, "?withdrawn=1")).toContain("has been withdrawn");
  });

  it("refuses an expired verification link with the same message", async () => {
    const s = await statement();
    const form = fields();
    await sign(s.slug, form);
    const token = linkIn(await lastMailTo(form.email), "verify");
    await db.updateTable("signatures").set({ verify_expires_at: new Date(Date.now() - 1000).toISOString() }).where("contact_email", "=", form.email).execute();
    const res = await verify(token);
    expect(res.status).toBe(410);
    expect(res.body).toMatch(/expired/);
    expect((await settle(call(verifyLoader, getRequest(`/signatures/verify/${token}`), { token }))).status).toBe(410);
    expect((await signatures(s.id))[0].status).toBe("unverified");
    expect((await verify("not-a-token")).status).toBe(410);
    expect((await verify("x".repeat(5000))).status).toBe(410);
  });

  it("rejects with a reason that is emailed, with a withdraw link", async () => {
    const s = await statement();
    const { row, form } = await signAndVerify(s.slug);
    const before = await version(s.id);
    const res = await moderate(s.slug, { intent: "reject", signatureId: String(row.id), reason: "We could not confirm that this organisation exists." });
    expect(res.status).toBe(302);
    const after = (await signatures(s.id))[0];
    expect(after).toMatchObject({ status: "rejected", rejection_reason: "We could not confirm that this organisation exists." });
    expect(await version(s.id)).toBe(before); // nothing public changed
    const mail = await lastMailTo(form.email);
    expect(mail.subject).toMatch(/not accepted/);
    expect(mail.text_body).toContain("We could not confirm that this organisation exists.");
    linkIn(mail, "withdraw");
  });
});

describe("withdrawing", () => {
  it("works before approval: GET asks, POST withdraws, and the link is then gone", async () => {
    const s = await statement();
    const form = fields();
    await sign(s.slug, form);
    const token = linkIn(await lastMailTo(form.email), "withdraw");
    const page = await settle(call(withdrawLoader, getRequest(`/signatures/withdraw/${token}`), { token }));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ organisation: form.name, listed: false });
    expect((await signatures(s.id))[0].status).toBe("unverified");

    const before = await version(s.id);
    const res = await withdraw(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/s/${s.slug}/sign?withdrawn=1`);
    const row = (await signatures(s.id))[0];
    expect(row.status).toBe("withdrawn");
    expect(row.withdrawn_at).toBeTruthy();
    expect(await version(s.id)).toBe(before);
    const audit = await db.selectFrom("audit_log").selectAll().where("action", "=", "signature.withdrawn").where("subject_id", "=", String(row.id)).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ from: "unverified" });

    expect((await withdraw(token)).status).toBe(410);
    expect((await settle(call(withdrawLoader, getRequest(`/signatures/withdraw/${token}`), { token }))).status).toBe(410);
    // A withdrawn sign-on cannot be confirmed afterwards either.
  });

  it("works after approval: the organisation leaves the public list and the page refreshes", async () => {
    const s = await statement();
    const { row, form } = await signAndVerify(s.slug, { name: "Al-Haq" });
    await moderate(s.slug, { intent: "approve", signatureId: String(row.id) });
    expect((await approvedSignatories(db, s.id, "en")).map((g) => g.name)).toEqual(["Al-Haq"]);
    const token = linkIn(await lastMailTo(form.email), "withdraw");
    const before = await version(s.id);
    expect((await withdraw(token)).status).toBe(302);
    expect(await approvedSignatories(db, s.id, "en")).toEqual([]);
    expect(await version(s.id)).toBeGreaterThan(before);
    expect((await signatures(s.id))[0].status).toBe("withdrawn");
  });

  it("cannot confirm a sign-on that was withdrawn", async () => {
    const s = await statement();
    const form = fields();
    await sign(s.slug, form);
    const mail = await lastMailTo(form.email);
    await withdraw(linkIn(mail, "withdraw"));
    expect((await verify(linkIn(mail, "verify"))).status).toBe(410);
  });
});

describe("the form page", () => {
  it("offers every field, a consent text and a honeypot hidden from people and keyboards", async () => {
    const s = await statement();
    const html = await renderSign(s.slug);
    for (const name of ["name", "acronym", "country", "website", "contact_name", "contact_title", "email", "note", "consent"]) expect(html).toContain(`name="${name}"`);
    expect(html).toContain('<option value="NO">Norway</option>');
    expect(html).toMatch(/name, acronym and country are published/);
    const honeypot = new RegExp(`<div aria-hidden="true" class="visually-hidden"><label[^>]*>[^<]*</label><input id="${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" type="text" tabindex="-1" autoComplete="off"`);
    expect(html).toMatch(honeypot);
  });

  it("shows errors beside their fields and keeps what was typed", async () => {
    const s = await statement();
    const html = await renderSign(s.slug, "", fields({ name: "<b>Kept</b> Org", email: "not-an-email", consent: "" }));
    expect(html).toContain('value="&lt;b&gt;Kept&lt;/b&gt; Org"');
    expect(html).toMatch(/aria-invalid="true"[^>]*name="email"|name="email"[^>]*aria-invalid="true"/);
    expect(html).toMatch(/id="[^"]+-error"[^>]*><li>Email must be a valid email address/);
    expect(html).toContain('id="consent-error"');
  });
});

describe("when signing is not possible", () => {
  it("refuses closed, published and past-deadline statements, storing nothing", async () => {
    for (const over of [{ status: "closed" as const }, { status: "published" as const }, { status: "open" as const, signing_deadline: new Date(Date.now() - 60_000).toISOString() }]) {
      const s = await statement(over);
      const res = await sign(s.slug, fields());
      expect(res.status, JSON.stringify(over)).toBe(409);
      expect(res.body.formErrors[0]).toMatch(/closed/);
      expect(await signatures(s.id)).toEqual([]);
      const page = await settle(call(signLoader, getRequest(`/s/${s.slug}/sign`), { slug: s.slug }));
      expect(page.body.open).toBe(false);
      expect(await renderSign(s.slug)).toContain("Signing is closed");
    }
  });

  it("accepts a statement whose deadline is still ahead", async () => {
    const s = await statement({ signing_deadline: new Date(Date.now() + 3600_000).toISOString() });
    expect((await sign(s.slug, fields())).status).toBe(302);
    expect((await settle(call(signLoader, getRequest(`/s/${s.slug}/sign`), { slug: s.slug }))).body.open).toBe(true);
  });

  it("answers 404 for drafts and unknown addresses", async () => {
    const s = await statement({ status: "draft" });
    expect((await sign(s.slug, fields())).status).toBe(404);
    expect((await settle(call(signLoader, getRequest(`/s/${s.slug}/sign`), { slug: s.slug }))).status).toBe(404);
    expect((await sign("no-such-statement", fields())).status).toBe(404);
    expect(await signatures(s.id)).toEqual([]);
  });
});

describe("spam and abuse", () => {
  it("answers a filled honeypot exactly like success, storing and sending nothing", async () => {
    const s = await statement();
    const mails = await mailCount();
    const real = await sign(s.slug, fields());
    const robot = await sign(s.slug, fields({ [HONEYPOT_FIELD]: "http://spam.example" }));
    expect(robot.status).toBe(real.status);
    expect(robot.headers.get("Location")).toBe(real.headers.get("Location"));
    expect(await signatures(s.id)).toHaveLength(1);
    expect(await mailCount()).toBe(mails + 1);
    // Even with nonsense in the other fields, a robot learns nothing from a 400.
    expect((await sign(s.slug, { [HONEYPOT_FIELD]: "x" })).status).toBe(302);
  });

  it("limits sign-ons per client address, with a clear message and 429", async () => {
    configureSignOnLimits({ perIp: 2, perEmail: 100 });
    const s = await statement();
    expect((await sign(s.slug, fields(), "203.0.113.1")).status).toBe(302);
    expect((await sign(s.slug, fields(), "203.0.113.1")).status).toBe(302);
    const third = await sign(s.slug, fields({ name: "Third Organisation" }), "203.0.113.1");
    expect(third.status).toBe(429);
    expect(third.body.formErrors[0]).toMatch(/Too many sign-ons.*try again in \d+ minutes?/);
    expect(third.body.values.name).toBe("Third Organisation");
    expect((await sign(s.slug, fields(), "203.0.113.2")).status).toBe(302);
    expect(await signatures(s.id)).toHaveLength(3);
  });

  it("limits sign-ons per email address, whatever the client address", async () => {
    configureSignOnLimits({ perIp: 100, perEmail: 3 });
    const s = await statement();
    const email = "busy@ngo.example.net";
    for (let i = 1; i <= 3; i++) expect((await sign(s.slug, fields({ email }), `192.0.2.${i}`)).status).toBe(302);
    expect((await sign(s.slug, fields({ email: "BUSY@ngo.example.net" }), "192.0.2.9")).status).toBe(429);
    expect(await signatures(s.id)).toHaveLength(3);
  });
});

describe("duplicates", () => {
  it("refuses an exact duplicate of an approved signature, naming it", async () => {
    const s = await statement();
    const { row } = await signAndVerify(s.slug, { name: "Amnesty International" });
    await moderate(s.slug, { intent: "approve", signatureId: String(row.id) });
    const res = await sign(s.slug, fields({ name: " amnesty  international." }));
    expect(res.status).toBe(400);
    expect(res.body.errors.name[0]).toBe("This organisation has already signed this statement as “Amnesty International”.");
    expect(res.body.values.name).toBe(" amnesty  international.");
    expect(await signatures(s.id)).toHaveLength(1);
  });

  it("answers a duplicate of a not-yet-approved signature exactly like a new one, and flags it", async () => {
    const s = await statement();
    await signAndVerify(s.slug, { name: "Human Rights Watch" });
    const fresh = await sign(s.slug, fields({ name: "Totally New Organisation" }));
    const twin = await sign(s.slug, fields({ name: "human rights  watch" }));
    expect(twin.status).toBe(fresh.status);
    expect(twin.headers.get("Location")).toBe(fresh.headers.get("Location"));
    expect(twin.body).toEqual(fresh.body);
    expect((await signatures(s.id)).map((r) => r.name_key)).toEqual(["human rights watch", "totally new organisation", "human rights watch"]);
  });

  it("lets “Al-Haq” and “Al-Haq Europe” both sign and both be approved", async () => {
    const s = await statement();
    const a = await signAndVerify(s.slug, { name: "Al-Haq" });
    const b = await signAndVerify(s.slug, { name: "Al-Haq Europe" });
    expect((await moderate(s.slug, { intent: "approve", signatureId: String(a.row.id) })).status).toBe(302);
    expect((await moderate(s.slug, { intent: "approve", signatureId: String(b.row.id) })).status).toBe(302);
    expect((await approvedSignatories(db, s.id, "en")).map((g) => g.name)).toEqual(["Al-Haq", "Al-Haq Europe"]);
  });

  it("refuses to approve a second signature of an approved organisation, with a message, not a 500", async () => {
    const s = await statement();
    const first = await signAndVerify(s.slug, { name: "FIDH" });
    const second = await signAndVerify(s.slug, { name: "fidh" });
    await moderate(s.slug, { intent: "approve", signatureId: String(first.row.id) });
    const res = await moderate(s.slug, { intent: "approve", signatureId: String(second.row.id) });
    expect(res.status).toBe(409);
    expect(res.body.formErrors[0]).toMatch(/already an approved signatory as “FIDH”/);
    expect((await signatures(s.id)).map((r) => r.status)).toEqual(["approved", "pending"]);
  });
});

describe("hostile input", () => {
  it("refuses each field's bad input with a message beside it, keeping values and storing nothing", async () => {
    const s = await statement();
    const huge = "A".repeat(100_000);
    const cases: [string, string, RegExp][] = [
      ["name", "Evil\r\nBcc: victim@example.org", /single line/],
      ["name", "Amnesty \u202EInternational", /text-direction/],
      ["name", huge, /at most 300/],
      ["acronym", "A\r\nB", /single line/],
      ["acronym", huge, /at most 40/],
      ["country", "XX", /country/],
      ["country", "<script>", /country/],
      ["website", "javascript:alert(1)", /./],
      ["website", "https://example.org/\r\nX: y", /one address/],
      ["contact_name", "Eve\r\nBcc: x@example.org", /single line/],
      ["contact_name", huge, /at most/],
      ["contact_title", "\u202Erotcerid", /text-direction/],
      ["contact_title", huge, /at most/],
      ["email", "a@example.org\r\nBcc: victim@example.org", /valid email/],
      ["email", huge, /./],
      ["note", huge, /at most 2000/],
      ["consent", "", /Tick the box/],
    ];
    for (const [field, value, message] of cases) {
      const res = await sign(s.slug, fields({ [field]: value }));
      expect(res.status, `${field}: ${value.slice(0, 20)}`).toBe(400);
      expect(res.body.errors[field]?.[0], field).toMatch(message);
      if (field !== "consent") expect(res.body.values[field]).toBe(value);
    }
    expect(await signatures(s.id)).toEqual([]);
  });

  it("stores script tags and right-to-left text as text, and shows them escaped", async () => {
    const s = await statement();
    const form = fields({
      name: "<script>alert('name')</script> Rights Watch",
      acronym: "<b>X</b>",
      contact_name: "<img src=x onerror=alert(1)>",
      contact_title: "Director & \"Founder\"",
      note: "Hello <script>alert('note')</script>\nשלום \u202Eesrever",
    });
    expect((await sign(s.slug, form)).status).toBe(302);
    const [row] = await signatures(s.id);
    expect(row.organisation_name).toBe(form.name);
    expect(row.note).toBe(form.note);
    const mail = await lastMailTo(form.email);
    expect(mail.html_body).not.toContain("<script>alert('name')");
    expect(mail.html_body).toContain("&lt;script&gt;");
    expect(mail.to_addresses).toContain("<img src=x onerror=alert(1)>");
    await verify(linkIn(mail, "verify"));
    const html = await renderModeration(s.slug);
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;");
    expect(html).toContain("<bdi>Hello");
  });

  it("refuses a country that is not in the list without a 500", async () => {
    const s = await statement();
    const res = await sign(s.slug, fields({ country: "ZZ" }));
    expect(res.status).toBe(400);
    expect(res.body.errors.country[0]).toMatch(/from the list/);
  });
});

type Loader = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => Promise<unknown>;
type Action = (args: { request: Request; params: Record<string, string | undefined>; context: Record<string, unknown> }) => Promise<unknown>;
async function renderRoute(pattern: string, url: string, loader: Loader, Component: () => JSX.Element, cookie?: string, post?: { action: Action; form: Record<string, string> }) {
  const args = ({ request, params }: { request: Request; params: Record<string, string | undefined> }) => ({ request, params, context: {} });
  // Remix's data() carries the status beside the data; the router's static handler wants the data itself.
  const action = post && (async (a: { request: Request; params: Record<string, string | undefined> }) => {
    const result = (await post.action(args(a))) as { type?: string; data?: unknown };
    return result?.type === "DataWithResponseInit" ? result.data : result;
  });
  const routes = [{ id: "page", path: pattern, loader: (a: { request: Request; params: Record<string, string | undefined> }) => loader(args(a)), action, Component }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(post ? signRequest(url.split("?")[0].split("/")[2], post.form) : getRequest(url, cookie));
  if (context instanceof Response) throw new Error(`loader answered ${context.status}`);
  return renderToString(createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}
const renderSign = (slug: string, search = "", form?: Record<string, string>) =>
  renderRoute("/s/:slug/sign", `/s/${slug}/sign${search}`, signLoader as Loader, SignPage, undefined, form && { action: signAction as Action, form });
async function renderModeration(slug: string) {
  const { default: Page, loader } = await import("~/routes/statements.$slug.moderation");
  return renderRoute("/statements/:slug/moderation", `/statements/${slug}/moderation`, loader as Loader, Page, coordinator);
}
