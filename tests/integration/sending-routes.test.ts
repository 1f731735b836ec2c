// The sending pages through their real loaders and actions on the seeded demo (NHC's
// letter to Norway, its five recipients, its PDF): the confirmation page shows what goes
// out, refuses without the ticked box or with a stale plan (nothing queued), queues one
// message once; tests go to the sender only; approval and bulk send; the outbox's rights
// (pause/resume for coordinators, cancel, uncertain messages); and the Mailbox, which a
// member reads only for their own organisation's messages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderPage, type RouteFn } from "../setup/render-page";
import { loader as lettersLoader } from "~/routes/letters._index";
import SendPage, { action as sendAction, loader as sendLoader, meta as sendMeta } from "~/routes/letters.$id.send";
import LetterPage, { action as letterAction, loader as letterLoader } from "~/routes/letters.$id._index";
import BulkPage, { action as bulkAction, loader as bulkLoader } from "~/routes/statements.$slug.send";
import OutboxPage, { action as outboxAction, loader as outboxLoader } from "~/routes/outbox._index";
import { loader as mailboxLoader } from "~/routes/mailbox._index";
import { loader as mailboxMessageLoader } from "~/routes/mailbox.$id";
import { loader as mailboxRawLoader } from "~/routes/mailbox.$id.raw";
import { loader as mailboxAttachmentLoader } from "~/routes/mailbox.$id.attachments.$attachmentId";
import { insertDispatches } from "~/models/outbox/queue.server";
import { recoverDispatches } from "~/models/outbox/claims.server";
import { createLetter } from "~/models/letter.server";
import { runPdfJobsUntilIdle } from "~/models/letter-pdf-job.server";
import { startDispatchWorker } from "~/jobs/dispatch-worker.server";
import { closePdfPool } from "~/platform/letter-pdf-pool.server";
import { sendMail } from "~/models/outbox/notices.server";
import type { DB } from "~/platform/db.server";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { DEMO_STATEMENT_SLUG } from "../../app/workflows/seed/statements.server";
import { migratedDb } from "../setup/db";
import { call, createOrganisation, createUser, getRequest, postRequest, sessionCookie, settle } from "../factories";

let db: DB;
let nhcId: number;
let otherOrgId: number;
let statementId: number;
let letterId: number;
let coordinator: string;
let member: string;
let memberEmail: string;
let otherMember: string;

beforeAll(async () => {
  db = await migratedDb();
  await seedIfEmpty(db, { DEMO_PASSWORD: "sending-routes-password", DEMO_API_TOKEN: undefined });
  const nhc = await db.selectFrom("organisations").select(["id", "contact_email"]).where("name", "=", "Norwegian Helsinki Committee").executeTakeFirstOrThrow();
  nhcId = nhc.id;
  // With LETTER_FROM=platform a missing contact email blocks sending; the demo seed has one.
  if (!nhc.contact_email) await db.updateTable("organisations").set({ contact_email: "nhc@nhc.no" }).where("id", "=", nhcId).execute();
  statementId = (await db.selectFrom("statements").select("id").where("slug", "=", DEMO_STATEMENT_SLUG).executeTakeFirstOrThrow()).id;
  letterId = (await db.selectFrom("letters").select("id").where("organisation_id", "=", nhcId).executeTakeFirstOrThrow()).id;
  await runPdfJobsUntilIdle(db);
  coordinator = await sessionCookie(db, (await createUser(db, { role: "coordinator" })).id);
  const m = await createUser(db, { role: "member", organisationId: nhcId, email: "berit@nhc.example" });
  memberEmail = m.email;
  member = await sessionCookie(db, m.id);
  otherOrgId = (await createOrganisation(db, { name: "Svenska Helsingforskommittén", contact_email: "info@shk.example" })).id;
  otherMember = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: otherOrgId })).id);
});

afterAll(() => closePdfPool());

const id = () => String(letterId);
const confirmation = (cookie: string, letter = id()) => settle(call(sendLoader, getRequest(`/letters/${letter}/send`, cookie), { id: letter }));
const confirm = (cookie: string, fields: Record<string, string>, letter = id()) => settle(call(sendAction, postRequest(`/letters/${letter}/send`, fields, cookie), { id: letter }));
const onLetter = (cookie: string, fields: Record<string, string>, letter = id()) => settle(call(letterAction, postRequest(`/letters/${letter}`, fields, cookie), { id: letter }));
const onOutbox = (cookie: string, fields: Record<string, string>, query = "") => settle(call(outboxAction, postRequest(`/outbox?index${query}`, fields, cookie)));
const outbox = (cookie: string, query = "") => settle(call(outboxLoader, getRequest(`/outbox${query}`, cookie)));
const letterRows = (letter = letterId) => db.selectFrom("dispatches").selectAll().where("letter_id", "=", letter).where("kind", "=", "letter").execute();
// React separates adjacent text with <!-- -->; the pages are read as a person would.
const render = async (path: string, pattern: string, Page: () => JSX.Element, loader: unknown, cookie: string, action?: unknown, fields?: Record<string, string>) => {
  const page = await renderPage(pattern, fields ? postRequest(path, fields, cookie) : getRequest(path, cookie), Page, loader as RouteFn, action as RouteFn | undefined);
  return { ...page, html: page.html.replace(/<!-- -->/g, "") };
};

/** Runs the sandbox worker until nothing is queued, then stops it (so other tests see rows stay queued). */
async function drainQueue() {
  const worker = startDispatchWorker(db, { ratePerMinute: 0, pollMs: 20, log: () => undefined });
  for (let i = 0; i < 400; i++) {
    const busy = await db.selectFrom("dispatches").select("id").where("status", "in", ["queued", "sending"]).executeTakeFirst();
    if (!busy) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  await worker.stop();
}

describe("the confirmation page", () => {
  it("lists the mode, every address with its name, the covering email and the attachment", async () => {
    const res = await confirmation(member);
    expect(res.status).toBe(200);
    const plan = res.body.plan;
    expect(plan).toMatchObject({ mode: "sandbox", problems: [], from: { address: "demarche@example.org" }, replyTo: { address: "nhc@nhc.no" } });
    expect(plan.to).toEqual([{ name: "Espen Barth Eide", address: "post@mfa.no" }]);
    expect(plan.cc.map((a: { address: string }) => a.address.toLowerCase())).toContain("andreas.motzfeldt.kravik@mfa.no");
    expect(plan.cc).toHaveLength(4);
    expect(plan.attachment).toMatchObject({ status: "ready", filename: expect.stringMatching(/\.pdf$/) });
    expect(plan.attachment.size).toBeGreaterThan(1000);
    expect(plan.html).toBeUndefined(); // never sent to the page: the text is shown instead
    expect(res.body.preparing).toBe(false);

    const { html } = await render(`/letters/${id()}/send`, "/letters/:id/send", SendPage, sendLoader, member);
    for (const text of ["Sandbox mode.", "Nothing leaves this machine", "post@mfa.no", "Emilie Enger Mehl", plan.attachment.filename, "Back to the letter", 'type="submit"', 'name="confirm"', plan.digest]) {
      expect(html).toContain(text);
    }
  });

  it("refuses without the ticked box, with the error beside it, and queues nothing", async () => {
    const { digest } = (await confirmation(member)).body.plan;
    const res = await confirm(member, { digest });
    expect(res.status).toBe(400);
    expect(res.body.errors.confirm[0]).toMatch(/Tick the box/);
    expect(await letterRows()).toHaveLength(0);
    const { html } = await render(`/letters/${id()}/send`, "/letters/:id/send", SendPage, sendLoader, member, sendAction, { digest });
    expect(html).toMatch(/aria-invalid="true" aria-describedby="confirm-error"/);
    expect(html).toContain('id="confirm-error"');
  });

  it("refuses a stale plan, shows the fresh one, and queues nothing", async () => {
    const res = await confirm(member, { digest: "0".repeat(64), confirm: "yes" });
    expect(res.status).toBe(409);
    expect(res.body.formErrors[0]).toMatch(/Something changed .* Nothing was sent/);
    expect(await letterRows()).toHaveLength(0);
    const { html } = await render(`/letters/${id()}/send`, "/letters/:id/send", SendPage, sendLoader, member, sendAction, { digest: "0".repeat(64), confirm: "yes" });
    expect(html).toContain("Nothing was sent.");
    expect(html).toContain((await confirmation(member)).body.plan.digest);
    expect((await confirm(member, { digest: "not a digest", confirm: "yes" })).status).toBe(400);
  });

  it("refuses another organisation's member (403) on the page and the post", async () => {
    expect((await confirmation(otherMember)).status).toBe(403);
    const { digest } = (await confirmation(member)).body.plan;
    expect((await confirm(otherMember, { digest, confirm: "yes" })).status).toBe(403);
    expect((await confirmation(member, "999999")).status).toBe(404);
    expect(await letterRows()).toHaveLength(0);
  });

  it("queues one message with the confirmed addresses, once, however often it is posted", async () => {
    const { digest } = (await confirmation(member)).body.plan;
    const res = await confirm(member, { digest, confirm: "yes" });
    expect([res.status, res.headers.get("Location")]).toEqual([302, `/letters/${id()}?done=sent`]);
    const again = await confirm(member, { digest, confirm: "yes" });
    expect(again.status).toBe(409);
    expect(again.body.formErrors[0]).toMatch(/already queued/);
    const rows = await letterRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "queued", mode: "sandbox", kind: "letter" });
    expect(JSON.parse(rows[0].to_json)).toEqual([{ name: "Espen Barth Eide", address: "post@mfa.no" }]);
    expect(JSON.parse(rows[0].cc_json)).toHaveLength(4);
    expect(JSON.parse(rows[0].reply_to_json!)).toMatchObject({ address: "nhc@nhc.no" });
    // The confirmation now says why it cannot be sent, and offers no button.
    const page = await confirmation(member);
    expect(page.body.plan.problems[0]).toMatch(/already queued/);
    const { html } = await render(`/letters/${id()}/send`, "/letters/:id/send", SendPage, sendLoader, member);
    expect(html).not.toContain('name="confirm"');
  });

  it("shows the message on the letter page, where it can be cancelled and then sent again", async () => {
    const page = await settle(call(letterLoader, getRequest(`/letters/${id()}?done=sent`, member), { id: id() }));
    expect(page.body.sending.dispatches[0]).toMatchObject({ status: "queued", statusWords: "queued", kind: "letter", to: [{ address: "post@mfa.no" }] });
    const { html } = await render(`/letters/${id()}?done=sent`, "/letters/:id", LetterPage, letterLoader, member);
    expect(html).toContain("The letter is queued.");
    expect(html).toContain("Send to the ministry…");
    expect(html).toContain(`Cancel this message to Norway`);
    const [row] = await letterRows();
    expect((await onLetter(otherMember, { intent: "cancel", dispatchId: String(row.id) })).status).toBe(403);
    const cancelled = await onLetter(member, { intent: "cancel", dispatchId: String(row.id) });
    expect(cancelled.headers.get("Location")).toBe(`/letters/${id()}?done=cancelled`);
    expect((await letterRows())[0].status).toBe("cancelled");
    const { digest, existing } = (await confirmation(member)).body.plan;
    expect(existing.status).toBe("cancelled");
    expect((await confirm(member, { digest, confirm: "yes" })).status).toBe(302);
    expect((await letterRows()).map((r) => [r.id, r.status])).toEqual([[row.id, "queued"]]);
  });
});

describe("a test to oneself", () => {
  it("goes to the signed-in person only, and says where", async () => {
    const res = await onLetter(member, { intent: "send-test" });
    expect(res.headers.get("Location")).toBe(`/letters/${id()}?done=test`);
    const test = await db.selectFrom("dispatches").selectAll().where("kind", "=", "test").executeTakeFirstOrThrow();
    expect(JSON.parse(test.to_json)).toEqual([expect.objectContaining({ address: memberEmail })]);
    expect(JSON.parse(test.cc_json)).toEqual([]);
    expect(test.subject).toMatch(/^\[Test\] /);
    const { html } = await render(`/letters/${id()}?done=test`, "/letters/:id", LetterPage, letterLoader, member);
    expect(html).toContain(`to you only, at ${memberEmail}`);
    expect(html).toContain('href="/mailbox"');
    expect((await onLetter(otherMember, { intent: "send-test" })).status).toBe(403);
  });
});

describe("the Mailbox for members", () => {
  let own: number;
  let invitation: number;
  beforeAll(async () => {
    await drainQueue();
    own = (await db.selectFrom("dispatches").select("mailbox_id").where("kind", "=", "letter").where("letter_id", "=", letterId).executeTakeFirstOrThrow()).mailbox_id!;
    invitation = (await sendMail(db, { to: ["someone@example.org"], subject: "You are invited", html: "<p>x</p>", text: "x" })).mailboxId!;
  });

  it("lists only the member's organisation's messages; coordinators see everything", async () => {
    const mine = await settle(call(mailboxLoader, getRequest("/mailbox", member)));
    expect(mine.status).toBe(200);
    const ids = mine.body.messages.map((m: { id: number }) => m.id);
    expect(ids).toContain(own);
    expect(ids).not.toContain(invitation);
    expect(mine.body.total).toBe(2); // the letter and the test
    expect((await settle(call(mailboxLoader, getRequest("/mailbox", otherMember)))).body.total).toBe(0);
    const all = await settle(call(mailboxLoader, getRequest("/mailbox", coordinator)));
    expect(all.body.messages.map((m: { id: number }) => m.id)).toEqual(expect.arrayContaining([own, invitation]));
  });

  it("opens the member's own message, its .eml and its PDF; 403 for any other message", async () => {
    const message = await settle(call(mailboxMessageLoader, getRequest(`/mailbox/${own}`, member), { id: String(own) }));
    expect(message.status).toBe(200);
    expect(message.body.message.to_addresses).toBe("Espen Barth Eide <post@mfa.no>");
    const pdf = message.body.message.attachments[0];
    const raw = (await call(mailboxRawLoader, getRequest(`/mailbox/${own}/raw`, member), { id: String(own) })) as Response;
    expect(raw.status).toBe(200);
    const attachment = (await call(mailboxAttachmentLoader, getRequest("/", member), { id: String(own), attachmentId: String(pdf.id) })) as Response;
    expect(attachment.headers.get("Content-Type")).toBe("application/pdf");
    for (const [cookie, target] of [[member, invitation], [otherMember, own], [member, 999999]] as const) {
      const params = { id: String(target) };
      expect((await settle(call(mailboxMessageLoader, getRequest(`/mailbox/${target}`, cookie), params))).status).toBe(403);
      expect((await settle(call(mailboxRawLoader, getRequest(`/mailbox/${target}/raw`, cookie), params))).status).toBe(403);
      expect((await settle(call(mailboxAttachmentLoader, getRequest("/", cookie), { ...params, attachmentId: String(pdf.id) }))).status).toBe(403);
    }
    expect((await settle(call(mailboxMessageLoader, getRequest(`/mailbox/${invitation}`, coordinator), { id: String(invitation) }))).status).toBe(200);
  });
});

describe("approval and bulk send", () => {
  let b: number;
  let c: number;
  const bulkPage = (cookie: string) => settle(call(bulkLoader, getRequest(`/statements/${DEMO_STATEMENT_SLUG}/send`, cookie), { slug: DEMO_STATEMENT_SLUG }));
  const bulkPost = (cookie: string, fields: Record<string, string>) => settle(call(bulkAction, postRequest(`/statements/${DEMO_STATEMENT_SLUG}/send`, fields, cookie), { slug: DEMO_STATEMENT_SLUG }));

  beforeAll(async () => {
    const signerIds = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).orderBy("position").execute()).map((s) => s.id);
    const input = { statementId, countryCode: "NO", organisationId: nhcId, signerIds, place: "Oslo", date: "2025-01-15", language: "en", subject: null };
    // Letter B goes to Sweden, which nobody has contacted; Norway has been (the demo).
    await db.insertInto("recipients").values({ country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud.registrator@gov.se", salutation: "Dear Minister,", kind: "addressee", checked_on: "2025-01-14" }).execute();
    b = await createLetter(db, "seed", { actor: null, ip: null }, { ...input, countryCode: "SE", ownParagraph: "Letter B." });
    c = await createLetter(db, "seed", { actor: null, ip: null }, { ...input, ownParagraph: "Letter C." });
    await runPdfJobsUntilIdle(db);
  });

  it("approves and withdraws on the letter page, showing who approved and when", async () => {
    for (const letter of [b, c, letterId]) expect((await onLetter(member, { intent: "approve" }, String(letter))).headers.get("Location")).toBe(`/letters/${letter}?done=approved`);
    const approved = await settle(call(letterLoader, getRequest(`/letters/${c}`, member), { id: String(c) }));
    expect(approved.body.sending.approval).toMatchObject({ current: true, lapsed: false, by: expect.stringMatching(/^User /), at: expect.stringMatching(/UTC$/) });
    const { html } = await render(`/letters/${c}`, "/letters/:id", LetterPage, letterLoader, member);
    expect(html).toContain("Regenerating the letter clears the approval.");
    expect(html).toContain("Withdraw approval");
    expect((await onLetter(member, { intent: "withdraw-approval" }, String(c))).headers.get("Location")).toBe(`/letters/${c}?done=withdrawn`);
    expect((await settle(call(letterLoader, getRequest(`/letters/${c}`, member), { id: String(c) }))).body.sending.approval.current).toBe(false);
    expect((await onLetter(otherMember, { intent: "approve" }, String(c))).status).toBe(403);
    expect((await onLetter(member, { intent: "launch" }, String(c))).status).toBe(400);
  });

  it("lists the person's approved letters, those that cannot go with their reasons, and queues only the sendable ones", async () => {
    const page = await bulkPage(member);
    expect(page.status).toBe(200);
    expect(page.body.toSend.map((p: { letterId: number }) => p.letterId)).toEqual([b]);
    expect(page.body.leftOut.map((p: { letterId: number }) => p.letterId)).toEqual([letterId]);
    const skipped = page.body.leftOut[0];
    // An already-sent letter says when, and that it is not sent twice; never "cannot be sent yet".
    expect(skipped.reasons).toEqual([expect.stringMatching(/^This letter was already sent to these recipients on \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC; it is not sent twice\.$/)]);
    const { html: raw } = await render(`/statements/${DEMO_STATEMENT_SLUG}/send`, "/statements/:slug/send", BulkPage, bulkLoader, member);
    const html = raw.replaceAll("<!-- -->", "");
    for (const text of ["will be sent", "left out", "Sandbox mode.", "Send 1 letter (to the Mailbox sandbox)", "ud.registrator@gov.se"]) expect(html).toContain(text);
    expect(html).not.toContain("cannot be sent yet");
    // What will go comes first, whole, with its covering email folded away; what is left out after, in brief.
    expect(html.indexOf('id="will-be-sent"')).toBeLessThan(html.indexOf('id="left-out"'));
    expect(html).toMatch(/<details><summary>Covering email to Sweden \(text\)<\/summary>[\s\S]*?<pre class="wrap">[^<]+<\/pre><\/details>/);
    const leftOut = html.slice(html.indexOf('id="left-out"'));
    expect(leftOut).not.toContain("post@mfa.no"); // the left-out Norway letter is not planned out in full
    expect(html).toContain("I have checked the recipients, the covering email and the attachment of the letter to Sweden under “Will be sent”.");
    expect(html).not.toMatch(/the 1 letter/);
    expect((await bulkPage(otherMember)).body).toMatchObject({ toSend: [], leftOut: [] });
    const list = await settle(call(lettersLoader, getRequest("/letters", member)));
    expect(list.body.bulkSends).toEqual([{ slug: DEMO_STATEMENT_SLUG, title: expect.any(String), count: 2 }]);

    expect((await bulkPost(member, { digest: page.body.digest })).body.errors.confirm[0]).toMatch(/Tick the box/);
    expect((await bulkPost(member, { digest: "f".repeat(64), confirm: "yes" })).status).toBe(409);
    expect(await letterRows(b)).toHaveLength(0);
    const sent = await bulkPost(member, { digest: page.body.digest, confirm: "yes" });
    expect(sent.status).toBe(302);
    const location = new URL(sent.headers.get("Location")!, "http://x");
    expect([location.pathname, location.searchParams.get("statement"), location.searchParams.get("done")]).toEqual(["/outbox", String(statementId), "bulk"]);
    const rows = await db.selectFrom("dispatches").select(["letter_id", "status"]).where("bulk_id", "=", location.searchParams.get("bulk")).execute();
    expect(rows).toEqual([{ letter_id: b, status: "queued" }]);
    expect(await letterRows(c)).toHaveLength(0);
    const progress = await outbox(member, location.search);
    expect(progress.body).toMatchObject({ pending: true, counts: { queued: 1 } });
  });

  it("leaves out a letter to a state already contacted for the statement, saying by whom", async () => {
    await onLetter(member, { intent: "approve" }, String(c));
    const page = await bulkPage(member);
    const left = page.body.leftOut.find((p: { letterId: number }) => p.letterId === c);
    expect(left.reasons.join(" ")).toMatch(/Norway was already contacted for this statement/);
    expect(left.reasons.join(" ")).toMatch(/Letter \d+ from Norwegian Helsinki Committee to post@mfa.no: sent on/);
    expect(left.reasons.join(" ")).toMatch(/Recorded as sent outside Demarche by Norwegian Helsinki Committee on 2025-01-14/);
    expect(page.body.toSend).toEqual([]);
    await onLetter(member, { intent: "withdraw-approval" }, String(c));
  });

  it("on its own page, a second letter to a contacted state says so and needs the person to confirm knowing it", async () => {
    const { html } = await render(`/letters/${c}/send`, "/letters/:id/send", SendPage, sendLoader, member);
    expect(html).toContain("Norway has already been contacted for this statement:");
    expect(html).toContain("I know Norway was already contacted (see above) and want to send this letter as well.");
    // A contact recorded after the page was shown changes what was confirmed: refused.
    const before = (await confirmation(member, String(c))).body.plan.digest;
    await db.insertInto("outreach_events").values({ statement_id: statementId, country_code: "NO", organisation_id: nhcId, kind: "sent", happened_on: "2025-01-20", summary: "By post" }).execute();
    expect((await confirmation(member, String(c))).body.plan.digest).not.toBe(before);
    const refused = await confirm(member, { digest: before, confirm: "yes" }, String(c));
    expect(refused.status).toBe(409);
    expect(await letterRows(c)).toHaveLength(0);
  });
});

describe("the outbox", () => {
  let others: number;
  beforeAll(async () => {
    // Another organisation's queued message on the same statement.
    const template = await db.selectFrom("dispatches").selectAll().where("status", "=", "queued").executeTakeFirstOrThrow();
    [others] = await insertDispatches(db, [{
      dedupeKey: "other-org-message", kind: "letter", letterId: null, letterFingerprint: null, statementId, countryCode: "SE", organisationId: otherOrgId,
      mode: "sandbox", from: { name: "SHK", address: "demarche@example.org" }, replyTo: null, to: [{ name: "UD", address: "ud@gov.se" }], cc: [],
      subject: template.subject, html: template.html, text: template.text, attachmentFilename: null, queuedBy: null, messageIdDomain: "example.org",
    }]);
  });

  it("shows members their organisation's messages only, with counts; coordinators everything", async () => {
    const mine = await outbox(member);
    expect(mine.body.dispatches.every((d: { organisation: string }) => d.organisation === "Norwegian Helsinki Committee")).toBe(true);
    expect(mine.body.counts.queued).toBe(1);
    const theirs = await outbox(otherMember);
    expect(theirs.body.dispatches.map((d: { id: number }) => d.id)).toEqual([others]);
    const all = await outbox(coordinator, `?statement=${statementId}`);
    expect(all.body.counts.queued).toBe(2);
    expect(all.body.pending).toBe(true);
    expect((await outbox(member, "?status=sent")).body.dispatches.every((d: { status: string }) => d.status === "sent")).toBe(true);
    expect((await outbox(member, "?status=bogus&statement=x")).status).toBe(200);
    const { html } = await render("/outbox", "/outbox", OutboxPage, outboxLoader, member);
    expect(html).toContain("Cancel everything still queued (1 message)");
    expect(html).toContain("Yes, cancel 1 queued message");
    expect(html).not.toContain("Pause sending");
    const coordinatorPage = (await render("/outbox", "/outbox", OutboxPage, outboxLoader, coordinator)).html;
    expect(coordinatorPage).toContain("Pause sending");
    // Work is on its way: browsers without scripts refresh (a meta refresh in <noscript>).
    expect(coordinatorPage).toContain('<noscript><meta http-equiv="refresh" content="4"/></noscript>');
  });

  it("lets coordinators pause and resume a statement; members get 403", async () => {
    expect((await onOutbox(member, { intent: "pause", statementId: String(statementId) })).status).toBe(403);
    const paused = await onOutbox(coordinator, { intent: "pause", statementId: String(statementId) }, `&statement=${statementId}`);
    expect(paused.headers.get("Location")).toBe(`/outbox?statement=${statementId}&done=paused`);
    expect((await outbox(member)).body.statements.find((s: { id: number }) => s.id === statementId).paused).toBe(true);
    // Paused, the queued messages will not move: the page stops refreshing and says nothing is under way.
    const pausedPage = await render("/outbox", "/outbox", OutboxPage, outboxLoader, member);
    expect((await outbox(member)).body.pending).toBe(false);
    expect(pausedPage.html).not.toContain('http-equiv="refresh"');
    expect(pausedPage.html).not.toContain("Sending is under way");
    expect((await settle(call(letterLoader, getRequest(`/letters/${letterId}`, member), { id: id() }))).body.sending.paused).toBe(true);
    expect((await onOutbox(member, { intent: "resume", statementId: String(statementId) })).status).toBe(403);
    expect((await onOutbox(coordinator, { intent: "resume", statementId: String(statementId) })).status).toBe(302);
    expect((await outbox(member)).body.statements.find((s: { id: number }) => s.id === statementId).paused).toBe(false);
  });

  it("cancels everything still queued: a member their organisation's only, then a coordinator the rest", async () => {
    const byMember = await onOutbox(member, { intent: "cancel-statement", statementId: String(statementId) });
    expect(byMember.headers.get("Location")).toBe("/outbox?done=cancelled-all&n=1");
    expect((await db.selectFrom("dispatches").select("status").where("id", "=", others).executeTakeFirstOrThrow()).status).toBe("queued");
    const { html } = await render("/outbox?done=cancelled-all&n=1", "/outbox", OutboxPage, outboxLoader, member);
    expect(html).toContain("1 queued message was cancelled.");
    expect((await onOutbox(otherMember, { intent: "cancel", dispatchId: String(others) })).headers.get("Location")).toBe("/outbox?done=cancelled");
    expect((await onOutbox(coordinator, { intent: "cancel-statement", statementId: String(statementId) })).headers.get("Location")).toBe("/outbox?done=cancelled-all&n=0");
    expect((await outbox(coordinator)).body.pending).toBe(false);
    expect((await onOutbox(member, { intent: "cancel", dispatchId: "abc" })).status).toBe(400);
  });

  it("settles an uncertain message: 'It arrived' or 'Send it again', by its own organisation only", async () => {
    // A crash while the mail server had the message: recovery marks it uncertain.
    await db.updateTable("dispatches").set({ status: "sending", handed_at: new Date().toISOString() }).where("id", "in", [others]).execute();
    const [own] = await letterRows(letterId);
    await db.updateTable("dispatches").set({ status: "sending", handed_at: new Date().toISOString() }).where("id", "=", own.id).execute();
    expect((await recoverDispatches(db)).uncertain).toBe(2);
    const { html } = await render(`/letters/${id()}`, "/letters/:id", LetterPage, letterLoader, member);
    for (const text of ["It arrived (Norway)", "Send to Norway again", "I checked: the first message did not arrive", "nobody knows whether it was delivered"]) expect(html).toContain(text);
    expect((await onOutbox(otherMember, { intent: "arrived", dispatchId: String(own.id) })).status).toBe(403);
    expect((await onOutbox(member, { intent: "arrived", dispatchId: String(own.id) })).headers.get("Location")).toBe("/outbox?done=arrived");
    expect((await letterRows(letterId))[0].status).toBe("sent");
    const twice = await onOutbox(member, { intent: "arrived", dispatchId: String(own.id) });
    expect([twice.status, twice.body.formErrors[0]]).toEqual([409, expect.stringMatching(/not uncertain/)]);
    // Sending again needs the tick: without it nothing moves.
    const unticked = await onOutbox(otherMember, { intent: "resend", dispatchId: String(others) });
    expect([unticked.status, unticked.body.formErrors[0]]).toEqual([409, expect.stringMatching(/tick the box/)]);
    expect((await db.selectFrom("dispatches").select("status").where("id", "=", others).executeTakeFirstOrThrow()).status).toBe("uncertain");
    expect((await onOutbox(otherMember, { intent: "resend", dispatchId: String(others), confirm: "yes" })).headers.get("Location")).toBe("/outbox?done=resent");
    expect((await db.selectFrom("dispatches").select("status").where("id", "=", others).executeTakeFirstOrThrow()).status).toBe("queued");
    await onOutbox(coordinator, { intent: "cancel", dispatchId: String(others) });
  });

  it("shows a failed letter's reason with a way to send it again through the confirmation", async () => {
    const [row] = await letterRows(await db.selectFrom("dispatches").select("letter_id").where("bulk_id", "is not", null).executeTakeFirstOrThrow().then((r) => r.letter_id!));
    await db.updateTable("dispatches").set({ status: "failed", attempts: 1, last_error: "The mail server refused the message (550): 550 5.1.1 mailbox unavailable", smtp_response: "550 5.1.1 mailbox unavailable" }).where("id", "=", row.id).execute();
    const { html } = await render("/outbox?status=failed", "/outbox", OutboxPage, outboxLoader, member);
    // A refusal points to the recipient list first; the server's words appear once.
    for (const text of ["refused the message (550): 550 5.1.1 mailbox unavailable", `href="/letters/${row.letter_id}/send"`, "send again…", `href="/countries/${row.country_code}/recipients"`, "Correct the recipients"]) expect(html).toContain(text);
    expect(html.split("5.1.1 mailbox unavailable").length - 1).toBe(1);
    const again = await confirmation(member, String(row.letter_id));
    expect(again.body.plan.existing.status).toBe("failed");
    expect((await confirm(member, { digest: again.body.plan.digest, confirm: "yes" }, String(row.letter_id))).status).toBe(302);
    expect((await letterRows(row.letter_id!)).map((r) => [r.id, r.status, r.attempts])).toEqual([[row.id, "queued", 0]]);
  });

  it("says so when there is nothing to show", async () => {
    const newcomer = await sessionCookie(db, (await createUser(db, { role: "member", organisationId: (await createOrganisation(db)).id })).id);
    const { html } = await render("/outbox", "/outbox", OutboxPage, outboxLoader, newcomer);
    expect(html).toContain("No messages yet.");
    expect(html).not.toContain("sending-progress");
    const filtered = await render("/outbox?status=uncertain", "/outbox", OutboxPage, outboxLoader, otherMember);
    expect(filtered.html).toContain("No messages match these filters.");
  });
});

describe("a letter still being prepared, and recipients without email", () => {
  let sweden: number;
  beforeAll(async () => {
    await db.insertInto("recipients").values([
      { country_code: "SE", name: "Maria Malmer Stenergard", title: "Minister for Foreign Affairs", email: "ud@gov.se", salutation: "Dear Minister,", language: "en", kind: "addressee", position: 0, checked_on: "2026-11-01" },
      { country_code: "SE", name: "<img src=x onerror=alert(1)> Registry", title: "Registry", email: null, salutation: null, language: "en", kind: "copy", position: 0, checked_on: "2026-11-01" },
    ]).execute();
    const signerIds = (await db.selectFrom("signers").select("id").where("organisation_id", "=", nhcId).execute()).map((s) => s.id);
    sweden = await createLetter(db, "seed", { actor: null, ip: null }, { statementId, countryCode: "SE", organisationId: nhcId, signerIds, place: "Oslo", date: "2025-01-16", language: "en", subject: null, ownParagraph: null });
  });

  it("waits for the PDF, refreshing itself, with no send button; then offers it", async () => {
    const waiting = await confirmation(member, String(sweden));
    expect(waiting.body.preparing).toBe(true);
    expect(waiting.body.plan.problems.join(" ")).toMatch(/still being prepared/);
    expect(sendMeta({ data: waiting.body } as never)).toContainEqual({ httpEquiv: "refresh", content: "3" });
    const { html } = await render(`/letters/${sweden}/send`, "/letters/:id/send", SendPage, sendLoader, member);
    expect(html).toContain("This page reloads itself");
    expect(html).not.toContain('name="confirm"');
    await runPdfJobsUntilIdle(db);
    const ready = await confirmation(member, String(sweden));
    expect([ready.body.preparing, ready.body.plan.problems]).toEqual([false, []]);
    expect(sendMeta({ data: ready.body } as never)).not.toContainEqual(expect.objectContaining({ httpEquiv: "refresh" }));
  });

  it("names the recipients who will not get it, as text", async () => {
    const page = await confirmation(member, String(sweden));
    expect(page.body.plan.withoutEmail).toEqual([{ name: "<img src=x onerror=alert(1)> Registry", title: "Registry", kind: "copy" }]);
    const { html } = await render(`/letters/${sweden}/send`, "/letters/:id/send", SendPage, sendLoader, member);
    expect(html).toContain("Will not get it");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt; Registry");
    expect(html).not.toContain("<img src=x");
  });

});
